// HTTP/1.1 message heads (RFC 9112): a strict, incremental, allocation-free parser for
// request and status lines and header fields, used by the WebSocket opening handshake
// and by the REST client. The parser never copies: methods, targets, reasons, names and
// values are string_views into the caller's buffer, and fields live in a fixed-capacity
// array. It stops at the blank line that ends the head and reports how many bytes the
// head took, so whatever follows (a body, or the first WebSocket frame sent right behind
// a 101) stays in the buffer for the next layer.
//
// Strictness, on purpose (a trading client talks to few servers, and a lax parser is how
// request smuggling and response splitting start):
//  - lines end in CRLF; a bare LF or a bare CR is an error (RFC 9112 section 2.2 lets a
//    recipient accept a bare LF; tradewire does not, so every peer sees one framing),
//  - no empty lines before the start line, no whitespace between the start line and the
//    first field, no obs-fold (line folding), no whitespace before a field's colon,
//  - field names are tokens; values may not hold NUL, other controls or DEL,
//  - the version is HTTP/1.x; status codes are 100-599,
//  - the whole head (start line through the blank line) must fit the size limit, and an
//    over-long head fails as soon as the limit is passed, before its end arrives.
#pragma once

#include <tradewire/core/detail/http_chars.hpp>
#include <tradewire/core/error.hpp>

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace tradewire {

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

enum class http_error {
    need_more = 1,            // the head is incomplete: append more bytes and parse again
    head_too_large,           // the head exceeds http_limits::max_head_size
    too_many_fields,          // more header fields than the head type can hold
    bad_line_ending,          // a bare LF or a CR not followed by LF
    bad_method,               // request line: method is not a token, or the line is empty
    bad_target,               // request line: empty target or a byte outside visible ASCII
    bad_version,              // not "HTTP/1.x"
    bad_status,               // status line: status code is not three digits in 100-599
    bad_reason,               // status line: reason phrase holds a control byte
    bad_field_name,           // empty field name or a byte that is not a token character
    space_before_colon,       // whitespace between a field name and its colon
    missing_colon,            // a field line without a colon
    bad_field_value,          // NUL, another control byte or DEL in a field value
    obs_fold,                 // a line starting with whitespace (obsolete line folding)
    bad_content_length,       // Content-Length is not 1*DIGIT
    content_length_mismatch,  // several Content-Length values that disagree
    content_length_overflow,  // Content-Length does not fit 64 bits
    bad_transfer_encoding,    // malformed Transfer-Encoding, or chunked not last / repeated
    framing_conflict,         // both Transfer-Encoding and Content-Length
};

struct http_error_traits {
    static constexpr const char* name = "tradewire.http";
    static const char* message(http_error e) noexcept {
        switch (e) {
            case http_error::need_more:
                return "incomplete HTTP head, more bytes needed";
            case http_error::head_too_large:
                return "HTTP head exceeds the size limit";
            case http_error::too_many_fields:
                return "too many HTTP header fields";
            case http_error::bad_line_ending:
                return "HTTP line not terminated by CRLF";
            case http_error::bad_method:
                return "bad HTTP request method";
            case http_error::bad_target:
                return "bad HTTP request target";
            case http_error::bad_version:
                return "bad or unsupported HTTP version";
            case http_error::bad_status:
                return "bad HTTP status code";
            case http_error::bad_reason:
                return "bad HTTP reason phrase";
            case http_error::bad_field_name:
                return "bad HTTP header field name";
            case http_error::space_before_colon:
                return "whitespace before the colon of an HTTP header field";
            case http_error::missing_colon:
                return "HTTP header field line without a colon";
            case http_error::bad_field_value:
                return "bad character in an HTTP header field value";
            case http_error::obs_fold:
                return "folded HTTP header line (obs-fold) is not accepted";
            case http_error::bad_content_length:
                return "bad Content-Length";
            case http_error::content_length_mismatch:
                return "conflicting Content-Length values";
            case http_error::content_length_overflow:
                return "Content-Length too large";
            case http_error::bad_transfer_encoding:
                return "bad Transfer-Encoding";
            case http_error::framing_conflict:
                return "both Transfer-Encoding and Content-Length present";
        }
        return "unknown HTTP error";
    }
};

inline std::error_code make_error_code(http_error e) noexcept {
    return {static_cast<int>(e), detail::enum_category<http_error, http_error_traits>()};
}

}  // namespace tradewire

template <>
struct std::is_error_code_enum<tradewire::http_error> : std::true_type {};

namespace tradewire {

// ---------------------------------------------------------------------------------------
// Text helpers (public because the handshake and the REST client reuse them)
// ---------------------------------------------------------------------------------------

// ASCII case-insensitive equality, as HTTP field names and most tokens compare.
constexpr bool http_iequals(std::string_view a, std::string_view b) noexcept {
    return detail::ascii_iequals(a, b);
}

// True when s is a token (RFC 9110 section 5.6.2): non-empty, token characters only.
constexpr bool http_is_token(std::string_view s) noexcept {
    return detail::http_is_token(s);
}

// True when s can be sent as a field value: no CR, LF, NUL or other control byte except
// HTAB, no DEL, and no leading or trailing whitespace. Writers use it to refuse header
// injection.
constexpr bool http_is_field_value(std::string_view s) noexcept {
    for (char c : s) {
        if (!detail::http_is_field_char(c)) return false;
    }
    return s.empty() || (!detail::http_is_ows(s.front()) && !detail::http_is_ows(s.back()));
}

// True when the comma-separated list holds an element equal to token, ignoring ASCII case
// and optional whitespace: `keep-alive, Upgrade` contains "upgrade".
constexpr bool http_list_contains(std::string_view list, std::string_view token) noexcept {
    return !detail::http_for_each_list_element(list,
                                               [&](std::string_view e) { return !http_iequals(e, token); });
}

// ---------------------------------------------------------------------------------------
// Head types
// ---------------------------------------------------------------------------------------

struct http_limits {
    std::size_t max_head_size = 8 * 1024;  // start line through the blank line, CRLFs included
};

inline constexpr std::size_t http_default_max_fields = 64;

struct http_field {
    std::string_view name;
    std::string_view value;  // without surrounding whitespace
};

struct http_version {
    std::uint8_t major = 1;
    std::uint8_t minor = 1;
    friend constexpr auto operator<=>(const http_version&, const http_version&) noexcept = default;
};

// A fixed-capacity list of header fields, in arrival order. Lookups compare names
// case-insensitively; a field that appears several times is seen as one list, as
// RFC 9110 section 5.3 combines them.
template <std::size_t MaxFields = http_default_max_fields>
class basic_http_fields {
    static_assert(MaxFields > 0, "a head needs room for at least one field");

public:
    using const_iterator = const http_field*;

    static constexpr std::size_t capacity() noexcept { return MaxFields; }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    const_iterator begin() const noexcept { return items_.data(); }
    const_iterator end() const noexcept { return items_.data() + size_; }
    const http_field& operator[](std::size_t i) const noexcept { return items_[i]; }

    // Appends a field; false when full. Names and values are taken as given (the parser
    // validates; code that builds fields by hand owns its input).
    bool push_back(http_field f) noexcept {
        if (size_ == MaxFields) return false;
        items_[size_++] = f;
        return true;
    }
    void clear() noexcept { size_ = 0; }

    // The first field with this name, or nullptr.
    const http_field* find(std::string_view name) const noexcept {
        for (const http_field& f : *this) {
            if (http_iequals(f.name, name)) return &f;
        }
        return nullptr;
    }
    bool contains(std::string_view name) const noexcept { return find(name) != nullptr; }
    std::size_t count(std::string_view name) const noexcept {
        std::size_t n = 0;
        for (const http_field& f : *this) n += http_iequals(f.name, name) ? 1 : 0;
        return n;
    }
    // The value of the first field with this name, or an empty view.
    std::string_view value(std::string_view name) const noexcept {
        const http_field* f = find(name);
        return f ? f->value : std::string_view{};
    }

    // Calls f(element) for each element of the comma-separated lists in every field with
    // this name (so `Connection: a` plus `Connection: b` is the list "a, b"). f returns
    // false to stop; returns false when stopped.
    template <class F>
    bool for_each_element(std::string_view name, F&& f) const {
        for (const http_field& field : *this) {
            if (http_iequals(field.name, name) && !detail::http_for_each_list_element(field.value, f))
                return false;
        }
        return true;
    }

    // True when any field with this name lists token (ASCII case-insensitive).
    bool has_token(std::string_view name, std::string_view token) const noexcept {
        return !for_each_element(name, [&](std::string_view e) { return !http_iequals(e, token); });
    }

    // Content-Length: nullopt when absent. Strict: each value is 1*DIGIT (no sign, no
    // list, no whitespace inside), all occurrences must agree, and the value must fit
    // 64 bits; otherwise ec is set and nullopt returned.
    std::optional<std::uint64_t> content_length(std::error_code& ec) const noexcept {
        ec.clear();
        std::optional<std::uint64_t> result;
        for (const http_field& f : *this) {
            if (!http_iequals(f.name, "content-length")) continue;
            if (f.value.empty()) {
                ec = http_error::bad_content_length;
                return std::nullopt;
            }
            std::uint64_t v = 0;
            for (char c : f.value) {
                if (!detail::http_is_digit(c)) {
                    ec = http_error::bad_content_length;
                    return std::nullopt;
                }
                const auto d = static_cast<std::uint64_t>(c - '0');
                if (v > (UINT64_MAX - d) / 10) {
                    ec = http_error::content_length_overflow;
                    return std::nullopt;
                }
                v = v * 10 + d;
            }
            if (result && *result != v) {
                ec = http_error::content_length_mismatch;
                return std::nullopt;
            }
            result = v;
        }
        return result;
    }

    // True when Transfer-Encoding is present and its final coding is "chunked". Sets
    // bad_transfer_encoding when a coding name is not a token, the list is empty, or
    // "chunked" is repeated or not last (RFC 9112 section 6.1).
    bool chunked(std::error_code& ec) const noexcept {
        ec.clear();
        bool any = false;
        bool last_chunked = false;
        bool bad = false;
        for_each_element("transfer-encoding", [&](std::string_view element) {
            const std::string_view coding = detail::http_element_name(element);
            if (!http_is_token(coding) || last_chunked) {  // anything after chunked is invalid
                bad = true;
                return false;
            }
            any = true;
            last_chunked = http_iequals(coding, "chunked");
            return true;
        });
        if (bad || (!any && contains("transfer-encoding"))) {
            ec = http_error::bad_transfer_encoding;
            return false;
        }
        return last_chunked;
    }

private:
    std::array<http_field, MaxFields> items_{};
    std::size_t size_ = 0;
};

using http_fields = basic_http_fields<>;

template <std::size_t MaxFields = http_default_max_fields>
struct basic_http_request_head {
    static constexpr bool is_request = true;
    std::string_view method;
    std::string_view target;
    http_version version;
    basic_http_fields<MaxFields> fields;

    // Empties the head without touching the field array's unused slots (cheaper than
    // assigning a fresh head, which copies the whole array).
    void reset() noexcept {
        method = {};
        target = {};
        version = {};
        fields.clear();
    }
};

template <std::size_t MaxFields = http_default_max_fields>
struct basic_http_response_head {
    static constexpr bool is_request = false;
    http_version version;
    unsigned status = 0;
    std::string_view reason;
    basic_http_fields<MaxFields> fields;

    void reset() noexcept {
        version = {};
        status = 0;
        reason = {};
        fields.clear();
    }
};

using http_request_head = basic_http_request_head<>;
using http_response_head = basic_http_response_head<>;

// ---------------------------------------------------------------------------------------
// Body framing (RFC 9112 section 6.3), for code that reads a body after the head
// ---------------------------------------------------------------------------------------

enum class http_body_kind {
    none,         // no body
    length,       // exactly http_body_framing::length bytes
    chunked,      // chunked transfer coding
    until_close,  // a response delimited by the server closing the connection
};

struct http_body_framing {
    http_body_kind kind = http_body_kind::none;
    std::uint64_t length = 0;
};

namespace detail {

template <std::size_t N>
http_body_framing http_framing(const basic_http_fields<N>& fields, http_version version, bool is_request,
                               std::error_code& ec) noexcept {
    const bool has_te = fields.contains("transfer-encoding");
    const bool has_cl = fields.contains("content-length");
    if (has_te) {
        // Both framings at once is how smuggling starts: refuse instead of picking one.
        if (has_cl) {
            ec = http_error::framing_conflict;
            return {};
        }
        if (version < http_version{1, 1}) {  // RFC 9112 section 6.1: HTTP/1.0 framing is faulty
            ec = http_error::bad_transfer_encoding;
            return {};
        }
        const bool is_chunked = fields.chunked(ec);
        if (ec) return {};
        if (is_chunked) return {http_body_kind::chunked, 0};
        if (is_request) {  // a request must end in chunked (RFC 9112 section 6.3, rule 4)
            ec = http_error::bad_transfer_encoding;
            return {};
        }
        return {http_body_kind::until_close, 0};
    }
    const std::optional<std::uint64_t> n = fields.content_length(ec);
    if (ec) return {};
    if (n) return {http_body_kind::length, *n};
    return {is_request ? http_body_kind::none : http_body_kind::until_close, 0};
}

}  // namespace detail

// How the body after a response head is delimited. request_was_head: the request used
// the HEAD method (its response never has a body).
template <std::size_t N>
http_body_framing http_response_body(const basic_http_response_head<N>& head, std::error_code& ec,
                                     bool request_was_head = false) noexcept {
    ec.clear();
    if (request_was_head || head.status < 200 || head.status == 204 || head.status == 304) return {};
    return detail::http_framing(head.fields, head.version, false, ec);
}

// How the body after a request head is delimited.
template <std::size_t N>
http_body_framing http_request_body(const basic_http_request_head<N>& head, std::error_code& ec) noexcept {
    ec.clear();
    return detail::http_framing(head.fields, head.version, true, ec);
}

// ---------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------

namespace detail {

constexpr bool http_parse_version(std::string_view s, http_version& v) noexcept {
    if (s.size() != 8 || s.substr(0, 5) != "HTTP/" || !http_is_digit(s[5]) || s[6] != '.' ||
        !http_is_digit(s[7])) {
        return false;
    }
    v.major = static_cast<std::uint8_t>(s[5] - '0');
    v.minor = static_cast<std::uint8_t>(s[7] - '0');
    return v.major == 1;
}

template <std::size_t N>
http_error http_parse_start_line(std::string_view line, basic_http_request_head<N>& head) noexcept {
    // request-line = method SP request-target SP HTTP-version
    const std::size_t sp1 = line.find(' ');
    if (sp1 == std::string_view::npos || !http_is_token(line.substr(0, sp1))) return http_error::bad_method;
    const std::string_view rest = line.substr(sp1 + 1);
    const std::size_t sp2 = rest.find(' ');
    if (sp2 == std::string_view::npos || sp2 == 0) return http_error::bad_target;
    const std::string_view target = rest.substr(0, sp2);
    for (char c : target) {
        if (!http_is_target_char(c)) return http_error::bad_target;
    }
    if (!http_parse_version(rest.substr(sp2 + 1), head.version)) return http_error::bad_version;
    head.method = line.substr(0, sp1);
    head.target = target;
    return {};
}

template <std::size_t N>
http_error http_parse_start_line(std::string_view line, basic_http_response_head<N>& head) noexcept {
    // status-line = HTTP-version SP status-code SP [ reason-phrase ]. A missing SP before
    // an empty reason is tolerated: servers do send "HTTP/1.1 101\r\n", and it is unambiguous.
    if (line.size() < 8 || !http_parse_version(line.substr(0, 8), head.version))
        return http_error::bad_version;
    if (line.size() < 12 || line[8] != ' ' || !http_is_digit(line[9]) || !http_is_digit(line[10]) ||
        !http_is_digit(line[11])) {
        return http_error::bad_status;
    }
    const unsigned status =
        static_cast<unsigned>((line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0'));
    if (status < 100 || status > 599) return http_error::bad_status;
    std::string_view reason;
    if (line.size() > 12) {
        if (line[12] != ' ') return http_error::bad_status;  // a fourth digit or other junk
        reason = line.substr(13);
        for (char c : reason) {
            if (!http_is_field_char(c)) return http_error::bad_reason;
        }
    }
    head.status = status;
    head.reason = reason;
    return {};
}

// field-line = field-name ":" OWS field-value OWS
inline http_error http_parse_field_line(std::string_view line, http_field& out) noexcept {
    if (http_is_ows(line.front())) return http_error::obs_fold;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return http_error::missing_colon;
    const std::string_view name = line.substr(0, colon);
    if (name.empty()) return http_error::bad_field_name;
    if (http_is_ows(name.back())) return http_error::space_before_colon;
    if (!http_is_token(name)) return http_error::bad_field_name;
    const std::string_view value = http_trim_ows(line.substr(colon + 1));
    for (char c : value) {
        if (!http_is_field_char(c)) return http_error::bad_field_value;
    }
    out = {name, value};
    return {};
}

// Progress of an incremental parse, as offsets (the caller's buffer may move between calls).
struct http_scan_state {
    std::size_t pos = 0;         // bytes examined
    std::size_t line_start = 0;  // offset of the line being received
    std::size_t lines = 0;       // complete lines so far (start line included)
};

// Examines data from st.pos on and validates each line as soon as it is complete, so
// garbage fails early; the start line and fields are stored into head as they pass.
// Returns the head's size when complete (ec clear, st reset), or 0 with ec = need_more
// (st records the progress) or another error.
template <class Head>
std::size_t http_scan(std::string_view data, http_scan_state& st, Head& head, const http_limits& limits,
                      std::error_code& ec) noexcept {
    std::size_t pos = st.pos;
    std::size_t line_start = st.line_start;
    std::size_t lines = st.lines;
    const std::size_t max = limits.max_head_size;
    const std::size_t limit = data.size() < max ? data.size() : max;
    auto fail = [&](http_error e) {
        ec = e;
        return std::size_t{0};
    };
    const char* const base = data.data();
    while (pos < limit) {
        // Jump to the next CR (memchr is vectorised); a LF before it is a bare LF.
        const void* cr = std::memchr(base + pos, '\r', limit - pos);
        const std::size_t cr_pos = cr ? static_cast<std::size_t>(static_cast<const char*>(cr) - base) : limit;
        if (std::memchr(base + pos, '\n', cr_pos - pos) != nullptr) return fail(http_error::bad_line_ending);
        pos = cr_pos;
        if (pos == limit) break;
        // Decide on a CR only when its successor is within the limit, so that the result
        // does not depend on how the input was split.
        if (pos + 1 >= limit) break;
        if (data[pos + 1] != '\n') return fail(http_error::bad_line_ending);
        const std::string_view line = data.substr(line_start, pos - line_start);
        if (line.empty()) {
            if (lines == 0) return fail(Head::is_request ? http_error::bad_method : http_error::bad_version);
            st = {};
            ec.clear();
            return pos + 2;
        }
        http_error e{};
        if (lines == 0) {
            e = http_parse_start_line(line, head);
        } else {
            http_field f;
            e = http_parse_field_line(line, f);
            if (e == http_error{} && !head.fields.push_back(f)) e = http_error::too_many_fields;
        }
        if (e != http_error{}) return fail(e);
        ++lines;
        pos += 2;
        line_start = pos;
    }
    // Out of bytes without the blank line: more may come unless the limit is reached.
    if (data.size() >= max) return fail(http_error::head_too_large);
    st = {pos, line_start, lines};
    return fail(http_error::need_more);
}

}  // namespace detail

// Incremental parser for one head. Feed it the bytes received so far, always starting
// with the head's first byte (the previous call's bytes followed by new ones; the buffer
// may be moved or grown between calls). Work already done is not repeated.
//
//   std::size_t n = parser.parse(received, ec);
//   if (ec == http_error::need_more) -> read more and call again
//   else if (ec)                     -> malformed head (sticky until reset())
//   else                             -> parser.head() is valid; received.substr(n) is
//                                       whatever followed the head
//
// head()'s views point into the buffer given to the last successful parse(). Calling
// parse() again after success re-parses from the start (useful after moving the buffer).
// The caller must not change bytes it already passed; a shorter buffer starts over.
template <class Head>
class http_head_parser {
public:
    using head_type = Head;

    http_head_parser() noexcept = default;
    explicit http_head_parser(const http_limits& limits) noexcept : limits_(limits) {}

    std::size_t parse(std::string_view data, std::error_code& ec) noexcept {
        if (failed_ != http_error{}) {
            ec = failed_;
            return 0;
        }
        if (data.size() < state_.pos) state_ = {};  // the caller started over
        const bool fresh = state_.pos == 0;
        done_ = false;
        if (fresh) head_.reset();
        const std::size_t n = detail::http_scan(data, state_, head_, limits_, ec);
        if (ec) {
            if (ec != http_error::need_more) failed_ = static_cast<http_error>(ec.value());
            return 0;
        }
        if (!fresh) {
            // Fields stored by earlier calls point into earlier buffers: bind every view to
            // this one. The bytes are the same, so this pass cannot fail.
            head_.reset();
            detail::http_scan_state again;
            detail::http_scan(data, again, head_, limits_, ec);
        }
        done_ = true;
        return n;
    }

    bool done() const noexcept { return done_; }

    // The parsed head after a successful parse(); an empty head otherwise, so views from
    // an unfinished parse (possibly into buffers since replaced) never leak out.
    const Head& head() const noexcept {
        static const Head empty{};
        return done_ ? head_ : empty;
    }
    const http_limits& limits() const noexcept { return limits_; }

    void reset() noexcept {
        state_ = {};
        head_.reset();
        done_ = false;
        failed_ = {};
    }

private:
    Head head_{};
    http_limits limits_{};
    detail::http_scan_state state_{};
    bool done_ = false;
    http_error failed_{};
};

using http_request_parser = http_head_parser<http_request_head>;
using http_response_parser = http_head_parser<http_response_head>;

// One-shot parses of a buffer that starts with a head. Same rules and results as the
// parser; they simply start from scratch on every call.
template <std::size_t N>
std::size_t http_parse_request(std::string_view data, basic_http_request_head<N>& head, std::error_code& ec,
                               const http_limits& limits = {}) noexcept {
    head.reset();
    detail::http_scan_state st;
    return detail::http_scan(data, st, head, limits, ec);
}

template <std::size_t N>
std::size_t http_parse_response(std::string_view data, basic_http_response_head<N>& head, std::error_code& ec,
                                const http_limits& limits = {}) noexcept {
    head.reset();
    detail::http_scan_state st;
    return detail::http_scan(data, st, head, limits, ec);
}

}  // namespace tradewire
