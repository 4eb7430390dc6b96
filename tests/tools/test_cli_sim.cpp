// `tradewire-cli sim` as a child process: it prints each venue's URL, serves a Bybit
// subscription whose data decodes, stops with exit 0 on SIGINT, and refuses bad options
// with exit 2.
#include "catch.hpp"
#include "../net/net_test_support.hpp"
#include "cli_runner.hpp"

#include <tradewire/exchange/bybit.hpp>
#include <tradewire/net/connect.hpp>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <vector>

using namespace net_test;

namespace {

class sim_process {
public:
    explicit sim_process(const std::vector<std::string>& args) {
        int err[2];
        if (pipe(err) != 0) throw std::runtime_error("pipe failed");
        const std::string exe = tradewire::test::cli_path();
        pid_ = fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            dup2(err[1], 2);
            close(err[0]);
            close(err[1]);
            std::vector<char*> argv{const_cast<char*>(exe.c_str()), const_cast<char*>("sim")};
            for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
            argv.push_back(nullptr);
            execv(exe.c_str(), argv.data());
            _exit(127);
        }
        close(err[1]);
        fd_ = err[0];
        for (int i = 0; i < 8; ++i) {
            const auto line = read_line(15000ms);
            if (!line) break;
            lines_.push_back(*line);
            if (line->find("ready") != std::string::npos) break;
        }
    }
    sim_process(const sim_process&) = delete;
    sim_process& operator=(const sim_process&) = delete;
    ~sim_process() {
        if (pid_ > 0 && !reaped_) {
            kill(pid_, SIGKILL);
            int st = 0;
            waitpid(pid_, &st, 0);
        }
        if (fd_ >= 0) close(fd_);
    }

    // The port in the line naming `venue` ("... bybit ws://127.0.0.1:P/...").
    std::uint16_t port(const std::string& venue) const {
        for (const auto& l : lines_) {
            const std::size_t at = l.find(" " + venue + " ws://127.0.0.1:");
            if (at == std::string::npos) continue;
            return static_cast<std::uint16_t>(std::stoul(l.substr(at + venue.size() + 17)));
        }
        return 0;
    }
    const std::vector<std::string>& lines() const { return lines_; }

    int stop(int sig, std::chrono::milliseconds timeout = 15000ms) {
        kill(pid_, sig);
        const auto end = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            int st = 0;
            if (waitpid(pid_, &st, WNOHANG) == pid_) {
                reaped_ = true;
                return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            }
            if (std::chrono::steady_clock::now() >= end) return -1;
            usleep(5000);
        }
    }

private:
    std::optional<std::string> read_line(std::chrono::milliseconds timeout) {
        std::string buf;
        const auto end = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            pollfd p{fd_, POLLIN, 0};
            if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
            char c = 0;
            if (read(fd_, &c, 1) != 1) return std::nullopt;
            if (c == '\n') return buf;
            buf.push_back(c);
        }
    }

    pid_t pid_ = -1;
    int fd_ = -1;
    bool reaped_ = false;
    std::vector<std::string> lines_;
};

struct counter {
    int trades = 0, books = 0, errors = 0;
    void on_trade(const tradewire::market::trade&) { ++trades; }
    void on_book_snapshot(const tradewire::market::book_snapshot&) { ++books; }
    void on_book_delta(const tradewire::market::book_delta&) { ++books; }
    void on_decode_error(const tradewire::exchange::decode_error&) { ++errors; }
};

}  // namespace

TEST_CASE("cli sim: prints the venue URLs, serves Bybit data, exits 0 on SIGINT") {
    sim_process p({"--seed", "3", "--speed", "20", "--rate", "40"});
    REQUIRE(p.lines().size() == 5);
    const std::uint16_t port = p.port("bybit");
    REQUIRE(port != 0);
    CHECK(p.port("okx") != 0);
    asio::io_context io;
    counter c;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(port, "/v5/public/spot");
        co_await net::async_connect(ws, req.request, {}, use_awaitable);
        co_await ws.async_write_text(R"({"op":"subscribe","args":["publicTrade.BTCUSDT","orderbook.50.BTCUSDT"]})", use_awaitable);
        tradewire::exchange::bybit::decoder dec;
        for (int i = 0; i < 500 && (c.trades < 3 || c.books < 3); ++i) {
            auto m = co_await ws.async_read(use_awaitable);
            std::string text(m.text());
            dec.decode(std::span<char>(text.data(), text.size()), c);
        }
        co_await ws.async_close(ws::close_code::normal, "", as_tuple_awaitable);
    });
    REQUIRE(run_io(io));
    CHECK(c.trades >= 3);
    CHECK(c.books >= 3);
    CHECK(c.errors == 0);
    CHECK(p.stop(SIGINT) == 0);
}

TEST_CASE("cli sim: bad options are usage errors") {
    CHECK(tradewire::test::run_cli({"sim", "--speed", "0"}).status == 2);
    CHECK(tradewire::test::run_cli({"sim", "--seed", "x"}).status == 2);
    CHECK(tradewire::test::run_cli({"sim", "extra"}).status == 2);
}
