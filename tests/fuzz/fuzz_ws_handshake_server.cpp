// Fuzzes the server's request parsing and response building. An accepted request must
// yield a 101 that the client validator accepts for the same key and offer (so the two
// halves agree on every request the server lets through); a refused one must yield an
// error response that parses back with a matching Content-Length.
#include <tradewire/ws/handshake.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace ws = tradewire::ws;

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

void accepted(const ws::server_handshake& hs, std::string_view data, std::size_t n, std::uint8_t choice) {
    check(n > 0 && n <= data.size());
    const ws::server_request& r = hs.request();
    check(r.path.size() <= r.target.size() && !r.path.empty() && r.path.front() == '/');
    check(ws::handshake_key_valid(r.key));
    check(!r.host.empty());

    // Choose like a server would: one offered subprotocol and the first offered extension.
    std::array<std::string_view, 8> protocols{};
    std::size_t count = 0;
    hs.for_each_subprotocol([&](std::string_view p) {
        if (count < protocols.size()) protocols[count++] = p;
        return count < protocols.size();
    });
    ws::accept_options opt;
    if (count != 0 && (choice & 1)) opt.subprotocol = hs.select_subprotocol({protocols.data(), count});
    std::string_view extension_offer;
    if (hs.head().fields.count("sec-websocket-extensions") == 1 && (choice & 2)) {
        extension_offer = hs.field("sec-websocket-extensions");
        hs.for_each_extension([&](std::string_view name, std::string_view) {
            opt.extensions = name;
            return false;
        });
    }
    static std::array<char, 20000> out;  // an echoed token can be almost as long as the head
    std::error_code ec;
    const std::size_t m = hs.write_accept(opt, out, ec);
    check(!ec && m > 0);

    // The client that sent this request must accept the answer.
    ws::client_request req;
    req.subprotocols = {protocols.data(), count};
    req.extensions = extension_offer;
    tradewire::http_response_head head;
    tradewire::http_parse_response({out.data(), m}, head, ec);
    check(!ec);
    const auto result = ws::validate_response(head, req, r.key, ec);
    check(!ec && result.status == 101);
    check(result.subprotocol == opt.subprotocol && result.extensions == opt.extensions);
}

void refused(std::error_code reason) {
    std::array<char, 512> out{};
    std::error_code ec;
    const std::size_t m = ws::write_reject(reason, out, ec);
    check(!ec && m > 0);
    tradewire::http_response_head head;
    const std::string_view text(out.data(), m);
    const std::size_t n = tradewire::http_parse_response(text, head, ec);
    check(!ec && head.status >= 400 && head.status <= 599);
    const auto length = head.fields.content_length(ec);
    check(!ec && length.has_value() && *length == m - n);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
    if (size < 2) return 0;
    const std::string_view data(reinterpret_cast<const char*>(bytes + 2), size - 2);

    ws::server_handshake hs;
    std::error_code ec;
    const std::size_t n = hs.read_request(data, ec);
    if (!ec) {
        accepted(hs, data, n, bytes[1]);
    } else if (ec != tradewire::http_error::need_more) {
        check(n == 0);
        refused(ec);
    }

    // Two pieces through fresh buffers reach the same verdict.
    const std::size_t cut = data.empty() ? 0 : bytes[0] % (data.size() + 1);
    ws::server_handshake split;
    std::error_code sec;
    std::string first(data.substr(0, cut));
    const std::string rest(data);  // outlives the views compared below
    std::size_t sn = split.read_request(first, sec);
    if (sec == tradewire::http_error::need_more) {
        first.assign(first.size(), 'X');
        sn = split.read_request(rest, sec);
    }
    check(sec == ec && sn == n);
    if (!ec) check(split.request().target == hs.request().target && split.request().key == hs.request().key);
    return 0;
}
