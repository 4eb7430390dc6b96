// WebSocket over loopback TCP, one process: the server runs on its own thread, the
// client on the benchmark thread.
//
//   BM_rtt64_tradewire          64-byte text round trip, net::ws_stream client against
//                               net::ws_server (echo), blocking run (epoll_wait)
//   BM_rtt64_tradewire_busypoll the same with both threads spinning (net/run.hpp)
//   BM_rtt64_tradewire_io       BM_rtt64_tradewire with client and server on
//                               net::io_tcp_socket (io_context's executor, not the
//                               type-erased any_io_executor)
//   BM_rtt64_tradewire_io_busypoll  the same, busy-polling
//   BM_rtt64_beast              Boost.Beast synchronous client and server (baseline)
//   BM_oneway200_tradewire      200-byte text messages one way, server to client (the
//                               direction of market data): per iteration the client asks
//                               with one small message and the server sends 1000
//   BM_oneway200_tradewire_io   the same on net::io_tcp_socket
//   BM_oneway200_tradewire_wss  the same over TLS (wss://), to compare with ws://
//   BM_oneway200_beast          Boost.Beast synchronous, the same traffic (baseline)
//   BM_upstream200_tradewire    200-byte messages client to server (1000 per iteration,
//                               the iteration ends when the server has read them all)
//   BM_upstream200_tradewire_many  the same messages written with ws_stream::async_write_many
//                               (one call per 1000; packed into few system calls)
//   BM_upstream200_beast        the same with Beast (one synchronous write per message)
//   BM_rtt64_floor_blocking     64 bytes over plain TCP sockets, no WebSocket and no
//                               library: both threads block in recv() (the floor under
//                               Beast's synchronous round trip)
//   BM_rtt64_floor_epoll        the same, both threads sleeping in epoll_wait() and then
//                               reading (the floor under any epoll event loop, Asio's
//                               io_context::run() included)
//   BM_rtt64_floor_spin         the same, both threads spinning on a non-blocking recv()
//                               (the floor under busy-poll mode)
//
// Round trips: every RTT is recorded; counters median_us and p99_us are computed from
// them (not from the mean). One-way: items_per_second is messages per second.
// Ratios to look at: median/p99 tradewire vs beast; items_per_second tradewire vs beast;
// wss vs ws.
#include <tradewire/net/tls.hpp>  // first: it decides how Asio's SSL headers are found

#include <tradewire/net/connect.hpp>
#include <tradewire/net/run.hpp>
#include <tradewire/net/server.hpp>

#include <benchmark/benchmark.h>

#include <asio/io_context.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(TRADEWIRE_HAVE_BOOST_BEAST)
// Standalone Asio and Boost.Asio are separate libraries, except that both declare the
// same global helper namespaces for their customisation points. Boost's are renamed
// while its headers are read (standalone Asio's were all read above), so the two live
// in one translation unit.
#define asio_execution_bulk_execute_fn boost_asio_execution_bulk_execute_fn
#define asio_execution_connect_fn boost_asio_execution_connect_fn
#define asio_execution_execute_fn boost_asio_execution_execute_fn
#define asio_execution_schedule_fn boost_asio_execution_schedule_fn
#define asio_execution_set_done_fn boost_asio_execution_set_done_fn
#define asio_execution_set_error_fn boost_asio_execution_set_error_fn
#define asio_execution_set_value_fn boost_asio_execution_set_value_fn
#define asio_execution_start_fn boost_asio_execution_start_fn
#define asio_execution_submit_fn boost_asio_execution_submit_fn
#define asio_prefer_fn boost_asio_prefer_fn
#define asio_query_fn boost_asio_query_fn
#define asio_require_concept_fn boost_asio_require_concept_fn
#define asio_require_fn boost_asio_require_fn
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#undef asio_execution_bulk_execute_fn
#undef asio_execution_connect_fn
#undef asio_execution_execute_fn
#undef asio_execution_schedule_fn
#undef asio_execution_set_done_fn
#undef asio_execution_set_error_fn
#undef asio_execution_set_value_fn
#undef asio_execution_start_fn
#undef asio_execution_submit_fn
#undef asio_prefer_fn
#undef asio_query_fn
#undef asio_require_concept_fn
#undef asio_require_fn
#endif

namespace {

namespace net = tradewire::net;
namespace ws = tradewire::ws;
using clock_type = std::chrono::steady_clock;

constexpr std::size_t batch = 1000;

// Each io_context is run by one thread: Asio's per-socket I/O locking is not needed
// (the scheduler keeps its lock: the server's context is posted to from outside at the end).
const int io_hint = ASIO_CONCURRENCY_HINT_UNSAFE_IO;

std::string payload_of(std::size_t n) {
    std::string s = R"({"e":"trade","s":"BTCUSDT","p":"67321.50","q":"0.013"})";
    s.resize(n, ' ');
    return s;
}

void report_percentiles(benchmark::State& state, std::vector<double>& rtts_us) {
    if (rtts_us.empty()) return;
    std::sort(rtts_us.begin(), rtts_us.end());
    const auto at = [&](double q) {
        const auto i = static_cast<std::size_t>(q * static_cast<double>(rtts_us.size() - 1));
        return rtts_us[i];
    };
    state.counters["median_us"] = at(0.5);
    state.counters["p99_us"] = at(0.99);
}

// ---------------------------------------------------------------------------------------
// tradewire: server on a thread, client here
// ---------------------------------------------------------------------------------------

struct echo_handler {
    template <class S>
    void on_message(S& s, net::session_id id, const net::ws_message& m) {
        (void)s.send(id, m.op, m.payload);
    }
};

// Answers "go" with `batch` distinct 200-byte messages (each copied into a pooled frame).
struct burst_handler {
    template <class S>
    void on_message(S& s, net::session_id id, const net::ws_message& m) {
        if (m.text() != "go") return;
        std::string msg = payload_of(200);
        for (std::size_t i = 0; i < batch; ++i) {
            msg[190] = static_cast<char>('0' + i % 10);
            (void)s.send_text(id, msg);
        }
    }
};

struct sink_handler {
    std::atomic<std::uint64_t>* received = nullptr;
    template <class S>
    void on_message(S&, net::session_id, const net::ws_message&) {
        received->fetch_add(1, std::memory_order_release);
    }
};

// A throw-away certificate for wss:// (openssl CLI), made once per process.
struct bench_cert {
    std::string dir, cert, key;
    bool ok = false;
    bench_cert() {
        char tmpl[] = "/tmp/tradewire-bench-XXXXXX";
        if (mkdtemp(tmpl) == nullptr) return;
        dir = tmpl;
        cert = dir + "/cert.pem";
        key = dir + "/key.pem";
        const pid_t pid = fork();
        if (pid == 0) {
            std::freopen("/dev/null", "w", stdout);
            std::freopen("/dev/null", "w", stderr);
            execlp("openssl", "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                   "-keyout", key.c_str(), "-out", cert.c_str(), "-days", "1", "-subj", "/CN=localhost", "-addext",
                   "subjectAltName=DNS:localhost,IP:127.0.0.1", static_cast<char*>(nullptr));
            _exit(127);
        }
        int status = 0;
        if (pid > 0) waitpid(pid, &status, 0);
        ok = pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    ~bench_cert() {
        std::error_code ec;
        if (!dir.empty()) std::filesystem::remove_all(dir, ec);
    }
};

bench_cert& certificate() {
    static bench_cert c;
    return c;
}

template <class Handler, class NextLayer>
struct tw_server_thread {
    asio::io_context io{io_hint};
    std::unique_ptr<net::ws_server<Handler, NextLayer>> server;
    std::thread thread;
    std::atomic<bool> stop{false};
    bool busy_poll = false;

    template <class... Tls>
    tw_server_thread(bool busy, Handler h, Tls&... tls) : busy_poll(busy) {
        net::ws_server_options o;
        server = std::make_unique<net::ws_server<Handler, NextLayer>>(io, tls..., o, std::move(h));
        if ((*server)->listen()) std::abort();
        thread = std::thread([this] {
            auto guard = asio::make_work_guard(io);
            if (busy_poll) {
                net::run_busy_poll(io, [this] { return stop.load(std::memory_order_relaxed); });
            } else {
                io.run();
            }
        });
    }
    std::uint16_t port() const { return (*server)->port(); }
    ~tw_server_thread() {
        asio::post(io, [this] { (*server)->stop(); });
        stop = true;
        io.stop();
        thread.join();
        server.reset();
    }
};

template <class Stream>
struct tw_client {
    asio::io_context& io;
    Stream ws;
    bool busy_poll;
    std::string url;

    template <class... Tls>
    tw_client(asio::io_context& ctx, bool busy, std::uint16_t port, bool secure, Tls&... tls)
        : io(ctx), ws(ctx, tls...), busy_poll(busy) {
        url = std::string(secure ? "wss://localhost:" : "ws://127.0.0.1:") + std::to_string(port) + "/";
        std::error_code ec;
        ws::client_request req;
        req.endpoint = tradewire::parse_url(url, ec);
        bool done = false;
        net::async_connect(ws, req, {}, [&](std::error_code e) {
            ec = e;
            done = true;
        });
        run_until(done);
        if (ec) {
            std::fprintf(stderr, "bench_net: connect failed: %s\n", ec.message().c_str());
            std::abort();
        }
    }

    void run_until(const bool& flag) {
        io.restart();
        if (busy_poll) {
            while (!flag) io.poll();
        } else {
            while (!flag) io.run_one();
        }
    }

    // Runs the io_context in one run() (or one busy-poll loop) until io.stop(): Asio keeps
    // its per-thread handler memory cache only for the duration of one run call.
    void run_loop() {
        io.restart();
        auto guard = asio::make_work_guard(io);
        if (busy_poll) {
            net::run_busy_poll(io);
        } else {
            io.run();
        }
    }

    ~tw_client() {
        bool done = false;
        ws.async_close(ws::close_code::normal, "", [&](std::error_code) { done = true; });
        run_until(done);
    }
};

// The benchmark loop runs inside the client's io_context: each completed round trip
// starts the next while state.KeepRunning().
template <class Client>
struct rtt_loop {
    benchmark::State& state;
    Client& client;
    const std::string& msg;
    std::vector<double>& rtts;
    clock_type::time_point start{};
    bool write_done = true;
    bool read_done = true;

    void next() {
        if (!state.KeepRunning()) {
            client.io.stop();
            return;
        }
        write_done = read_done = false;
        start = clock_type::now();
        // Write, then read, in the order Beast's synchronous client does: the write leaves
        // at once (Asio tries the send before waiting), and the read's first attempt, which
        // finds nothing yet, happens while the message is on its way instead of before it.
        client.ws.async_write_text(msg, [this](std::error_code ec) {
            if (ec) std::abort();
            write_done = true;
            if (read_done) next();
        });
        client.ws.async_read([this](std::error_code ec, net::ws_message m) {
            if (ec || m.size() != msg.size()) std::abort();
            const auto end = clock_type::now();
            if (rtts.size() < rtts.capacity()) rtts.push_back(std::chrono::duration<double, std::micro>(end - start).count());
            read_done = true;
            if (write_done) next();
        });
    }
};

template <class Socket = net::tcp_socket>
void tradewire_rtt(benchmark::State& state, bool busy_poll) {
    tw_server_thread<echo_handler, Socket> server(busy_poll, echo_handler{});
    asio::io_context io(io_hint);
    tw_client<net::ws_stream<Socket>> client(io, busy_poll, server.port(), false);
    const std::string msg = payload_of(64);
    std::vector<double> rtts;
    rtts.reserve(1 << 20);
    rtt_loop<decltype(client)> loop{state, client, msg, rtts};
    asio::post(io, [&] { loop.next(); });
    client.run_loop();
    report_percentiles(state, rtts);
}

void BM_rtt64_tradewire(benchmark::State& state) { tradewire_rtt(state, false); }
void BM_rtt64_tradewire_busypoll(benchmark::State& state) { tradewire_rtt(state, true); }
void BM_rtt64_tradewire_io(benchmark::State& state) { tradewire_rtt<net::io_tcp_socket>(state, false); }
void BM_rtt64_tradewire_io_busypoll(benchmark::State& state) { tradewire_rtt<net::io_tcp_socket>(state, true); }

template <class Client>
struct upstream_loop {
    benchmark::State& state;
    Client& client;
    const std::string& msg;
    std::atomic<std::uint64_t>& received;
    std::size_t left = 0;
    std::uint64_t sent_total = 0;

    void next() {
        if (!state.KeepRunning()) {
            client.io.stop();
            return;
        }
        left = batch;
        write();
    }
    void write() {
        client.ws.async_write_text(msg, [this](std::error_code ec) {
            if (ec) std::abort();
            if (--left != 0) return write();
            // The batch ends when the server has read all of it.
            sent_total += batch;
            while (received.load(std::memory_order_acquire) < sent_total) std::this_thread::yield();
            next();
        });
    }
};

// The same traffic written with async_write_many: each batch of 1000 messages is packed
// into the write buffer (64 KiB: ~300 frames) and leaves in a few system calls.
template <class Client>
struct upstream_many_loop {
    benchmark::State& state;
    Client& client;
    const std::vector<tradewire::const_bytes>& batch_views;
    std::atomic<std::uint64_t>& received;
    std::uint64_t sent_total = 0;

    void next() {
        if (!state.KeepRunning()) {
            client.io.stop();
            return;
        }
        client.ws.async_write_many(ws::opcode::text, batch_views, [this](std::error_code ec) {
            if (ec) std::abort();
            sent_total += batch;
            while (received.load(std::memory_order_acquire) < sent_total) std::this_thread::yield();
            next();
        });
    }
};

void BM_upstream200_tradewire_many(benchmark::State& state) {
    std::atomic<std::uint64_t> received{0};
    tw_server_thread<sink_handler, net::tcp_socket> server(false, sink_handler{&received});
    asio::io_context io(io_hint);
    const std::string msg = payload_of(200);
    const std::vector<tradewire::const_bytes> views(batch, tradewire::as_bytes(std::string_view(msg)));
    tw_client<net::ws_stream<net::tcp_socket>> client(io, false, server.port(), false);
    upstream_many_loop<decltype(client)> loop{state, client, views, received};
    asio::post(io, [&] { loop.next(); });
    client.run_loop();
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * batch * msg.size()));
}

void BM_upstream200_tradewire(benchmark::State& state) {
    std::atomic<std::uint64_t> received{0};
    tw_server_thread<sink_handler, net::tcp_socket> server(false, sink_handler{&received});
    asio::io_context io(io_hint);
    const std::string msg = payload_of(200);
    tw_client<net::ws_stream<net::tcp_socket>> client(io, false, server.port(), false);
    upstream_loop<decltype(client)> loop{state, client, msg, received};
    asio::post(io, [&] { loop.next(); });
    client.run_loop();
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * batch * msg.size()));
}

template <class Client>
struct burst_loop {
    benchmark::State& state;
    Client& client;
    std::size_t left = 0;
    std::size_t bytes = 0;

    void next() {
        if (!state.KeepRunning()) {
            client.io.stop();
            return;
        }
        left = batch;
        read();
        client.ws.async_write_text("go", [](std::error_code ec) {
            if (ec) std::abort();
        });
    }
    void read() {
        client.ws.async_read([this](std::error_code ec, net::ws_message m) {
            if (ec) std::abort();
            bytes += m.size();
            if (--left == 0) return next();
            read();
        });
    }
};

template <class NextLayer, class... Tls>
void tradewire_oneway(benchmark::State& state, bool secure, Tls&... server_tls) {
    tw_server_thread<burst_handler, NextLayer> server(false, burst_handler{}, server_tls...);
    asio::io_context io(io_hint);
    auto body = [&](auto& client) {
        burst_loop<std::remove_reference_t<decltype(client)>> loop{state, client};
        asio::post(io, [&] { loop.next(); });
        client.run_loop();
        state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
        state.SetBytesProcessed(static_cast<std::int64_t>(loop.bytes));
    };
    if constexpr (sizeof...(Tls) == 0) {
        tw_client<net::ws_stream<NextLayer>> client(io, false, server.port(), secure);
        body(client);
    } else {
        std::error_code ec;
        net::tls_client_options co;
        co.verify = net::tls_verify::insecure_no_verification;  // a benchmark against its own throw-away certificate
        net::tls_context ctx = net::make_tls_client_context(co, ec);
        tw_client<net::ws_stream<net::tls_stream<net::tcp_socket>>> client(io, false, server.port(), secure, ctx);
        body(client);
    }
}

void BM_oneway200_tradewire(benchmark::State& state) { tradewire_oneway<net::tcp_socket>(state, false); }
void BM_oneway200_tradewire_io(benchmark::State& state) { tradewire_oneway<net::io_tcp_socket>(state, false); }

void BM_oneway200_tradewire_wss(benchmark::State& state) {
    bench_cert& c = certificate();
    if (!c.ok) {
        state.SkipWithError("openssl CLI missing: no certificate for wss://");
        for (auto _ : state) {
        }
        return;
    }
    net::tls_server_options so;
    so.certificate_chain_file = c.cert;
    so.private_key_file = c.key;
    std::error_code ec;
    net::tls_context server_ctx = net::make_tls_server_context(so, ec);
    if (ec) std::abort();
    tradewire_oneway<net::tls_stream<net::tcp_socket>>(state, true, server_ctx);
}

BENCHMARK(BM_rtt64_tradewire)->UseRealTime();
BENCHMARK(BM_rtt64_tradewire_busypoll)->UseRealTime();
BENCHMARK(BM_rtt64_tradewire_io)->UseRealTime();
BENCHMARK(BM_rtt64_tradewire_io_busypoll)->UseRealTime();
BENCHMARK(BM_oneway200_tradewire)->UseRealTime();
BENCHMARK(BM_oneway200_tradewire_io)->UseRealTime();
BENCHMARK(BM_oneway200_tradewire_wss)->UseRealTime();
BENCHMARK(BM_upstream200_tradewire)->UseRealTime();
BENCHMARK(BM_upstream200_tradewire_many)->UseRealTime();

// ---------------------------------------------------------------------------------------
// Boost.Beast baseline: synchronous client and server over boost::asio::ip::tcp
// ---------------------------------------------------------------------------------------

#if defined(TRADEWIRE_HAVE_BOOST_BEAST)

namespace bb = boost::beast;
namespace bws = boost::beast::websocket;
using btcp = boost::asio::ip::tcp;

struct beast_server_thread {
    boost::asio::io_context io{1};
    btcp::acceptor acceptor{io, btcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)};
    std::thread thread;
    std::atomic<std::uint64_t> received{0};

    enum class mode { echo, sink, burst };
    explicit beast_server_thread(mode how) {
        thread = std::thread([this, how] {
            btcp::socket sock(io);
            acceptor.accept(sock);
            sock.set_option(btcp::no_delay(true));
            bws::stream<btcp::socket> ws(std::move(sock));
            ws.read_message_max(64 << 20);
            ws.accept();
            bb::flat_buffer buffer;
            for (;;) {
                bb::error_code ec;
                ws.read(buffer, ec);
                if (ec) return;
                if (how == mode::echo) {
                    ws.text(ws.got_text());
                    ws.write(buffer.data(), ec);
                    if (ec) return;
                } else if (how == mode::burst) {
                    std::string msg = payload_of(200);
                    ws.text(true);
                    for (std::size_t i = 0; i < batch && !ec; ++i) {
                        msg[190] = static_cast<char>('0' + i % 10);
                        ws.write(boost::asio::buffer(msg), ec);
                    }
                    if (ec) return;
                } else {
                    received.fetch_add(1, std::memory_order_release);
                }
                buffer.consume(buffer.size());
            }
        });
    }
    std::uint16_t port() const { return acceptor.local_endpoint().port(); }
    ~beast_server_thread() { thread.join(); }
};

struct beast_client {
    boost::asio::io_context io{1};
    bws::stream<btcp::socket> ws{io};
    explicit beast_client(std::uint16_t port) {
        ws.next_layer().connect(btcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
        ws.next_layer().set_option(btcp::no_delay(true));
        ws.handshake("127.0.0.1:" + std::to_string(port), "/");
        ws.text(true);
    }
    ~beast_client() {
        bb::error_code ec;
        ws.close(bws::close_code::normal, ec);
        // Drain until the server's Close arrives (close() already waits for it).
    }
};

void BM_rtt64_beast(benchmark::State& state) {
    beast_server_thread server(beast_server_thread::mode::echo);
    beast_client client(server.port());
    const std::string msg = payload_of(64);
    bb::flat_buffer buffer;
    std::vector<double> rtts;
    rtts.reserve(1 << 20);
    for (auto _ : state) {
        const auto start = clock_type::now();
        client.ws.write(boost::asio::buffer(msg));
        client.ws.read(buffer);
        const auto end = clock_type::now();
        if (buffer.size() != msg.size()) std::abort();
        buffer.consume(buffer.size());
        if (rtts.size() < rtts.capacity()) rtts.push_back(std::chrono::duration<double, std::micro>(end - start).count());
    }
    report_percentiles(state, rtts);
}

void BM_oneway200_beast(benchmark::State& state) {
    beast_server_thread server(beast_server_thread::mode::burst);
    beast_client client(server.port());
    bb::flat_buffer buffer;
    std::size_t bytes = 0;
    for (auto _ : state) {
        client.ws.write(boost::asio::buffer(std::string_view("go")));
        for (std::size_t i = 0; i < batch; ++i) {
            client.ws.read(buffer);
            bytes += buffer.size();
            buffer.consume(buffer.size());
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_upstream200_beast(benchmark::State& state) {
    beast_server_thread server(beast_server_thread::mode::sink);
    beast_client client(server.port());
    const std::string msg = payload_of(200);
    std::uint64_t sent_total = 0;
    for (auto _ : state) {
        for (std::size_t i = 0; i < batch; ++i) client.ws.write(boost::asio::buffer(msg));
        sent_total += batch;
        while (server.received.load(std::memory_order_acquire) < sent_total) std::this_thread::yield();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * batch * msg.size()));
}

BENCHMARK(BM_rtt64_beast)->UseRealTime();
BENCHMARK(BM_oneway200_beast)->UseRealTime();
BENCHMARK(BM_upstream200_beast)->UseRealTime();

#endif

// ---------------------------------------------------------------------------------------
// Floors: the same 64-byte round trip on bare sockets, to tell what the kernel costs on
// this machine from what a WebSocket library adds. One connected pair over loopback, an
// echo thread, the benchmark thread as client; no framing, no library.
// ---------------------------------------------------------------------------------------

enum class floor_wait { blocking, epoll, spin };

// Waits for and reads exactly n bytes the way `how` says; false when the peer is gone.
class floor_reader {
public:
    floor_reader(int fd, floor_wait how) : fd_(fd), how_(how) {
        if (how_ == floor_wait::blocking) return;
        if (how_ == floor_wait::epoll) {
            ep_ = epoll_create1(0);
            epoll_event ev{};
            ev.events = EPOLLIN | EPOLLET;
            ev.data.fd = fd_;
            if (ep_ < 0 || epoll_ctl(ep_, EPOLL_CTL_ADD, fd_, &ev) != 0) std::abort();
        }
    }
    floor_reader(const floor_reader&) = delete;
    floor_reader& operator=(const floor_reader&) = delete;
    ~floor_reader() {
        if (ep_ >= 0) ::close(ep_);
    }

    bool read_exactly(char* buf, std::size_t n) {
        std::size_t got = 0;
        while (got < n) {
            if (how_ == floor_wait::epoll) {
                epoll_event ev{};
                if (epoll_wait(ep_, &ev, 1, -1) < 0) continue;
            }
            const int flags = how_ == floor_wait::blocking ? 0 : MSG_DONTWAIT;
            const ssize_t r = ::recv(fd_, buf + got, n - got, flags);
            if (r > 0) {
                got += static_cast<std::size_t>(r);
            } else if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                return false;
            }
        }
        return true;
    }

private:
    int fd_;
    floor_wait how_;
    int ep_ = -1;
};

void floor_rtt(benchmark::State& state, floor_wait how) {
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener, 1) != 0 || ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        std::abort();
    }
    const auto no_delay = [](int fd) {
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    };
    constexpr std::size_t size = 64;
    std::thread echo([&] {
        const int fd = ::accept(listener, nullptr, nullptr);
        if (fd < 0) std::abort();
        no_delay(fd);
        floor_reader reader(fd, how);
        char buf[size];
        while (reader.read_exactly(buf, size)) {
            if (::send(fd, buf, size, MSG_NOSIGNAL) != static_cast<ssize_t>(size)) break;
        }
        ::close(fd);
    });
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) std::abort();
    no_delay(fd);
    std::vector<double> rtts;
    rtts.reserve(1 << 20);
    {
        floor_reader reader(fd, how);
        const std::string msg = payload_of(size);
        char buf[size];
        for (auto _ : state) {
            const auto start = clock_type::now();
            if (::send(fd, msg.data(), size, MSG_NOSIGNAL) != static_cast<ssize_t>(size)) std::abort();
            if (!reader.read_exactly(buf, size)) std::abort();
            const auto end = clock_type::now();
            if (rtts.size() < rtts.capacity()) rtts.push_back(std::chrono::duration<double, std::micro>(end - start).count());
        }
    }
    ::shutdown(fd, SHUT_WR);  // the echo thread reads end of stream and leaves
    echo.join();
    ::close(fd);
    ::close(listener);
    report_percentiles(state, rtts);
}

void BM_rtt64_floor_blocking(benchmark::State& state) { floor_rtt(state, floor_wait::blocking); }
void BM_rtt64_floor_epoll(benchmark::State& state) { floor_rtt(state, floor_wait::epoll); }
void BM_rtt64_floor_spin(benchmark::State& state) { floor_rtt(state, floor_wait::spin); }

BENCHMARK(BM_rtt64_floor_blocking)->UseRealTime();
BENCHMARK(BM_rtt64_floor_epoll)->UseRealTime();
BENCHMARK(BM_rtt64_floor_spin)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
