// Steady state allocates nothing: after a warm-up, a server broadcasting pooled frames
// to several sessions (tradewire clients reading them), sessions echoing, and a
// reconnecting client receiving and sending, all go through thousands of messages
// without one call to operator new and, where it can be counted (glibc, no sanitizer),
// without one malloc (Asio takes operation memory from malloc).
//
// This program replaces the global allocation functions to count them.
#include "catch.hpp"
#include "net_test_support.hpp"

#include <tradewire/net/reconnecting_client.hpp>
#include <tradewire/net/server.hpp>

#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/steady_timer.hpp>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <new>
#include <functional>
#include <string>

namespace {
std::atomic<long> allocations{0};
}  // namespace

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TW_SERVER_COUNT_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define TW_SERVER_COUNT_MALLOC 0
#endif
#endif
#if !defined(TW_SERVER_COUNT_MALLOC) && defined(__GLIBC__)
#define TW_SERVER_COUNT_MALLOC 1
#endif
#if !defined(TW_SERVER_COUNT_MALLOC)
#define TW_SERVER_COUNT_MALLOC 0
#endif

#if TW_SERVER_COUNT_MALLOC
// glibc's own entry points, so the counting wrappers need no dlsym.
extern "C" {
void* __libc_malloc(std::size_t);
void __libc_free(void*);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);

void* malloc(std::size_t n) noexcept {
    allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_malloc(n);
}
void free(void* p) noexcept { __libc_free(p); }
void* calloc(std::size_t a, std::size_t b) noexcept {
    allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_calloc(a, b);
}
void* realloc(void* p, std::size_t n) noexcept {
    allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_realloc(p, n);
}
void* aligned_alloc(std::size_t alignment, std::size_t n) noexcept {
    allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_memalign(alignment, n);
}
void* memalign(std::size_t alignment, std::size_t n) noexcept {
    allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_memalign(alignment, n);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t n) noexcept {
    allocations.fetch_add(1, std::memory_order_relaxed);
    void* p = __libc_memalign(alignment, n);
    if (p == nullptr) return ENOMEM;
    *out = p;
    return 0;
}
}
#endif

// Under sanitizers nothing is replaced (they own the allocator): the traffic still runs.
#if TW_SERVER_COUNT_MALLOC
// operator new counts on its own (and, through malloc, above as well; a nonzero count is
// all that matters).
void* operator new(std::size_t n) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void* operator new(std::size_t n, std::align_val_t a) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    const std::size_t align = static_cast<std::size_t>(a);
    if (void* p = std::aligned_alloc(align, (n + align - 1) / align * align)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) { return ::operator new(n, a); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return ::operator new(n, t); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    allocations.fetch_add(1, std::memory_order_relaxed);
    const std::size_t align = static_cast<std::size_t>(a);
    return std::aligned_alloc(align, (n + align - 1) / align * align);
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t& t) noexcept {
    return ::operator new(n, a, t);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
#endif

using namespace net_test;

namespace {

struct echo_and_topic {
    net::topic_id topic = 0;
    bool ready = false;
    template <class S>
    void on_open(S& s, net::session_id id) {
        topic = s.topic("t");
        ready = true;
        s.subscribe(id, topic);
    }
    template <class S>
    void on_message(S& s, net::session_id id, const net::ws_message& m) {
        (void)s.send(id, m.op, m.payload);
    }
};

// A callback-driven client that counts what it reads.
struct counting_reader {
    client_stream ws;
    std::size_t received = 0;
    explicit counting_reader(asio::io_context& io) : ws(io) {}
    void arm() {
        ws.async_read([this](std::error_code ec, net::ws_message) {
            if (ec) return;
            ++received;
            arm();
        });
    }
};

struct counting_client_handler {
    std::size_t received = 0;
    template <class C>
    void on_message(C&, const net::ws_message&, std::uint64_t) {
        ++received;
    }
};

template <class Pred>
bool run_until(asio::io_context& io, Pred pred) {
    const auto end = std::chrono::steady_clock::now() + 20s;
    io.restart();
    while (!pred()) {
        if (std::chrono::steady_clock::now() > end) return false;
        io.run_one_for(100ms);
    }
    return true;
}

}  // namespace

TEST_CASE("server alloc: broadcast, echo and the reconnecting client allocate nothing in steady state") {
    asio::io_context io(1);
    net::ws_server<echo_and_topic> server(io, net::ws_server_options{});
    REQUIRE_FALSE(server->listen());
    constexpr int readers = 3;
    std::vector<std::unique_ptr<counting_reader>> clients;
    int connected = 0;
    for (int i = 0; i < readers; ++i) {
        clients.push_back(std::make_unique<counting_reader>(io));
        auto* c = clients.back().get();
        auto req = std::make_shared<request_holder>(server->port());
        net::async_connect(c->ws, req->request, {}, [c, req, &connected](std::error_code ec) {
            REQUIRE_FALSE(ec);
            ++connected;
            c->arm();
        });
    }
    net::reconnect_options ro;
    ro.url = "ws://127.0.0.1:" + std::to_string(server->port()) + "/";
    net::reconnecting_client<counting_client_handler> rc(io, ro);
    rc->async_run([](std::error_code) {});
    REQUIRE(run_until(io, [&] { return connected == readers && rc->connected() && server->session_count() == readers + 1; }));

    // The rounds run inside one io.run(): Asio keeps its per-thread memory caches for the
    // duration of a run() call, so the measurement must not leave it.
    const std::string text = text_pattern(180, 4);
    std::size_t expected = 0;
    int rounds_done = 0;
    long before = 0;
    long during = -1;
    constexpr int warmup_rounds = 20;
    constexpr int measured_rounds = 100;
    constexpr int per_round = 32;
    std::function<void()> start_round;
    const auto complete = [&] {
        for (const auto& c : clients) {
            if (c->received < expected) return false;
        }
        // Broadcast and echo both reach the reconnecting client.
        return rc->handler().received >= 2 * expected;
    };
    std::function<void()> poll;
    poll = [&] {
        if (complete()) {
            ++rounds_done;
            if (rounds_done == warmup_rounds) before = allocations.load();
            if (rounds_done == warmup_rounds + measured_rounds) {
                during = allocations.load() - before;
                io.stop();
                return;
            }
            start_round();
        }
        // Busy check through post (the recycled path) rather than a timer per check.
        asio::post(io, [&] { poll(); });
    };
    start_round = [&] {
        for (int i = 0; i < per_round; ++i) {
            server->broadcast(server->handler().topic, server->frames().make_text(text));
            (void)rc->send_text(text);  // its session echoes it back
        }
        expected += per_round;
    };
    start_round();
    asio::post(io, [&] { poll(); });
    // run(), not run_for(): run_for() runs each handler in its own run_one, and Asio's
    // per-thread recycling cache lives only as long as one such call. A timer bounds it.
    asio::steady_timer limit(io);
    limit.expires_after(60s);
    limit.async_wait([&](std::error_code ec) {
        if (!ec) io.stop();
    });
    io.restart();
    io.run();
    limit.cancel();
    CAPTURE(TW_SERVER_COUNT_MALLOC, rounds_done, rc->connections(), server->stats().opened);
    REQUIRE(rounds_done == warmup_rounds + measured_rounds);
#if TW_SERVER_COUNT_MALLOC
    CHECK(during == 0);
#else
    WARN("allocations are not counted in this build (sanitizer or not glibc)");
#endif
    rc->cancel();
    server->stop();
    clients.clear();
    io.restart();
    io.run_for(2s);
}
