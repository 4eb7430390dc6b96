// Fuzzes the client's validation of a server response against a fixed key and offer:
// whatever is accepted must really be a 101 with the right accept value and only offered
// choices, and feeding the bytes in two pieces must give the same verdict.
#include <tradewire/ws/handshake.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace ws = tradewire::ws;

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

constexpr std::string_view offered[] = {"chat", "superchat"};

ws::client_request make_request() {
    ws::client_request req;
    req.endpoint.host = "server.example.com";
    req.endpoint.path = "/chat";
    req.subprotocols = offered;
    req.extensions = "permessage-deflate; client_max_window_bits, x-webkit-deflate-frame";
    return req;
}

ws::handshake_key make_key() {
    std::array<std::uint8_t, 16> nonce{};
    std::memcpy(nonce.data(), "the sample nonce", 16);
    return ws::handshake_key(nonce);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
    if (size < 1) return 0;
    const std::string_view data(reinterpret_cast<const char*>(bytes + 1), size - 1);
    const ws::client_request req = make_request();

    ws::client_handshake whole(req, make_key());
    std::error_code ec;
    const std::size_t n = whole.read_response(data, ec);
    if (!ec) {
        check(n > 0 && n <= data.size());
        const auto& r = whole.result();
        const auto& head = whole.response();
        check(r.status == 101 && head.status == 101);
        check(head.fields.value("sec-websocket-accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        check(r.subprotocol.empty() || r.subprotocol == "chat" || r.subprotocol == "superchat");
        check(head.fields.has_token("upgrade", "websocket") &&
              head.fields.has_token("connection", "upgrade"));
    } else {
        check(n == 0);
    }

    // The same bytes in two pieces (the first byte picks the cut), through fresh buffers.
    const std::size_t cut = data.empty() ? 0 : bytes[0] % (data.size() + 1);
    ws::client_handshake split(req, make_key());
    std::error_code sec;
    std::string first(data.substr(0, cut));
    std::size_t sn = split.read_response(first, sec);
    if (sec == tradewire::http_error::need_more) {
        first.assign(first.size(), 'X');
        const std::string rest(data);
        sn = split.read_response(rest, sec);
        check(sec == ec && sn == n);
        if (!ec) {
            check(split.result().subprotocol == whole.result().subprotocol);
            check(split.result().extensions == whole.result().extensions);
        }
    } else {
        // Decided from a prefix: the whole input must reach the same verdict.
        check(sec == ec && sn == n);
    }
    check(split.result().status == whole.result().status);
    return 0;
}
