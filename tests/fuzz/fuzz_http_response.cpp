// Fuzzes what the REST client does with a response: the strict head parser, the body
// framing it implies, and the sans-I/O body reader (Content-Length, chunked, until
// close), fed in pieces whose size the first input byte chooses. The body must come out
// the same for every split, never exceed the limit, and every error must be one of the
// documented codes; nothing may crash or grow without bound.
#include <tradewire/core/http.hpp>
#include <tradewire/net/detail/http_client_body.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

struct outcome {
    std::error_code ec;
    std::string body;
    bool done = false;
    std::size_t consumed = 0;
};

outcome read_body(std::string_view rest, tradewire::http_body_framing framing, std::size_t split, std::size_t limit) {
    outcome o;
    tradewire::net::detail::http_body_reader r;
    r.start(framing, limit);
    std::size_t pos = 0;
    while (pos < rest.size() && !r.done()) {
        const std::string_view part = rest.substr(pos, split);
        const std::size_t n = r.feed(part, o.body, o.ec);
        check(n <= part.size());
        if (o.ec) return o;
        pos += n;
        if (n < part.size()) break;
        check(o.body.size() <= limit);
    }
    if (!r.done()) o.ec = r.finish_on_eof();
    o.done = r.done();
    o.consumed = pos;
    return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::size_t split = 1 + data[0] % 17;
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    tradewire::http_response_head head;
    std::error_code ec;
    const std::size_t n = tradewire::http_parse_response(input, head, ec);
    if (ec) return 0;
    check(n <= input.size());
    const tradewire::http_body_framing framing = tradewire::http_response_body(head, ec);
    if (ec) return 0;
    const std::string_view rest = input.substr(n);
    constexpr std::size_t limit = 4096;
    const outcome whole = read_body(rest, framing, rest.size() + 1, limit);
    const outcome parts = read_body(rest, framing, split, limit);
    check(whole.ec == parts.ec);
    if (!whole.ec) {
        check(whole.body == parts.body);
        check(whole.consumed == parts.consumed);
        check(whole.body.size() <= limit);
        if (framing.kind == tradewire::http_body_kind::length) check(whole.body.size() == framing.length);
    } else {
        check(whole.ec.category() == tradewire::net::make_error_code(tradewire::net::http_client_error::timeout).category());
    }
    return 0;
}
