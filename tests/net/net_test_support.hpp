// Helpers shared by the net tests: loopback listeners, a bounded io_context run,
// coroutine spawning that rethrows into the test, deterministic payloads, and child
// processes for the real peers (Node's ws, python3-websockets, openssl).
#pragma once

#include <tradewire/core/url.hpp>
#include <tradewire/net/tcp.hpp>
#include <tradewire/net/ws_stream.hpp>
#include <tradewire/ws/handshake.hpp>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/use_awaitable.hpp>

#if !defined(ASIO_HAS_CO_AWAIT)
#error \
    "the net tests use C++20 coroutines through Asio: g++ 10+, or clang 14+ with ASIO_HAS_CO_AWAIT (tests/CMakeLists.txt)"
#endif

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace net_test {

using namespace std::chrono_literals;
namespace net = tradewire::net;
namespace ws = tradewire::ws;
using tcp = asio::ip::tcp;
using bytes = std::vector<std::uint8_t>;
using tradewire::const_bytes;

using client_stream = net::ws_stream<net::tcp_socket>;
using server_stream = net::ws_stream<net::tcp_socket, ws::server_role>;

inline constexpr auto use_awaitable = asio::use_awaitable;
inline constexpr auto as_tuple_awaitable = asio::experimental::as_tuple(asio::use_awaitable);

// Runs `io` until it runs out of work; false if that takes longer than `limit` (a hang).
inline bool run_io(asio::io_context& io, std::chrono::steady_clock::duration limit = 30s) {
    io.restart();
    io.run_for(limit);
    return io.stopped();
}

// Starts a coroutine on `io`; an exception inside it propagates out of io.run(). Give it
// a coroutine lambda itself, not the result of calling it: co_spawn keeps the lambda (and
// so its captures) alive in its own frame, while a called temporary lambda is destroyed
// at the end of the statement and its coroutine would read dead captures.
template <class Awaitable>
void spawn(asio::io_context& io, Awaitable&& a) {
    asio::co_spawn(io, std::forward<Awaitable>(a), [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
    });
}

// A listening socket on 127.0.0.1 (or ::1) with a port chosen by the kernel.
struct listener {
    explicit listener(asio::io_context& io, bool v6 = false)
        : acceptor(io, tcp::endpoint(v6 ? asio::ip::address(asio::ip::address_v6::loopback())
                                        : asio::ip::address(asio::ip::address_v4::loopback()),
                                     0)) {}
    std::uint16_t port() const { return acceptor.local_endpoint().port(); }
    tcp::acceptor acceptor;
};

// A client request for ws://127.0.0.1:<port><path>; `text` owns the URL the request views.
struct request_holder {
    std::string text;
    ws::client_request request;
    explicit request_holder(std::uint16_t port, std::string_view path = "/", std::string_view scheme = "ws",
                            std::string_view host = "127.0.0.1") {
        text =
            std::string(scheme) + "://" + std::string(host) + ":" + std::to_string(port) + std::string(path);
        std::error_code ec;
        request.endpoint = tradewire::parse_url(text, ec);
        if (ec) throw std::runtime_error("bad test url " + text);
    }
};

// Deterministic payloads: bytes that differ from message to message and from offset to
// offset, so a misplaced or dropped byte shows.
inline bytes pattern(std::size_t n, std::uint32_t seed = 1) {
    bytes out(n);
    std::uint32_t x = seed * 2654435761u + 12345u;
    for (std::size_t i = 0; i < n; ++i) {
        x = x * 1664525u + 1013904223u;
        out[i] = static_cast<std::uint8_t>(x >> 24);
    }
    return out;
}

// ASCII text of n characters (valid UTF-8).
inline std::string text_pattern(std::size_t n, std::uint32_t seed = 1) {
    std::string out(n, ' ');
    std::uint32_t x = seed * 2654435761u + 7u;
    for (std::size_t i = 0; i < n; ++i) {
        x = x * 1664525u + 1013904223u;
        out[i] = static_cast<char>('a' + (x >> 24) % 26);
    }
    return out;
}

inline bool same(const_bytes a, const_bytes b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

// ---------------------------------------------------------------------------------------
// Child processes (peers)
// ---------------------------------------------------------------------------------------

// A child process with its stdout readable line by line; killed on destruction.
class child_process {
public:
    child_process(const std::vector<std::string>& argv, const std::vector<std::string>& env = {}) {
        int out[2];
        if (pipe(out) != 0) throw std::runtime_error("pipe failed");
        pid_ = fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            dup2(out[1], 1);
            close(out[0]);
            close(out[1]);
            for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
            std::vector<char*> args;
            for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
            args.push_back(nullptr);
            execvp(args[0], args.data());
            _exit(127);
        }
        close(out[1]);
        fd_ = out[0];
    }
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;
    ~child_process() {
        if (pid_ > 0 && !reaped_) {
            kill(pid_, SIGKILL);
            int status = 0;
            waitpid(pid_, &status, 0);
        }
        if (fd_ >= 0) close(fd_);
    }

    // The next line of the child's stdout (without the newline); nullopt on EOF or timeout.
    std::optional<std::string> read_line(std::chrono::milliseconds timeout = 20000ms) {
        const auto end = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            const std::size_t nl = buffer_.find('\n');
            if (nl != std::string::npos) {
                std::string line = buffer_.substr(0, nl);
                buffer_.erase(0, nl + 1);
                return line;
            }
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            pollfd p{fd_, POLLIN, 0};
            if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
            char chunk[4096];
            const ssize_t n = read(fd_, chunk, sizeof chunk);
            if (n <= 0) return std::nullopt;
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
    }

    // Waits for the child to exit; its exit status (128 + signal when killed), or -1
    // when it is still running after `timeout` (then it is killed).
    int wait(std::chrono::milliseconds timeout = 20000ms) {
        const auto end = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            int status = 0;
            const pid_t r = waitpid(pid_, &status, WNOHANG);
            if (r == pid_) {
                reaped_ = true;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            if (std::chrono::steady_clock::now() >= end) return -1;
            usleep(10000);
        }
    }

    // Everything the child still writes to stdout until it closes it.
    std::string rest() {
        std::string all = std::move(buffer_);
        buffer_.clear();
        char chunk[4096];
        for (;;) {
            pollfd p{fd_, POLLIN, 0};
            if (poll(&p, 1, 5000) <= 0) break;
            const ssize_t n = read(fd_, chunk, sizeof chunk);
            if (n <= 0) break;
            all.append(chunk, static_cast<std::size_t>(n));
        }
        return all;
    }

    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    int fd_ = -1;
    bool reaped_ = false;
    std::string buffer_;
};

// Runs a command to completion (for openssl); its exit status.
inline int run_command(const std::vector<std::string>& argv) {
    const pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        const int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) {
            dup2(devnull, 1);
            dup2(devnull, 2);
        }
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

inline std::string source_path(std::string_view relative) {
    return std::string(TRADEWIRE_SOURCE_DIR) + "/" + std::string(relative);
}

// Node.js with the `ws` package from scripts/install-test-peers.sh; empty when missing.
inline std::string node_modules_dir() {
    const std::string dir = std::string(TRADEWIRE_SOURCE_DIR) + "/build/test-peers/node_modules";
    std::error_code ec;
    if (!std::filesystem::exists(dir + "/ws/package.json", ec)) return {};
    if (run_command({"node", "--version"}) != 0) return {};
    return dir;
}

// The system Python with the websockets package (Debian's python3-websockets); empty
// when missing. /usr/bin/python3 on purpose: another python3 earlier on PATH may lack it.
inline std::string python_with_websockets() {
    for (const char* candidate : {"/usr/bin/python3", "python3"}) {
        if (run_command({candidate, "-c", "import websockets"}) == 0) return candidate;
    }
    return {};
}

// A fresh temporary directory, removed on destruction.
struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "tradewire-net-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path = tmpl;
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string file(std::string_view name) const { return (path / std::string(name)).string(); }
};

}  // namespace net_test

namespace net_test {

// A throw-away PKI made with the openssl CLI at test time: a CA, a server certificate
// for localhost (and 127.0.0.1) and one for other.example signed by it, and a
// localhost certificate signed by a second CA nobody trusts. ok is false when openssl
// is missing or failed.
struct test_pki {
    temp_dir dir;
    std::string ca, localhost_cert, localhost_key, other_cert, other_key, rogue_ca, rogue_cert, rogue_key;
    bool ok = false;

    test_pki() {
        ca = dir.file("ca.pem");
        rogue_ca = dir.file("rogue-ca.pem");
        ok = make_ca("ca", "tradewire test CA") && make_ca("rogue-ca", "tradewire rogue CA") &&
             make_leaf("localhost", "localhost", "DNS:localhost,IP:127.0.0.1", "ca") &&
             make_leaf("other", "other.example", "DNS:other.example", "ca") &&
             make_leaf("rogue", "localhost", "DNS:localhost,IP:127.0.0.1", "rogue-ca");
        localhost_cert = dir.file("localhost.pem");
        localhost_key = dir.file("localhost.key");
        other_cert = dir.file("other.pem");
        other_key = dir.file("other.key");
        rogue_cert = dir.file("rogue.pem");
        rogue_key = dir.file("rogue.key");
    }

private:
    bool make_ca(const std::string& name, const std::string& cn) {
        return run_command({"openssl",
                            "req",
                            "-x509",
                            "-newkey",
                            "ec",
                            "-pkeyopt",
                            "ec_paramgen_curve:P-256",
                            "-nodes",
                            "-keyout",
                            dir.file(name + ".key"),
                            "-out",
                            dir.file(name + ".pem"),
                            "-days",
                            "2",
                            "-subj",
                            "/CN=" + cn,
                            "-addext",
                            "basicConstraints=critical,CA:TRUE",
                            "-addext",
                            "keyUsage=critical,keyCertSign,cRLSign"}) == 0;
    }

    bool make_leaf(const std::string& name, const std::string& cn, const std::string& san,
                   const std::string& ca_name) {
        {
            std::ofstream ext(dir.file(name + ".ext"));
            ext << "subjectAltName=" << san << "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
                << "keyUsage=critical,digitalSignature\n";
        }
        return run_command({"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                            "-nodes", "-keyout", dir.file(name + ".key"), "-out", dir.file(name + ".csr"),
                            "-subj", "/CN=" + cn}) == 0 &&
               run_command({"openssl", "x509", "-req", "-in", dir.file(name + ".csr"), "-CA",
                            dir.file(ca_name + ".pem"), "-CAkey", dir.file(ca_name + ".key"),
                            "-CAcreateserial", "-out", dir.file(name + ".pem"), "-days", "2", "-extfile",
                            dir.file(name + ".ext")}) == 0;
    }
};

}  // namespace net_test
