// An in-process test server on its own thread, for tests whose client is another
// process (tradewire-cli): accepts connections on 127.0.0.1 and runs a coroutine per
// connection. Sessions record what they saw in plain variables; the test reads them
// after wait_sessions() (which makes the hand-over safe) or after stop().
#pragma once

#include <tradewire/net/tls.hpp>  // first: it decides how Asio's SSL headers are found

#include "net_test_support.hpp"

#include <atomic>
#include <functional>
#include <thread>

namespace net_test {

class background_server {
public:
    using session_fn = std::function<asio::awaitable<void>(tcp::socket)>;

    explicit background_server(session_fn session) : lst_(io_), session_(std::move(session)) {
        asio::co_spawn(io_, accept_loop(), asio::detached);
        thread_ = std::thread([this] {
            io_.run();
            net::tls_release_thread_state();  // sessions may have run TLS handshakes here
        });
    }
    background_server(const background_server&) = delete;
    background_server& operator=(const background_server&) = delete;
    ~background_server() { stop(); }

    std::uint16_t port() const { return port_; }
    std::string url(std::string_view scheme = "ws", std::string_view host = "127.0.0.1") const {
        return std::string(scheme) + "://" + std::string(host) + ":" + std::to_string(port_) + "/";
    }

    // Waits until `n` sessions have returned; false after `timeout`.
    bool wait_sessions(int n, std::chrono::milliseconds timeout = 20000ms) const {
        const auto end = std::chrono::steady_clock::now() + timeout;
        while (finished_.load() < n) {
            if (std::chrono::steady_clock::now() >= end) return false;
            std::this_thread::sleep_for(5ms);
        }
        return true;
    }

    void stop() {
        if (!thread_.joinable()) return;
        io_.stop();
        thread_.join();
    }

    asio::io_context& context() { return io_; }

private:
    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, sock] = co_await lst_.acceptor.async_accept(as_tuple_awaitable);
            if (ec) co_return;
            asio::co_spawn(
                io_,
                [this, s = std::move(sock)]() mutable -> asio::awaitable<void> {
                    try {
                        co_await session_(std::move(s));
                    } catch (const std::exception&) {
                        // A session that throws has failed; the test sees it in what it recorded.
                    }
                    ++finished_;
                },
                asio::detached);
        }
    }

    asio::io_context io_;
    listener lst_;
    std::uint16_t port_ = lst_.port();
    session_fn session_;
    std::atomic<int> finished_{0};
    std::thread thread_;
};

}  // namespace net_test
