// `tradewire-cli echo-server` as a child process, against real peers: Node's `ws` and
// python3-websockets (text and binary of 0, 125, 126, 65535, 65536 bytes and several
// megabytes, ping, close code), the tradewire client (TLS, the size limit, 1001 on
// SIGTERM), tradewire-cli echo-client, and every usage error (exit 2).
#include <tradewire/net/tls.hpp>  // first: it decides how Asio's SSL headers are found

#include "catch.hpp"
#include "../net/net_test_support.hpp"
#include "cli_runner.hpp"

#include <tradewire/net/connect.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace net_test;

namespace {

// The echo server as a child process: its stderr is read until the "listening" line,
// which gives the port. SIGKILLed on destruction if still running.
class echo_server_process {
public:
    explicit echo_server_process(const std::vector<std::string>& args) {
        int err[2];
        if (pipe(err) != 0) throw std::runtime_error("pipe failed");
        const std::string exe = tradewire::test::cli_path();
        pid_ = fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            dup2(err[1], 2);
            close(err[0]);
            close(err[1]);
            const int devnull = open("/dev/null", O_RDWR);
            if (devnull >= 0) {
                dup2(devnull, 0);
                dup2(devnull, 1);
            }
            std::vector<char*> argv{const_cast<char*>(exe.c_str()), const_cast<char*>("echo-server")};
            for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
            argv.push_back(nullptr);
            execv(exe.c_str(), argv.data());
            _exit(127);
        }
        close(err[1]);
        fd_ = err[0];
        const auto line = read_line(15000ms);
        if (!line) return;
        line_ = *line;
        const std::size_t colon = line_.rfind(':');
        if (colon != std::string::npos) port_ = static_cast<std::uint16_t>(std::stoul(line_.substr(colon + 1)));
    }
    echo_server_process(const echo_server_process&) = delete;
    echo_server_process& operator=(const echo_server_process&) = delete;
    ~echo_server_process() {
        if (pid_ > 0 && !reaped_) {
            kill(pid_, SIGKILL);
            int st = 0;
            waitpid(pid_, &st, 0);
        }
        if (fd_ >= 0) close(fd_);
    }

    [[nodiscard]] std::uint16_t port() const { return port_; }
    [[nodiscard]] const std::string& line() const { return line_; }

    // Sends `sig` and waits for the exit status (-1 on timeout).
    int stop(int sig = SIGTERM, std::chrono::milliseconds timeout = 15000ms) {
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
    std::uint16_t port_ = 0;
    std::string line_;
};

const char* node_script = R"JS(
const WebSocket = require('ws');
const ws = new WebSocket(process.argv[2], { maxPayload: 0, perMessageDeflate: false });
const plan = [];
for (const n of [0, 125, 126, 65535, 65536, 3 * 1024 * 1024]) {
  plan.push({ binary: false, data: Buffer.from('t'.repeat(n)) });
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 255;
  plan.push({ binary: true, data: b });
}
let step = 0;
const fail = (m) => { console.log('FAIL ' + m); process.exit(1); };
const next = () => ws.send(plan[step].data, { binary: plan[step].binary });
ws.on('open', next);
ws.on('message', (data, isBinary) => {
  const p = plan[step];
  if (isBinary !== p.binary) fail('opcode at step ' + step);
  if (!Buffer.from(data).equals(p.data)) fail('payload at step ' + step);
  if (++step < plan.length) next(); else ws.ping(Buffer.from('node-ping'));
});
ws.on('pong', (d) => {
  if (d.toString() !== 'node-ping') fail('pong payload');
  ws.close(4000, 'node bye');
});
ws.on('close', (code) => { console.log('CLOSE ' + code); console.log(step === plan.length ? 'OK' : 'FAIL at ' + step); });
ws.on('error', (e) => fail(e.message));
)JS";

const char* python_script = R"PY(
import asyncio, sys, websockets
async def main(url):
    async with websockets.connect(url, max_size=None, compression=None) as ws:
        for n in [0, 125, 126, 65535, 65536, 4 * 1024 * 1024]:
            text = "p" * n
            await ws.send(text)
            got = await ws.recv()
            if not isinstance(got, str) or got != text:
                print("FAIL text", n); return
            data = bytes((i * 7 + 3) & 255 for i in range(n))
            await ws.send(data)
            got = await ws.recv()
            if not isinstance(got, bytes) or got != data:
                print("FAIL binary", n); return
        pong = await ws.ping(b"py-ping")
        await asyncio.wait_for(pong, 10)
        await ws.close(4001, "py bye")
        print("CLOSE", ws.close_code)
        print("OK")
asyncio.run(main(sys.argv[1]))
)PY";

std::string write_file(const temp_dir& dir, const std::string& name, const char* text) {
    const std::string path = dir.file(name);
    std::ofstream(path) << text;
    return path;
}

}  // namespace

TEST_CASE("echo-server: prints where it listens and stops with exit 0 on SIGINT and SIGTERM") {
    for (const int sig : {SIGINT, SIGTERM}) {
        echo_server_process server({"--port", "0"});
        REQUIRE(server.port() != 0);
        CHECK(server.line() == "tradewire-cli echo-server: listening on ws://127.0.0.1:" + std::to_string(server.port()));
        CHECK(server.stop(sig) == 0);
    }
}

TEST_CASE("echo-server: Node ws client (sizes, binary, ping, close code)") {
    const std::string modules = node_modules_dir();
    if (modules.empty()) {
        WARN("node or the ws package missing (scripts/install-test-peers.sh): skipped");
        return;
    }
    temp_dir dir;
    const std::string script = write_file(dir, "client.js", node_script);
    echo_server_process server({"--port", "0"});
    REQUIRE(server.port() != 0);
    child_process node({"node", script, "ws://127.0.0.1:" + std::to_string(server.port()) + "/"},
                       {"NODE_PATH=" + modules});
    const std::string out = node.rest();
    CHECK(node.wait() == 0);
    CHECK(out == "CLOSE 4000\nOK\n");
    CHECK(server.stop() == 0);
}

TEST_CASE("echo-server: python3-websockets client (sizes, binary, ping, close code)") {
    const std::string python = python_with_websockets();
    if (python.empty()) {
        WARN("python3 with websockets missing: skipped");
        return;
    }
    temp_dir dir;
    const std::string script = write_file(dir, "client.py", python_script);
    echo_server_process server({"--port", "0"});
    REQUIRE(server.port() != 0);
    child_process py({python, script, "ws://127.0.0.1:" + std::to_string(server.port()) + "/"});
    const std::string out = py.rest();
    CHECK(py.wait() == 0);
    CHECK(out == "CLOSE 4001\nOK\n");
    CHECK(server.stop() == 0);
}

TEST_CASE("echo-server: tradewire client sees 1001 on SIGTERM, the size limit closes with 1009") {
    echo_server_process server({"--port", "0", "--bind", "127.0.0.1", "--max-message-size", "1000"});
    REQUIRE(server.port() != 0);
    asio::io_context io;
    ws::close_code too_big{}, shutdown_code{};
    int exit_status = -2;
    spawn(io, [&]() -> asio::awaitable<void> {
        {
            client_stream ws(io);
            request_holder req(server.port());
            co_await net::async_connect(ws, req.request, {}, use_awaitable);
            co_await ws.async_write_text(std::string(1000, 'a'), use_awaitable);
            auto m = co_await ws.async_read(use_awaitable);
            CHECK(m.size() == 1000);
            co_await ws.async_write_binary(pattern(1001), use_awaitable);
            auto [ec, m2] = co_await ws.async_read(as_tuple_awaitable);
            CHECK(ec == net::error::closed);
            too_big = ws.close_reason().code;
        }
        client_stream ws(io);
        request_holder req(server.port());
        co_await net::async_connect(ws, req.request, {}, use_awaitable);
        co_await ws.async_write_text("ping me", use_awaitable);
        auto m = co_await ws.async_read(use_awaitable);
        CHECK(m.text() == "ping me");
        std::thread stopper([&] { exit_status = server.stop(SIGTERM); });
        auto [ec, m2] = co_await ws.async_read(as_tuple_awaitable);
        CHECK(ec == net::error::closed);
        shutdown_code = ws.close_reason().code;
        stopper.join();
    });
    REQUIRE(run_io(io));
    CHECK(too_big == ws::close_code::message_too_big);
    CHECK(shutdown_code == ws::close_code::going_away);
    CHECK(exit_status == 0);
}

TEST_CASE("echo-server: --tls with a test certificate against the tradewire TLS client") {
    test_pki pki;
    if (!pki.ok) {
        WARN("openssl CLI missing or failed: skipped");
        return;
    }
    echo_server_process server({"--tls", pki.localhost_cert, pki.localhost_key, "--port", "0"});
    REQUIRE(server.port() != 0);
    CHECK(server.line() == "tradewire-cli echo-server: listening on wss://127.0.0.1:" + std::to_string(server.port()));
    asio::io_context io;
    std::error_code ec;
    net::tls_client_options co;
    co.system_trust_store = false;
    co.ca_file = pki.ca;
    net::tls_context ctx = net::make_tls_client_context(co, ec);
    REQUIRE_FALSE(ec);
    int echoed = 0;
    spawn(io, [&]() -> asio::awaitable<void> {
        net::ws_stream<net::tls_stream<net::tcp_socket>> ws(io, ctx);
        request_holder req(server.port(), "/", "wss", "localhost");
        co_await net::async_connect(ws, req.request, {}, use_awaitable);
        for (std::size_t n : {std::size_t{0}, std::size_t{65536}, std::size_t{2} << 20}) {
            const bytes data = pattern(n, 9);
            co_await ws.async_write_binary(data, use_awaitable);
            auto m = co_await ws.async_read(use_awaitable);
            if (m.is_binary() && same(m.payload, data)) ++echoed;
        }
        co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
    });
    REQUIRE(run_io(io));
    CHECK(echoed == 3);
    CHECK(server.stop() == 0);
}

TEST_CASE("echo-server: tradewire-cli echo-client connects and follows the shutdown close") {
    const auto help = tradewire::test::run_cli({"--help"});
    if (help.out.find("echo-client") == std::string::npos) {
        WARN("tradewire-cli has no echo-client command: skipped");
        return;
    }
    test_pki pki;
    for (const bool tls : {false, true}) {
        if (tls && !pki.ok) continue;
        CAPTURE(tls);
        std::vector<std::string> args{"--port", "0"};
        if (tls) args.insert(args.end(), {"--tls", pki.localhost_cert, pki.localhost_key});
        echo_server_process server(args);
        REQUIRE(server.port() != 0);
        const std::string url = std::string(tls ? "wss://localhost:" : "ws://127.0.0.1:") + std::to_string(server.port()) + "/";
        // The test CA through --ca-file, beside the system store and whatever SSL_CERT_FILE
        // and SSL_CERT_DIR the environment sets (loading them once took wolfSSL 1-2 s, so the
        // client connected after the server had stopped: "Connection refused").
        std::vector<std::string> client_args{"echo-client", url};
        if (tls) client_args.insert(client_args.end(), {"--ca-file", pki.ca});
        int client_status = -2;
        std::string client_err;
        std::thread client([&] {
            const auto r = tradewire::test::run_cli(client_args);
            client_status = r.status;
            client_err = r.err;
        });
        // Give the client time to connect, then shut the server down: 1001 to the client.
        std::this_thread::sleep_for(500ms);
        CHECK(server.stop() == 0);
        client.join();
        CAPTURE(client_err);
        CHECK(client_status == 0);
    }
}

TEST_CASE("echo-server: usage errors exit 2") {
    using tradewire::test::run_cli;
    const std::vector<std::vector<std::string>> bad = {
        {"echo-server"},                                         // no port
        {"echo-server", "--port"},                               // no value
        {"echo-server", "--port", "http"},
        {"echo-server", "--port", "65536"},
        {"echo-server", "--port", "-1"},
        {"echo-server", "--port", "0", "--max-message-size", "0"},
        {"echo-server", "--port", "0", "--max-message-size", "12abc"},
        {"echo-server", "--port", "0", "--tls", "only-one.pem"},
        {"echo-server", "--port", "0", "--tls", "/nonexistent/cert.pem", "/nonexistent/key.pem"},
        {"echo-server", "--port", "0", "--frobnicate"},
        {"echo-server", "--port", "0", "stray"},
        {"echo-server", "--port", "0", "--bind", "not-an-address"},
    };
    for (const auto& args : bad) {
        CAPTURE(args);
        const auto r = run_cli(args);
        CHECK(r.status == 2);
        CHECK(r.err.find("echo-server") != std::string::npos);
        CHECK(r.out.empty());
    }
}
