// Steady state allocates nothing: after a warm-up, thousands of messages (small and large,
// text and binary, with pings) go through a client and a server ws_stream over loopback
// TCP, full duplex on the client, without one call to the global operator new, and, where
// the malloc family can be counted too (not under sanitizers), without one malloc: Asio
// takes its operation memory from malloc (aligned_alloc), not operator new, so counting
// operator new alone would miss it. Asio recycles that memory per thread; the stream
// keeps its buffers. The same is measured over TLS.
//
// The measured runs use io_context::run(): Asio's per-thread recycling cache lives as
// long as one run() (or poll()) call, so a loop of run_for()/poll() calls would start
// every handler with an empty cache (net::run_busy_poll keeps one run() going).
//
// This program replaces the global allocation functions (and, on glibc, malloc) to count.
#include "catch.hpp"
#include "net_test_support.hpp"

#include <tradewire/net/connect.hpp>
#include <tradewire/net/run.hpp>
#include <tradewire/net/tls.hpp>
#include <tradewire/net/ws_stream.hpp>

#include <atomic>
#include <cerrno>
#include <concepts>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <new>
#include <thread>

namespace {
std::atomic<long> new_calls{0};
std::atomic<long> malloc_calls{0};
}  // namespace

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TW_COUNT_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define TW_COUNT_MALLOC 0
#endif
#endif
#if !defined(TW_COUNT_MALLOC) && defined(__GLIBC__)
#define TW_COUNT_MALLOC 1
#endif
#if !defined(TW_COUNT_MALLOC)
#define TW_COUNT_MALLOC 0
#endif

#if TW_COUNT_MALLOC
extern "C" {
void* __libc_malloc(std::size_t);
void __libc_free(void*);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);

void* malloc(std::size_t n) noexcept {
    malloc_calls.fetch_add(1, std::memory_order_relaxed);
    return __libc_malloc(n);
}
void free(void* p) noexcept {
    __libc_free(p);
}
void* calloc(std::size_t a, std::size_t b) noexcept {
    malloc_calls.fetch_add(1, std::memory_order_relaxed);
    return __libc_calloc(a, b);
}
void* realloc(void* p, std::size_t n) noexcept {
    malloc_calls.fetch_add(1, std::memory_order_relaxed);
    return __libc_realloc(p, n);
}
void* aligned_alloc(std::size_t alignment, std::size_t n) noexcept {
    malloc_calls.fetch_add(1, std::memory_order_relaxed);
    return __libc_memalign(alignment, n);
}
void* memalign(std::size_t alignment, std::size_t n) noexcept {
    malloc_calls.fetch_add(1, std::memory_order_relaxed);
    return __libc_memalign(alignment, n);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t n) noexcept {
    malloc_calls.fetch_add(1, std::memory_order_relaxed);
    void* p = __libc_memalign(alignment, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
}
#endif

void* operator new(std::size_t n) {
    new_calls.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
    return operator new(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    new_calls.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](std::size_t n, const std::nothrow_t& tag) noexcept {
    return operator new(n, tag);
}
void* operator new(std::size_t n, std::align_val_t a) {
    new_calls.fetch_add(1, std::memory_order_relaxed);
    const std::size_t al = static_cast<std::size_t>(a);
    if (void* p = std::aligned_alloc(al, (n + al - 1) / al * al)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) {
    return operator new(n, a);
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete[](void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
    std::free(p);
}

using namespace net_test;

namespace {

// The traffic: a cycle of message shapes, with a ping instead of every 50th message.
struct traffic {
    std::vector<bytes> payloads;
    std::vector<ws::opcode> ops;
    traffic() {
        const std::string json =
            R"({"e":"trade","E":1717171717171,"s":"BTCUSDT","t":123456789,"p":"67321.50","q":"0.013","m":true})";
        add(ws::opcode::text, bytes(json.begin(), json.end()));
        add(ws::opcode::binary, pattern(1024, 1));
        add(ws::opcode::text, bytes(16 * 1024, 'x'));
        add(ws::opcode::binary, pattern(64 * 1024, 2));
        add(ws::opcode::binary, pattern(300 * 1024, 3));
        add(ws::opcode::text, bytes(json.begin(), json.end()));
        add(ws::opcode::binary, {});
    }
    void add(ws::opcode op, bytes p) {
        ops.push_back(op);
        payloads.push_back(std::move(p));
    }
    std::size_t size() const { return payloads.size(); }
};

struct counts {
    long news = 0;
    long mallocs = 0;
};

counts now() {
    return {new_calls.load(), malloc_calls.load()};
}

// io.run() (or `run`) on this thread, stopped by a watchdog after `limit`; false on a hang.
template <class Run>
bool run_watched(asio::io_context& io, std::chrono::seconds limit, Run run) {
    std::mutex m;
    std::condition_variable cv;
    bool done = false, fired = false;
    std::thread watchdog([&] {
        std::unique_lock<std::mutex> lock(m);
        if (!cv.wait_for(lock, limit, [&] { return done; })) {
            fired = true;
            io.stop();
        }
    });
    io.restart();
    run();
    {
        std::lock_guard<std::mutex> lock(m);
        done = true;
    }
    cv.notify_one();
    watchdog.join();
    return !fired;
}

bool run_watched(asio::io_context& io, std::chrono::seconds limit) {
    return run_watched(io, limit, [&] { io.run(); });
}

// A server that echoes sequentially and a client that writes and reads at the same time.
template <class ClientStream, class ServerStream>
struct echo_run {
    ClientStream& client;
    ServerStream& server;
    const traffic& t;
    int warmup;
    int measured;
    int sent = 0;
    int writes = 0;
    int received = 0;
    bool mismatch = false;
    counts start{}, end{};
    std::error_code client_end{}, server_end{};
    bool finished = false;

    void go() {
        server_read();
        client_read();
        client_write();
    }

    void server_read() {
        server.async_read([this](std::error_code ec, net::ws_message m) {
            if (ec) {
                server_end = ec;
                return;
            }
            server.async_write(m.op, m.payload, [this](std::error_code wec) {
                if (wec) {
                    server_end = wec;
                    return;
                }
                server_read();
            });
        });
    }

    void client_read() {
        client.async_read([this](std::error_code ec, net::ws_message m) {
            if (ec) {
                client_end = ec;
                return;
            }
            const std::size_t k = static_cast<std::size_t>(received) % t.size();
            if (m.op != t.ops[k] || !same(m.payload, t.payloads[k])) mismatch = true;
            ++received;
            if (received == warmup) start = now();
            if (received == warmup + measured) {
                end = now();
                client.async_close(ws::close_code::normal, "", [this](std::error_code cec) {
                    client_end = cec;
                    finished = true;
                });
                return;
            }
            client_read();
        });
    }

    void client_write() {
        if (sent == warmup + measured) return;
        ++writes;
        if (writes % 50 == 0) {
            client.async_ping(tradewire::as_bytes("hb"), [this](std::error_code ec) {
                if (!ec) client_write();
            });
            return;
        }
        const std::size_t k = static_cast<std::size_t>(sent) % t.size();
        ++sent;
        client.async_write(t.ops[k], t.payloads[k], [this](std::error_code ec) {
            if (!ec) client_write();
        });
    }
};

void report(const char* what, const counts& start, const counts& end, int messages) {
    std::printf("%s: %d messages, %ld operator new, %ld malloc-family calls (counted: %s)\n", what, messages,
                end.news - start.news, end.mallocs - start.mallocs, TW_COUNT_MALLOC ? "yes" : "no");
}

}  // namespace

namespace {

// The full-duplex callback run over TCP, driven by io.run() or by the busy-poll loop, on
// net::tcp_socket or on net::io_tcp_socket (io_context's own executor).
template <class Socket = net::tcp_socket>
void tcp_full_duplex(bool busy_poll) {
    using client_t = net::ws_stream<Socket>;
    using server_t = net::ws_stream<Socket, ws::server_role>;
    asio::io_context io(1);
    listener lst(io);
    const traffic t;
    client_t client(io);
    std::unique_ptr<server_t> server;
    const auto on_accept = [&](std::error_code ec, Socket sock) {
        REQUIRE_FALSE(ec);
        server = std::make_unique<server_t>(std::move(sock));
        server->async_accept([&](std::error_code aec) { REQUIRE_FALSE(aec); });
    };
    if constexpr (std::same_as<Socket, net::tcp_socket>) {
        lst.acceptor.async_accept(on_accept);
    } else {
        lst.acceptor.async_accept(io, on_accept);  // the accepted socket takes io's executor type
    }
    request_holder req(lst.port());
    bool open = false;
    net::async_connect(client.next_layer(), "127.0.0.1", lst.port(), {},
                       [&](std::error_code ec, const tcp::endpoint&) {
                           REQUIRE_FALSE(ec);
                           client.async_handshake(req.request, [&](std::error_code hec) {
                               REQUIRE_FALSE(hec);
                               open = true;
                           });
                       });
    REQUIRE(run_io(io));
    REQUIRE(open);
    REQUIRE(server);
    echo_run<client_t, server_t> run{client, *server, t, 700, 7000};
    run.go();
    if (busy_poll) {
        REQUIRE(run_watched(io, 120s,
                            [&] { net::run_busy_poll(io, [&] { return run.finished && run.server_end; }); }));
    } else {
        REQUIRE(run_watched(io, 120s));
    }
    CHECK(run.finished);
    CHECK_FALSE(run.client_end);
    CHECK(run.server_end == net::error::closed);
    CHECK_FALSE(run.mismatch);
    const bool io_socket = std::same_as<Socket, net::io_tcp_socket>;
    report(busy_poll ? (io_socket ? "io_tcp_socket busy-poll" : "tcp busy-poll") : (io_socket ? "io_tcp_socket" : "tcp"),
           run.start, run.end, run.measured);
    CHECK(run.end.news - run.start.news == 0);
    CHECK(run.end.mallocs - run.start.mallocs == 0);
}

}  // namespace

TEST_CASE("ws_stream over TCP: no allocation per message in steady state (callbacks, full duplex, pings)") {
    tcp_full_duplex(false);
}

TEST_CASE("ws_stream over TCP: no allocation per message in steady state under run_busy_poll") {
    tcp_full_duplex(true);
}

TEST_CASE("ws_stream over io_tcp_socket: no allocation per message in steady state (callbacks, full duplex, pings)") {
    tcp_full_duplex<net::io_tcp_socket>(false);
}

TEST_CASE("ws_stream over TCP: no allocation per message in steady state (coroutines)") {
    asio::io_context io(1);
    listener lst(io);
    const traffic t;
    counts start{}, end{};
    constexpr int warmup = 700, measured = 7000;
    bool mismatch = false;
    spawn(io, [&]() -> asio::awaitable<void> {
        server_stream ws(co_await lst.acceptor.async_accept(use_awaitable));
        co_await ws.async_accept(use_awaitable);
        for (;;) {
            auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
            if (ec) co_return;
            co_await ws.async_write(m.op, m.payload, use_awaitable);
        }
    });
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(lst.port());
        co_await net::async_connect(ws.next_layer(), "127.0.0.1", lst.port(), {}, use_awaitable);
        co_await ws.async_handshake(req.request, use_awaitable);
        for (int i = 0; i < warmup + measured; ++i) {
            if (i == warmup) start = now();
            const std::size_t k = static_cast<std::size_t>(i) % t.size();
            co_await ws.async_write(t.ops[k], t.payloads[k], use_awaitable);
            const net::ws_message m = co_await ws.async_read(use_awaitable);
            if (m.op != t.ops[k] || !same(m.payload, t.payloads[k])) mismatch = true;
        }
        end = now();
        co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
    });
    REQUIRE(run_watched(io, 120s));
    CHECK_FALSE(mismatch);
    report("tcp coroutines", start, end, measured);
    CHECK(end.news - start.news == 0);
    CHECK(end.mallocs - start.mallocs == 0);
}

TEST_CASE("ws_stream over TCP: async_write_many allocates nothing per batch in steady state") {
    asio::io_context io(1);
    listener lst(io);
    const traffic t;
    std::vector<tradewire::const_bytes> batch;
    for (int rep = 0; rep < 10; ++rep) {  // small messages packed many to a write, a 16 KiB one among them
        for (std::size_t k = 0; k < t.size(); ++k) {
            if (t.ops[k] == ws::opcode::text) batch.push_back(t.payloads[k]);
        }
    }
    REQUIRE_FALSE(batch.empty());
    counts start{}, end{};
    constexpr int warmup = 50, measured = 500;
    std::size_t received = 0;
    bool mismatch = false;
    spawn(io, [&]() -> asio::awaitable<void> {
        server_stream ws(co_await lst.acceptor.async_accept(use_awaitable));
        co_await ws.async_accept(use_awaitable);
        for (;;) {
            auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
            if (ec) co_return;
            if (!same(m.payload, batch[received % batch.size()])) mismatch = true;
            ++received;
        }
    });
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(lst.port());
        co_await net::async_connect(ws.next_layer(), "127.0.0.1", lst.port(), {}, use_awaitable);
        co_await ws.async_handshake(req.request, use_awaitable);
        for (int i = 0; i < warmup + measured; ++i) {
            if (i == warmup) start = now();
            co_await ws.async_write_many(ws::opcode::text, batch, use_awaitable);
        }
        end = now();
        co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
    });
    REQUIRE(run_watched(io, 120s));
    CHECK_FALSE(mismatch);
    CHECK(received == batch.size() * static_cast<std::size_t>(warmup + measured));
    report("tcp write_many", start, end, measured);
    CHECK(end.news - start.news == 0);
    CHECK(end.mallocs - start.mallocs == 0);
}

TEST_CASE("ws_stream over TLS: no operator new per message in steady state") {
    test_pki pki;
    if (!pki.ok) {
        WARN("openssl CLI missing or failed: TLS allocation test skipped");
        return;
    }
    using tls_client = net::ws_stream<net::tls_stream<net::tcp_socket>>;
    using tls_server = net::ws_stream<net::tls_stream<net::tcp_socket>, ws::server_role>;
    asio::io_context io(1);
    listener lst(io);
    std::error_code ec;
    net::tls_client_options copt;
    copt.system_trust_store = false;
    copt.ca_file = pki.ca;
    auto cctx = net::make_tls_client_context(copt, ec);
    REQUIRE_FALSE(ec);
    net::tls_server_options sopt;
    sopt.certificate_chain_file = pki.localhost_cert;
    sopt.private_key_file = pki.localhost_key;
    auto sctx = net::make_tls_server_context(sopt, ec);
    REQUIRE_FALSE(ec);

    const traffic t;
    tls_client client(io, cctx);
    std::unique_ptr<tls_server> server;
    lst.acceptor.async_accept([&](std::error_code aec, tcp::socket sock) {
        REQUIRE_FALSE(aec);
        server = std::make_unique<tls_server>(std::move(sock), sctx);
        net::async_tls_accept(server->next_layer(), [&](std::error_code tec) {
            REQUIRE_FALSE(tec);
            server->async_accept([&](std::error_code wec) { REQUIRE_FALSE(wec); });
        });
    });
    request_holder req(lst.port(), "/", "wss", "localhost");
    bool open = false;
    net::async_connect(client, req.request, {}, [&](std::error_code cec) {
        REQUIRE_FALSE(cec);
        open = true;
    });
    REQUIRE(run_io(io));
    REQUIRE(open);
    REQUIRE(server);
    echo_run<tls_client, tls_server> run{client, *server, t, 700, 3500};
    run.go();
    REQUIRE(run_watched(io, 120s));
    CHECK(run.finished);
    CHECK_FALSE(run.mismatch);
    report("tls", run.start, run.end, run.measured);
    CHECK(run.end.news - run.start.news == 0);
    // wolfSSL's own record buffers are its business (reported above, not required here).
}
