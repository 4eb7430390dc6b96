// Fuzzes the HTTP/1.1 head parser as request and as response: one-shot and incremental
// parses (split where the input says) must agree exactly, every view must lie inside the
// input, parsed fields must obey the rules the parser claims, and the framing helpers
// must not misbehave on whatever was accepted.
#include <tradewire/core/http.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

bool inside(std::string_view part, std::string_view whole) {
    return part.empty() ||
           (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

template <class Head>
std::string fingerprint(const Head& head, std::size_t n, std::error_code ec) {
    std::string s = std::to_string(ec.value()) + "/" + std::to_string(n);
    if (ec) return s;
    if constexpr (Head::is_request) {
        s += "|" + std::string(head.method) + "|" + std::string(head.target);
    } else {
        s += "|" + std::to_string(head.status) + "|" + std::string(head.reason);
    }
    s += "|" + std::to_string(head.version.minor);
    for (const auto& f : head.fields) {
        s += "|" + std::string(f.name) + ":" + std::string(f.value);
    }
    return s;
}

template <class Head>
void check_head(const Head& head, std::string_view data, std::size_t n) {
    const std::string_view used = data.substr(0, n);
    check(n >= 4 && used.substr(n - 4) == "\r\n\r\n");
    for (const auto& f : head.fields) {
        check(inside(f.name, used) && inside(f.value, used));
        check(tradewire::http_is_token(f.name));
        check(tradewire::http_is_field_value(f.value));
    }
    if constexpr (Head::is_request) {
        check(inside(head.method, used) && inside(head.target, used));
        check(tradewire::http_is_token(head.method) && !head.target.empty());
    } else {
        check(head.status >= 100 && head.status <= 599 && inside(head.reason, used));
    }
    check(head.version.major == 1);
    std::error_code ec;
    const auto length = head.fields.content_length(ec);
    check(!(ec && length.has_value()));
    head.fields.chunked(ec);
    (void)head.fields.has_token("connection", "upgrade");
    if constexpr (Head::is_request) {
        const auto framing = tradewire::http_request_body(head, ec);
        check(!ec || framing.kind == tradewire::http_body_kind::none);
    } else {
        const auto framing = tradewire::http_response_body(head, ec);
        check(!ec || framing.kind == tradewire::http_body_kind::none);
    }
}

template <class Head>
void run(std::string_view data, const tradewire::http_limits& limits, std::size_t cut1, std::size_t cut2) {
    Head once;
    std::error_code ec;
    std::size_t n = 0;
    if constexpr (Head::is_request) {
        n = tradewire::http_parse_request(data, once, ec, limits);
    } else {
        n = tradewire::http_parse_response(data, once, ec, limits);
    }
    check(ec ? n == 0 : (n > 0 && n <= data.size() && n <= limits.max_head_size));
    if (!ec) check_head(once, data, n);
    const std::string expected = fingerprint(once, n, ec);

    // Incremental: three pieces, each call with a fresh copy so stale views would show.
    tradewire::http_head_parser<Head> parser(limits);
    std::error_code iec = tradewire::http_error::need_more;
    std::size_t in = 0;
    std::string previous;
    for (std::size_t end : {cut1, cut2, data.size()}) {
        if (iec != tradewire::http_error::need_more) break;
        if (end > data.size()) end = data.size();
        std::string buffer(data.substr(0, end));
        previous.assign(previous.size(), '\x7f');
        in = parser.parse(buffer, iec);
        if (!iec) {
            check(fingerprint(parser.head(), in, iec) == expected);
            return;
        }
        previous = std::move(buffer);
    }
    check(fingerprint(parser.head(), in, iec) == expected);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
    if (size < 3) return 0;
    // First bytes pick the size limit and two split points; the rest is the input.
    tradewire::http_limits limits;
    limits.max_head_size = bytes[0] < 32 ? 8192 : static_cast<std::size_t>(bytes[0]) * 4;
    const std::string_view data(reinterpret_cast<const char*>(bytes + 3), size - 3);
    const std::size_t cut1 = data.empty() ? 0 : bytes[1] % (data.size() + 1);
    const std::size_t cut2 = cut1 + (data.empty() ? 0 : bytes[2] % (data.size() + 1));
    run<tradewire::http_request_head>(data, limits, cut1, cut2);
    run<tradewire::http_response_head>(data, limits, cut1, cut2);
    run<tradewire::basic_http_request_head<2>>(data, limits, cut1, cut2);
    return 0;
}
