// tradewire-cli connect (wscat): stdin lines go out as text messages and every message
// received is printed on its own line; stdin EOF closes with 1000 and exits 0; a server
// close exits 0 for 1000 and 1 (code and reason on stderr) otherwise; --header reaches
// the server; --insecure turns TLS verification off and says so; failures exit 1.
#include "catch.hpp"
#include "cli_runner.hpp"

#include "../net/background_server.hpp"

#include <tradewire/net/tls.hpp>  // first: it decides how Asio's SSL headers are found

#include <tradewire/net/ws_stream.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mutex>

using namespace net_test;
using tradewire::test::cli_result;
using tradewire::test::run_cli;

namespace {

using tls_server = net::ws_stream<net::tls_stream<net::tcp_socket>, ws::server_role>;

// Like run_cli, but standard input stays open until the command exits on its own (a
// server-side close must end it, not the end of input). Gives up after 30 s.
cli_result run_cli_stdin_open(const std::vector<std::string>& args, const std::string& input) {
    int in[2], out[2], err[2];
    REQUIRE(pipe(in) == 0);
    REQUIRE(pipe(out) == 0);
    REQUIRE(pipe(err) == 0);
    const std::string exe = tradewire::test::cli_path();
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) close(fd);
        std::vector<char*> argv{const_cast<char*>(exe.c_str())};
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(exe.c_str(), argv.data());
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (!input.empty())
        REQUIRE(write(in[1], input.data(), input.size()) == static_cast<ssize_t>(input.size()));
    cli_result r;
    bool out_open = true, err_open = true;
    const auto end = std::chrono::steady_clock::now() + 30s;
    char buf[4096];
    while ((out_open || err_open) && std::chrono::steady_clock::now() < end) {
        pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
        if (poll(fds, 2, 100) <= 0) continue;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].revents == 0) continue;
            const ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                (i == 0 ? out_open : err_open) = false;
                continue;
            }
            (i == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(n));
        }
    }
    if (out_open || err_open) kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    close(in[1]);
    close(out[0]);
    close(err[0]);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

// A tradewire echo server that records the messages and the close it saw.
struct recording_echo {
    std::mutex m;
    std::vector<std::string> messages;
    std::string authorization;
    int close_code = 0;

    background_server::session_fn session() {
        return [this](tcp::socket s) -> asio::awaitable<void> {
            server_stream ws(std::move(s));
            co_await ws.async_accept(
                [this](const ws::server_handshake& hs) {
                    std::lock_guard<std::mutex> lock(m);
                    authorization = std::string(hs.field("authorization"));
                    return net::ws_accept_decision::allow();
                },
                use_awaitable);
            for (;;) {
                auto [ec, msg] = co_await ws.async_read(as_tuple_awaitable);
                if (ec) {
                    std::lock_guard<std::mutex> lock(m);
                    close_code = static_cast<int>(ws.close_reason().code);
                    co_return;
                }
                {
                    std::lock_guard<std::mutex> lock(m);
                    messages.emplace_back(msg.text());
                }
                co_await ws.async_write(msg.op, msg.payload, use_awaitable);
            }
        };
    }
};

}  // namespace

TEST_CASE("connect: stdin lines are sent, echoes printed one per line, EOF closes with 1000 and exits 0") {
    recording_echo echo;
    background_server server(echo.session());
    const auto r =
        run_cli({"connect", server.url(), "--header", "Authorization: Bearer t0ken"},
                "first line\n{\"op\":\"subscribe\",\"args\":[\"trades\"]}\n\nlast line without newline");
    CHECK(r.status == 0);
    CHECK(r.out == "first line\n{\"op\":\"subscribe\",\"args\":[\"trades\"]}\n\nlast line without newline\n");
    CHECK(r.err.empty());
    REQUIRE(server.wait_sessions(1));
    std::lock_guard<std::mutex> lock(echo.m);
    CHECK(echo.messages.size() == 4);
    CHECK(echo.authorization == "Bearer t0ken");
    CHECK(echo.close_code == 1000);
}

TEST_CASE("connect: against python3-websockets, CRLF input and many lines") {
    const std::string py = python_with_websockets();
    if (py.empty()) {
        WARN("SKIPPED: python3 with the websockets package not found (Debian: python3-websockets)");
        return;
    }
    child_process peer({py, source_path("tests/interop/ws_peer.py"), "echo-server"});
    const auto line = peer.read_line();
    REQUIRE(line);
    std::string input, expected;
    for (int i = 0; i < 300; ++i) {
        input += "line " + std::to_string(i) + "\r\n";
        expected += "line " + std::to_string(i) + "\n";
    }
    const auto r = run_cli({"connect", "ws://127.0.0.1:" + line->substr(5) + "/"}, input);
    CHECK(r.status == 0);
    CHECK(r.out == expected);
}

TEST_CASE("connect: a server close exits 0 for 1000 and 1 with code and reason otherwise") {
    for (const auto& [code, reason, status] : std::vector<std::tuple<int, std::string, int>>{
             {1000, "bye", 0}, {4001, "session expired", 1}, {1011, "", 1}}) {
        background_server server([code = code, reason = reason](tcp::socket s) -> asio::awaitable<void> {
            server_stream ws(std::move(s));
            co_await ws.async_accept(use_awaitable);
            co_await ws.async_write_text("before close", use_awaitable);
            co_await ws.async_close(ws::close_code(static_cast<std::uint16_t>(code)), reason,
                                    as_tuple_awaitable);
        });
        const auto r = run_cli_stdin_open({"connect", server.url()}, "");
        CAPTURE(code, r.err);
        CHECK(r.status == status);
        CHECK(r.out == "before close\n");
        if (status != 0) {
            CHECK(r.err.find(std::to_string(code)) != std::string::npos);
            CHECK(r.err.find(reason) != std::string::npos);
        }
    }
}

TEST_CASE(
    "connect: --insecure turns TLS verification off and says so, without it an untrusted server is refused") {
    test_pki pki;
    REQUIRE(pki.ok);
    net::tls_server_options sopt;
    sopt.certificate_chain_file = pki.rogue_cert;
    sopt.private_key_file = pki.rogue_key;
    std::error_code ec;
    auto ctx = net::make_tls_server_context(sopt, ec);
    REQUIRE_FALSE(ec);
    background_server server([&](tcp::socket s) -> asio::awaitable<void> {
        tls_server ws(std::move(s), ctx);
        auto [tec] = co_await net::async_tls_accept(ws.next_layer(), as_tuple_awaitable);
        if (tec) co_return;
        co_await ws.async_accept(use_awaitable);
        for (;;) {
            auto [rec, m] = co_await ws.async_read(as_tuple_awaitable);
            if (rec) co_return;
            co_await ws.async_write(m.op, m.payload, use_awaitable);
        }
    });
    const std::string url = server.url("wss", "localhost");
    const auto refused = run_cli({"connect", url}, "x\n");
    CHECK(refused.status == 1);
    CHECK(refused.err.find("not trusted") != std::string::npos);
    CHECK(refused.out.empty());
    const auto insecure = run_cli({"connect", url, "--insecure"}, "over tls\n");
    CHECK(insecure.status == 0);
    CHECK(insecure.out == "over tls\n");
    CHECK(insecure.err.find("verification is OFF") != std::string::npos);
}

TEST_CASE("connect: failures and usage errors") {
    std::uint16_t port = 0;
    {
        asio::io_context io;
        listener lst(io);
        port = lst.port();
    }
    const auto refused = run_cli({"connect", "ws://127.0.0.1:" + std::to_string(port) + "/"}, "x\n");
    CHECK(refused.status == 1);
    CHECK(refused.err.find("refused") != std::string::npos);
    CHECK(run_cli({"connect"}).status == 2);
    CHECK(run_cli({"connect", "ftp://x/"}).status == 2);
    CHECK(run_cli({"connect", "ws://127.0.0.1:1/", "--header", "no colon"}).status == 2);
    CHECK(run_cli({"connect", "ws://127.0.0.1:1/", "--header", "Bad Name: v"}).status == 2);
    CHECK(run_cli({"connect", "ws://127.0.0.1:1/", "--header", "Upgrade: h2c"}).status ==
          2);  // the handshake's own
}
