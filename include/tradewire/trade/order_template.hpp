// Order templates: the order path from "send this order" to a ready-to-send, masked
// WebSocket frame, without allocation, formatting library, JSON DOM or std::string.
//
// A template is built once per (venue, symbol, side, type, time in force) and, where
// the venue signs each request, per credentials. Building renders the request as
// literal segments with typed slots between them (price, quantity, client order id,
// timestamp, request id, signature). Firing formats the slot values, writes segments
// and values one after the other into the caller's buffer behind a 14-byte header
// reserve, signs if needed, writes the frame header right-aligned in front of the
// payload (the payload's length decides the 7- or 16-bit length form), and masks the
// payload in place with a fresh key. The frame is one contiguous span inside the buffer.
//
// Signing (Binance WebSocket API): the string to sign is the parameters sorted by name.
// With an HMAC key its constant start ("apiKey=<64 characters>&...", at least one whole
// SHA-256 block) is absorbed into an HMAC state when the template is built, so firing
// hashes only the changing tail (trade/detail/prefix_hmac.hpp). With an Ed25519 key (the
// secret is its PEM private key, see sign_binance.hpp) the whole string is signed on
// each fire, which costs tens of microseconds: Ed25519 cannot resume from a prefix.
//
// Venues and the requests produced (REFERENCE.md section in brackets):
//   make_binance_order_place  WS API "order.place", signed per request [1.6, 1.7]
//   make_okx_order            op "order" on /ws/v5/private; login per connection [3.6]
//   make_bybit_order_create   op "order.create" on /v5/trade; auth per connection [2.6]
//   make_gate_order_place     channel "spot.order_place" after spot.login [6.5]
//   make_kraken_add_order     method "add_order" with the WS token [5.6]
// The connection-level messages (Binance session.logon, Bybit auth, OKX login, Gate
// spot.login, Kraken token subscribe) are built by the signers, sign_<venue>.hpp.
//
// Numbers are exact: prices and quantities are tradewire::decimal, written with the
// symbol's fixed number of decimals when the spec gives one (a value with more decimals
// is an error, never rounded) or in shortest exact form otherwise. Client order ids are
// given by the caller (checked against the venue's rules) or generated from a prefix and
// the template's counter. Nothing reads a clock: the caller passes the timestamp.
//
// A template is not thread-safe (it keeps a counter and a signing scratch area); give
// each thread its own. It holds the API key, a Kraken token and HMAC key states; all
// are wiped when it is destroyed, and it cannot be copied.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/core/decimal.hpp>
#include <tradewire/crypto/base64.hpp>
#include <tradewire/crypto/detail/wipe.hpp>
#include <tradewire/crypto/ed25519.hpp>
#include <tradewire/crypto/hex.hpp>
#include <tradewire/crypto/sha256.hpp>
#include <tradewire/trade/credentials.hpp>
#include <tradewire/trade/detail/prefix_hmac.hpp>
#include <tradewire/trade/detail/template_program.hpp>
#include <tradewire/trade/detail/text.hpp>
#include <tradewire/trade/error.hpp>
#include <tradewire/trade/sign_binance.hpp>
#include <tradewire/ws/frame.hpp>
#include <tradewire/ws/mask.hpp>
#include <tradewire/ws/opcode.hpp>

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <system_error>

namespace tradewire::trade {

enum class order_side : std::uint8_t { buy, sell };
enum class order_type : std::uint8_t { limit, market };
// post_only: maker-only (Binance LIMIT_MAKER, OKX post_only, Bybit PostOnly, Gate poc,
// Kraken post_only:true). Market orders take gtc, meaning "the venue's default".
enum class time_in_force : std::uint8_t { gtc, ioc, fok, post_only };

// What a template is built for.
struct order_spec {
    std::string_view symbol;  // the venue's spelling: BTCUSDT, BTC-USDT, GT_USDT, BTC/USD
    order_side side = order_side::buy;
    order_type type = order_type::limit;
    time_in_force tif = time_in_force::gtc;
    int price_decimals = -1;     // 0..18: exactly that many decimals; -1: shortest exact form
    int quantity_decimals = -1;  // likewise
    bool client_order_id = false;         // send the venue's client order id field
    std::string_view client_id_prefix = "tw";  // generated ids: prefix + counter
};

struct binance_order_options {
    std::string_view method = "order.place";  // "order.test" validates without placing
    std::string_view recv_window = {};        // e.g. "5000" (up to 3 decimals); empty: not sent
};
struct okx_order_options {
    std::string_view td_mode = "cash";  // spot: cash
};
struct bybit_order_options {
    std::string_view category = "spot";
    std::string_view recv_window = "5000";  // X-BAPI-RECV-WINDOW
    std::string_view referer = {};          // "Referer" header (broker id); empty: not sent
};
struct gate_order_options {
    std::string_view account = "spot";
};
struct kraken_order_options {
    std::string_view token;  // from GetWebSocketsToken (sign_kraken.hpp)
    bool with_order_userref = false;
    std::int64_t order_userref = 0;
};

// One order, as fired.
struct order_fields {
    decimal price{};                     // ignored by market orders
    decimal quantity{};
    std::uint64_t timestamp_ms = 0;      // Binance timestamp, Bybit X-BAPI-TIMESTAMP, Gate time
    std::string_view client_order_id{};  // empty: generated (when the spec asks for the field)
    std::uint64_t request_id = 0;        // 0: the template's counter
};

// Anything that hands out WebSocket mask keys: ws::client_role, a frame_writer's role().
template <class T>
concept mask_key_source = requires(T& t) {
    { t.next_mask_key() } -> std::same_as<std::uint32_t>;
};

class fire_result {
public:
    [[nodiscard]] bool ok() const noexcept { return !ec; }
    // Generated or validated client order id (empty when the template sends none). For
    // Gate it is the part after "t-".
    [[nodiscard]] std::string_view client_order_id() const noexcept { return {client_id_.data(), client_id_size_}; }

    std::span<const std::uint8_t> frame{};  // the whole frame (fire) / empty (render)
    std::string_view payload{};             // render(): the unmasked request text
    std::uint64_t request_id = 0;
    std::uint32_t mask_key = 0;
    std::error_code ec{};

private:
    friend class order_template;
    // Padded: the template copies the id into the request in 16-byte chunks.
    std::array<char, detail::max_client_id_chars + detail::copy_slack> client_id_;
    std::size_t client_id_size_ = 0;
};

class order_template;
inline order_template make_binance_order_place(const credentials& creds, const order_spec& spec,
                                               const binance_order_options& options, std::error_code& ec);
inline order_template make_okx_order(const order_spec& spec, const okx_order_options& options, std::error_code& ec);
inline order_template make_bybit_order_create(const order_spec& spec, const bybit_order_options& options,
                                              std::error_code& ec);
inline order_template make_gate_order_place(const order_spec& spec, const gate_order_options& options,
                                            std::error_code& ec);
inline order_template make_kraken_add_order(const order_spec& spec, const kraken_order_options& options,
                                            std::error_code& ec);

class order_template {
public:
    static constexpr std::size_t text_capacity = 1024;
    static constexpr std::size_t signed_text_capacity = 512;

    order_template() noexcept = default;
    order_template(const order_template&) = delete;
    order_template& operator=(const order_template&) = delete;
    // Moving copies the state and wipes the source.
    order_template(order_template&& other) noexcept { take(other); }
    order_template& operator=(order_template&& other) noexcept {
        if (this != &other) take(other);
        return *this;
    }
    ~order_template() { crypto::detail::secure_wipe(scratch_.data(), scratch_.size()); }

    [[nodiscard]] bool built() const noexcept { return built_; }
    // The buffer size fire() needs: the largest frame plus a little working room.
    [[nodiscard]] std::size_t max_frame_size() const noexcept {
        return ws::max_header_size + max_payload_ + detail::copy_slack;
    }
    // The buffer size render() needs: the largest request text plus working room.
    [[nodiscard]] std::size_t max_payload_size() const noexcept { return max_payload_ + detail::copy_slack; }

    // Fires one order into `out` (at least max_frame_size() bytes): a masked text frame
    // with key `mask_key`. On error nothing useful is in `out` and result.ec says why.
    fire_result fire(const order_fields& f, std::uint32_t mask_key, mutable_bytes out) noexcept {
        fire_result r;
        if (!built_) return failed(r, error::empty_template);
        if (out.size() < max_frame_size()) return failed(r, error::buffer_too_small);
        std::uint8_t* payload = out.data() + ws::max_header_size;
        const std::size_t n = render_into(f, reinterpret_cast<char*>(payload), r);
        if (r.ec) return r;
        ws::frame_header h;
        h.op = ws::opcode::text;
        h.masked = true;
        h.mask_key = mask_key;
        h.payload_size = n;
        const std::size_t hs = ws::frame_header_size(n, true);
        std::uint8_t* start = payload - hs;
        ws::write_frame_header(mutable_bytes(start, hs), h);
        ws::apply_mask(mutable_bytes(payload, n), mask_key);
        r.frame = std::span<const std::uint8_t>(start, hs + n);
        r.mask_key = mask_key;
        return r;
    }

    template <mask_key_source Keys>
    fire_result fire(const order_fields& f, Keys& keys, mutable_bytes out) noexcept(noexcept(keys.next_mask_key())) {
        return fire(f, keys.next_mask_key(), out);
    }

    // The request text only, unmasked and unframed, into `out` (at least
    // max_payload_size() characters): for logs, REST-less tests and dry runs. It
    // advances the counter like fire().
    fire_result render(const order_fields& f, std::span<char> out) noexcept {
        fire_result r;
        if (!built_) return failed(r, error::empty_template);
        if (out.size() < max_payload_size()) return failed(r, error::buffer_too_small);
        const std::size_t n = render_into(f, out.data(), r);
        if (!r.ec) r.payload = std::string_view(out.data(), n);
        return r;
    }

    // The request's literal segments joined, without the slot values (diagnostics; it
    // holds the API key or token the venue puts on the wire, and no secret).
    [[nodiscard]] std::string_view literal_text() const noexcept { return json_.text(); }

private:
    using json_program = detail::text_program<text_capacity, 32>;
    using sign_program = detail::text_program<signed_text_capacity, 24>;

    friend order_template make_binance_order_place(const credentials&, const order_spec&, const binance_order_options&,
                                                   std::error_code&);
    friend order_template make_okx_order(const order_spec&, const okx_order_options&, std::error_code&);
    friend order_template make_bybit_order_create(const order_spec&, const bybit_order_options&, std::error_code&);
    friend order_template make_gate_order_place(const order_spec&, const gate_order_options&, std::error_code&);
    friend order_template make_kraken_add_order(const order_spec&, const kraken_order_options&, std::error_code&);

    static fire_result& failed(fire_result& r, error e) noexcept {
        r.ec = e;
        return r;
    }

    void take(order_template& o) noexcept {
        json_ = o.json_;
        sign_ = o.sign_;
        mac_ = o.mac_;
        scratch_ = o.scratch_;
        price_decimals_ = o.price_decimals_;
        quantity_decimals_ = o.quantity_decimals_;
        id_rule_ = o.id_rule_;
        id_prefix_ = o.id_prefix_;
        id_prefix_size_ = o.id_prefix_size_;
        strip_gate_prefix_ = o.strip_gate_prefix_;
        has_client_id_ = o.has_client_id_;
        used_slots_ = o.used_slots_;
        signed_ = o.signed_;
        ed25519_ = o.ed25519_;
        signature_width_ = o.signature_width_;
        ed_ = std::move(o.ed_);
        built_ = o.built_;
        max_payload_ = o.max_payload_;
        sequence_ = o.sequence_;
        o.json_.wipe();
        o.sign_.wipe();
        o.mac_ = detail::prefix_hmac<crypto::sha256>();
        crypto::detail::secure_wipe(o.scratch_.data(), o.scratch_.size());
        o.built_ = false;
    }

    // Formats the slots, writes the request text at `out`, signs. Returns its length;
    // on error sets r.ec and returns 0.
    std::size_t render_into(const order_fields& f, char* out, fire_result& r) noexcept {
        using detail::slot;
        constexpr std::size_t pad = detail::copy_slack;
        detail::slot_values v;
        char price[detail::max_amount_chars + pad];
        char quantity[detail::max_amount_chars + pad];
        char request_id[detail::max_uint_chars + pad];
        char stamp_ms[detail::max_uint_chars + pad];
        char stamp_s[detail::max_uint_chars + pad];
        detail::amount_status status;

        if (uses(slot::price)) {
            const std::size_t n = detail::format_amount(f.price, price_decimals_, price, status);
            if (n == 0) {
                failed(r, status == detail::amount_status::inexact ? error::inexact_price : error::invalid_price);
                return 0;
            }
            v.text[index(slot::price)] = {price, n};
        }
        {
            const std::size_t n = detail::format_amount(f.quantity, quantity_decimals_, quantity, status);
            if (n == 0) {
                failed(r, status == detail::amount_status::inexact ? error::inexact_quantity : error::invalid_quantity);
                return 0;
            }
            v.text[index(slot::quantity)] = {quantity, n};
        }
        if (uses(slot::timestamp_ms) || uses(slot::time_s)) {
            if (f.timestamp_ms == 0) {
                failed(r, error::missing_timestamp);
                return 0;
            }
            if (uses(slot::timestamp_ms)) v.text[index(slot::timestamp_ms)] = {stamp_ms, detail::write_uint(stamp_ms, f.timestamp_ms)};
            if (uses(slot::time_s)) v.text[index(slot::time_s)] = {stamp_s, detail::write_uint(stamp_s, f.timestamp_ms / 1000)};
        }
        const std::uint64_t seq = ++sequence_;
        r.request_id = f.request_id != 0 ? f.request_id : seq;
        v.text[index(slot::request_id)] = {request_id, detail::write_uint(request_id, r.request_id)};

        if (uses(slot::client_order_id)) {
            std::string_view id = f.client_order_id;
            if (id.empty()) {
                std::memcpy(r.client_id_.data(), id_prefix_.data(), id_prefix_size_);
                std::size_t n = id_prefix_size_;
                n += detail::write_uint(r.client_id_.data() + n, seq);
                if (n > id_rule_.max_size) {
                    failed(r, error::invalid_client_order_id);
                    return 0;
                }
                r.client_id_size_ = n;
            } else {
                if (strip_gate_prefix_ && id.size() >= 2 && id[0] == 't' && id[1] == '-') id.remove_prefix(2);
                if (!detail::valid_client_id(id, id_rule_)) {
                    failed(r, error::invalid_client_order_id);
                    return 0;
                }
                std::memcpy(r.client_id_.data(), id.data(), id.size());
                r.client_id_size_ = id.size();
            }
            v.text[index(slot::client_order_id)] = r.client_order_id();
        }

        char* signature_at = nullptr;
        char* end = json_.write(out, v, signature_width_, &signature_at);
        if (signed_ && ed25519_) {
            char* payload_end = sign_.write(scratch_.data(), v, 0, nullptr);
            crypto::ed25519_signature sig;
            const std::size_t n = static_cast<std::size_t>(payload_end - scratch_.data());
            if (const std::error_code e = ed_.sign(const_bytes(reinterpret_cast<const std::uint8_t*>(scratch_.data()), n), sig)) {
                r.ec = e;
                return 0;
            }
            crypto::base64_encode(sig, signature_at);
        } else if (signed_) {
            char* tail_end = sign_.write(scratch_.data(), v, 0, nullptr);
            std::uint8_t digest[crypto::sha256::digest_size];
            mac_.sign_in_place(reinterpret_cast<std::uint8_t*>(scratch_.data()),
                               static_cast<std::size_t>(tail_end - scratch_.data()), digest);
            crypto::hex_encode(const_bytes(digest, sizeof digest), signature_at);
        }
        return static_cast<std::size_t>(end - out);
    }

    static constexpr std::size_t index(detail::slot s) noexcept { return static_cast<std::size_t>(s); }
    [[nodiscard]] bool uses(detail::slot s) const noexcept { return ((used_slots_ >> index(s)) & 1u) != 0; }

    // Settles sizes after a builder rendered the programs.
    bool finish_build(std::error_code& ec) noexcept {
        if (!json_.ok() || !sign_.ok()) {
            ec = error::template_too_large;
            return false;
        }
        std::array<std::size_t, detail::slot_kinds> widths{};
        widths[static_cast<std::size_t>(detail::slot::price)] = detail::max_amount_chars;
        widths[static_cast<std::size_t>(detail::slot::quantity)] = detail::max_amount_chars;
        widths[static_cast<std::size_t>(detail::slot::client_order_id)] = detail::max_client_id_chars;
        widths[static_cast<std::size_t>(detail::slot::timestamp_ms)] = detail::max_uint_chars;
        widths[static_cast<std::size_t>(detail::slot::time_s)] = detail::max_uint_chars;
        widths[static_cast<std::size_t>(detail::slot::request_id)] = detail::max_uint_chars;
        widths[static_cast<std::size_t>(detail::slot::signature)] = signature_width_;
        max_payload_ = json_.max_output(widths);
        // The signing scratch holds the tail, then the copy slack or the SHA-256 padding.
        if (signed_ && sign_.max_output(widths) +
                               std::max(detail::copy_slack, detail::prefix_hmac<crypto::sha256>::in_place_room) >
                           scratch_.size()) {
            ec = error::template_too_large;
            return false;
        }
        used_slots_ = 0;
        for (std::size_t i = 1; i < detail::slot_kinds; ++i) {
            const auto s = static_cast<detail::slot>(i);
            if (json_.uses(s) || (signed_ && sign_.uses(s))) used_slots_ |= 1u << i;
        }
        built_ = true;
        ec.clear();
        return true;
    }

    // Common checks of the spec; sets the client id rule and prefix.
    bool accept_spec(const order_spec& spec, const detail::client_id_rule& rule, std::error_code& ec) noexcept {
        if (spec.symbol.empty() || !detail::json_string_safe(spec.symbol)) {
            ec = error::invalid_text;
            return false;
        }
        if (spec.price_decimals < -1 || spec.price_decimals > 18) {
            ec = error::invalid_price;
            return false;
        }
        if (spec.quantity_decimals < -1 || spec.quantity_decimals > 18) {
            ec = error::invalid_quantity;
            return false;
        }
        if (spec.type == order_type::market && spec.tif == time_in_force::post_only) {
            ec = error::unsupported_order;
            return false;
        }
        id_rule_ = rule;
        has_client_id_ = spec.client_order_id;
        if (has_client_id_) {
            // Room for at least a few counter digits after the prefix.
            const std::string_view p = spec.client_id_prefix;
            if (p.size() + 4 > rule.max_size || !detail::client_id_chars_ok(p, rule)) {
                ec = error::invalid_client_order_id;
                return false;
            }
            std::memcpy(id_prefix_.data(), p.data(), p.size());
            id_prefix_size_ = p.size();
        }
        price_decimals_ = spec.price_decimals;
        quantity_decimals_ = spec.quantity_decimals;
        return true;
    }

    json_program json_;
    sign_program sign_;  // the changing tail of the string to sign (signed venues)
    detail::prefix_hmac<crypto::sha256> mac_;
    std::array<char, signed_text_capacity + detail::copy_slack> scratch_{};
    int price_decimals_ = -1;
    int quantity_decimals_ = -1;
    detail::client_id_rule id_rule_{};
    std::array<char, detail::max_client_id_chars> id_prefix_{};
    std::size_t id_prefix_size_ = 0;
    bool strip_gate_prefix_ = false;
    bool has_client_id_ = false;
    std::uint32_t used_slots_ = 0;  // bit i: slot i appears in a program
    bool signed_ = false;
    bool ed25519_ = false;
    std::size_t signature_width_ = binance_signer::hmac_signature_size;
    crypto::ed25519_signer ed_;
    bool built_ = false;
    std::size_t max_payload_ = 0;
    std::uint64_t sequence_ = 0;
};

namespace detail {

// "key":"value" pieces for the builders.
template <class Program>
void json_key(Program& p, std::string_view key, bool comma = true) noexcept {
    if (comma) p.literal(",");
    p.literal("\"");
    p.literal(key);
    p.literal("\":");
}
template <class Program>
void json_string(Program& p, std::string_view key, std::string_view value, bool comma = true) noexcept {
    json_key(p, key, comma);
    p.literal("\"");
    p.literal(value);
    p.literal("\"");
}
template <class Program>
void json_string_slot(Program& p, std::string_view key, slot s, bool comma = true) noexcept {
    json_key(p, key, comma);
    p.literal("\"");
    p.add_slot(s);
    p.literal("\"");
}
template <class Program>
void json_raw_slot(Program& p, std::string_view key, slot s, bool comma = true) noexcept {
    json_key(p, key, comma);
    p.add_slot(s);
}

// recvWindow text: digits, optionally '.' and up to three decimals.
constexpr bool recv_window_ok(std::string_view s) noexcept {
    const std::size_t dot = s.find('.');
    const std::string_view whole = s.substr(0, dot);
    if (whole.empty() || whole.size() > 9) return false;
    for (const char c : whole)
        if (c < '0' || c > '9') return false;
    if (dot == std::string_view::npos) return true;
    const std::string_view frac = s.substr(dot + 1);
    if (frac.empty() || frac.size() > 3) return false;
    for (const char c : frac)
        if (c < '0' || c > '9') return false;
    return true;
}

}  // namespace detail

// Binance WebSocket API order.place (REFERENCE.md 1.6), signed per request (1.7) with
// the HMAC secret, or with Ed25519 when the secret is a PEM private key:
// {"id":"<n>","method":"order.place","params":{"symbol":..,"side":..,"type":..,
//  "price":..,"quantity":..,"timeInForce":..[,"newClientOrderId":..][,"recvWindow":..],
//  "timestamp":<ms>,"apiKey":..,"signature":..}}
inline order_template make_binance_order_place(const credentials& creds, const order_spec& spec,
                                               const binance_order_options& options, std::error_code& ec) {
    order_template t;
    if (creds.api_key().empty() || creds.reveal_secret().empty()) {
        ec = error::missing_credential;
        return t;
    }
    if (!detail::json_string_safe(creds.api_key()) || !detail::json_string_safe(options.method) ||
        options.method.empty() || (!options.recv_window.empty() && !detail::recv_window_ok(options.recv_window))) {
        ec = error::invalid_text;
        return t;
    }
    if (!t.accept_spec(spec, detail::binance_client_id, ec)) return t;
    const bool market = spec.type == order_type::market;
    if (market && spec.tif != time_in_force::gtc) {
        ec = error::unsupported_order;
        return t;
    }
    const std::string_view side = spec.side == order_side::buy ? "BUY" : "SELL";
    const std::string_view type = market ? "MARKET" : spec.tif == time_in_force::post_only ? "LIMIT_MAKER" : "LIMIT";
    const std::string_view tif = market || spec.tif == time_in_force::post_only ? std::string_view{}
                                 : spec.tif == time_in_force::ioc             ? "IOC"
                                 : spec.tif == time_in_force::fok             ? "FOK"
                                                                              : "GTC";

    auto& j = t.json_;
    j.literal("{\"id\":\"");
    j.add_slot(detail::slot::request_id);
    j.literal("\",\"method\":\"");
    j.literal(options.method);
    j.literal("\",\"params\":{");
    detail::json_string(j, "symbol", spec.symbol, false);
    detail::json_string(j, "side", side);
    detail::json_string(j, "type", type);
    if (!market) detail::json_string_slot(j, "price", detail::slot::price);
    detail::json_string_slot(j, "quantity", detail::slot::quantity);
    if (!tif.empty()) detail::json_string(j, "timeInForce", tif);
    if (spec.client_order_id) detail::json_string_slot(j, "newClientOrderId", detail::slot::client_order_id);
    if (!options.recv_window.empty()) {
        detail::json_key(j, "recvWindow");
        j.literal(options.recv_window);
    }
    detail::json_raw_slot(j, "timestamp", detail::slot::timestamp_ms);
    detail::json_string(j, "apiKey", creds.api_key());
    detail::json_string_slot(j, "signature", detail::slot::signature);
    j.literal("}}");

    // The string to sign: the same parameters sorted by name (signature excluded).
    struct param {
        std::string_view name;
        std::string_view literal;
        detail::slot value;
    };
    std::array<param, 10> params;
    std::size_t n = 0;
    params[n++] = {"apiKey", creds.api_key(), detail::slot::none};
    if (spec.client_order_id) params[n++] = {"newClientOrderId", {}, detail::slot::client_order_id};
    if (!market) params[n++] = {"price", {}, detail::slot::price};
    params[n++] = {"quantity", {}, detail::slot::quantity};
    if (!options.recv_window.empty()) params[n++] = {"recvWindow", options.recv_window, detail::slot::none};
    params[n++] = {"side", side, detail::slot::none};
    params[n++] = {"symbol", spec.symbol, detail::slot::none};
    if (!tif.empty()) params[n++] = {"timeInForce", tif, detail::slot::none};
    params[n++] = {"timestamp", {}, detail::slot::timestamp_ms};
    params[n++] = {"type", type, detail::slot::none};
    std::sort(params.begin(), params.begin() + static_cast<std::ptrdiff_t>(n),
              [](const param& a, const param& b) { return a.name < b.name; });
    // Render once in full to find the constant prefix, then keep only the tail.
    auto& s = t.sign_;
    for (std::size_t i = 0; i < n; ++i) {
        if (i != 0) s.literal("&");
        s.literal(params[i].name);
        s.literal("=");
        if (params[i].value == detail::slot::none) {
            s.literal(params[i].literal);
        } else {
            s.add_slot(params[i].value);
        }
    }
    t.signed_ = true;
    if (is_pem_private_key(creds.reveal_secret())) {
        // Ed25519: the whole string is signed on every fire.
        if (const std::error_code e = t.ed_.load_pem(creds.reveal_secret())) {
            ec = e;
            t.built_ = false;
            return t;
        }
        t.ed25519_ = true;
        t.signature_width_ = binance_signer::ed25519_signature_size;
    } else {
        const std::string_view prefix = s.leading_literal();
        const std::size_t carry = t.mac_.init(as_bytes(creds.reveal_secret()), as_bytes(prefix));
        s.drop_leading(prefix.size() - carry);
    }
    t.finish_build(ec);
    return t;
}

// OKX op "order" on /ws/v5/private (REFERENCE.md 3.6); authenticated by the
// connection's login (okx_signer::login_message):
// {"id":"<n>","op":"order","args":[{"side":..,"instId":..,"tdMode":..,"ordType":..,
//  "sz":..[,"px":..][,"clOrdId":..]}]}
inline order_template make_okx_order(const order_spec& spec, const okx_order_options& options, std::error_code& ec) {
    order_template t;
    if (options.td_mode.empty() || !detail::json_string_safe(options.td_mode)) {
        ec = error::invalid_text;
        return t;
    }
    if (!t.accept_spec(spec, detail::okx_client_id, ec)) return t;
    const bool market = spec.type == order_type::market;
    if (market && spec.tif != time_in_force::gtc) {
        ec = error::unsupported_order;
        return t;
    }
    // OKX carries the time in force in ordType.
    const std::string_view ord_type = market                               ? "market"
                                      : spec.tif == time_in_force::post_only ? "post_only"
                                      : spec.tif == time_in_force::ioc       ? "ioc"
                                      : spec.tif == time_in_force::fok       ? "fok"
                                                                             : "limit";
    auto& j = t.json_;
    j.literal("{\"id\":\"");
    j.add_slot(detail::slot::request_id);
    j.literal("\",\"op\":\"order\",\"args\":[{");
    detail::json_string(j, "side", spec.side == order_side::buy ? "buy" : "sell", false);
    detail::json_string(j, "instId", spec.symbol);
    detail::json_string(j, "tdMode", options.td_mode);
    detail::json_string(j, "ordType", ord_type);
    detail::json_string_slot(j, "sz", detail::slot::quantity);
    if (!market) detail::json_string_slot(j, "px", detail::slot::price);
    if (spec.client_order_id) detail::json_string_slot(j, "clOrdId", detail::slot::client_order_id);
    j.literal("}]}");
    t.finish_build(ec);
    return t;
}

// Bybit op "order.create" on /v5/trade (REFERENCE.md 2.6); authenticated by the
// connection's auth (bybit_signer::auth_message):
// {"reqId":"<n>","header":{"X-BAPI-TIMESTAMP":"<ms>","X-BAPI-RECV-WINDOW":".."
//  [,"Referer":..]},"op":"order.create","args":[{"symbol":..,"side":..,"orderType":..,
//  "qty":..[,"price":..],"category":..[,"timeInForce":..][,"orderLinkId":..]}]}
inline order_template make_bybit_order_create(const order_spec& spec, const bybit_order_options& options,
                                              std::error_code& ec) {
    order_template t;
    if (options.category.empty() || !detail::json_string_safe(options.category) ||
        !detail::recv_window_ok(options.recv_window) || !detail::json_string_safe(options.referer)) {
        ec = error::invalid_text;
        return t;
    }
    if (!t.accept_spec(spec, detail::bybit_client_id, ec)) return t;
    const bool market = spec.type == order_type::market;
    if (market && spec.tif != time_in_force::gtc) {
        ec = error::unsupported_order;
        return t;
    }
    const std::string_view tif = spec.tif == time_in_force::post_only ? "PostOnly"
                                 : spec.tif == time_in_force::ioc     ? "IOC"
                                 : spec.tif == time_in_force::fok     ? "FOK"
                                                                      : "GTC";
    auto& j = t.json_;
    j.literal("{\"reqId\":\"");
    j.add_slot(detail::slot::request_id);
    j.literal("\",\"header\":{");
    detail::json_string_slot(j, "X-BAPI-TIMESTAMP", detail::slot::timestamp_ms, false);
    detail::json_string(j, "X-BAPI-RECV-WINDOW", options.recv_window);
    if (!options.referer.empty()) detail::json_string(j, "Referer", options.referer);
    j.literal("},\"op\":\"order.create\",\"args\":[{");
    detail::json_string(j, "symbol", spec.symbol, false);
    detail::json_string(j, "side", spec.side == order_side::buy ? "Buy" : "Sell");
    detail::json_string(j, "orderType", market ? "Market" : "Limit");
    detail::json_string_slot(j, "qty", detail::slot::quantity);
    if (!market) detail::json_string_slot(j, "price", detail::slot::price);
    detail::json_string(j, "category", options.category);
    if (!market) detail::json_string(j, "timeInForce", tif);
    if (spec.client_order_id) detail::json_string_slot(j, "orderLinkId", detail::slot::client_order_id);
    j.literal("}]}");
    t.finish_build(ec);
    return t;
}

// Gate channel "spot.order_place" (REFERENCE.md 6.5), after spot.login
// (gate_signer::login_message):
// {"time":<s>,"channel":"spot.order_place","event":"api","payload":{"req_id":"<n>",
//  "req_param":{["text":"t-<id>",]"currency_pair":..,"type":..,"account":..,"side":..,
//  "amount":..[,"price":..][,"time_in_force":..]}}}
// time_in_force is sent only when it is not Gate's default (gtc); a market order is
// sent as ioc (Gate accepts only ioc and fok for market orders).
inline order_template make_gate_order_place(const order_spec& spec, const gate_order_options& options,
                                            std::error_code& ec) {
    order_template t;
    if (options.account.empty() || !detail::json_string_safe(options.account)) {
        ec = error::invalid_text;
        return t;
    }
    if (!t.accept_spec(spec, detail::gate_client_id, ec)) return t;
    t.strip_gate_prefix_ = true;
    const bool market = spec.type == order_type::market;
    const std::string_view tif = spec.tif == time_in_force::post_only ? "poc"
                                 : spec.tif == time_in_force::ioc     ? "ioc"
                                 : spec.tif == time_in_force::fok     ? "fok"
                                 : market                             ? "ioc"
                                                                      : std::string_view{};
    auto& j = t.json_;
    j.literal("{\"time\":");
    j.add_slot(detail::slot::time_s);
    j.literal(",\"channel\":\"spot.order_place\",\"event\":\"api\",\"payload\":{\"req_id\":\"");
    j.add_slot(detail::slot::request_id);
    j.literal("\",\"req_param\":{");
    bool first = true;
    if (spec.client_order_id) {
        j.literal("\"text\":\"t-");
        j.add_slot(detail::slot::client_order_id);
        j.literal("\"");
        first = false;
    }
    detail::json_string(j, "currency_pair", spec.symbol, !first);
    detail::json_string(j, "type", market ? "market" : "limit");
    detail::json_string(j, "account", options.account);
    detail::json_string(j, "side", spec.side == order_side::buy ? "buy" : "sell");
    detail::json_string_slot(j, "amount", detail::slot::quantity);
    if (!market) detail::json_string_slot(j, "price", detail::slot::price);
    if (!tif.empty()) detail::json_string(j, "time_in_force", tif);
    j.literal("}}}");
    t.finish_build(ec);
    return t;
}

// Kraken WebSocket v2 "add_order" on wss://ws-auth.kraken.com/v2 (REFERENCE.md 5.6),
// with the token in params (prices and quantities are JSON numbers):
// {"method":"add_order","params":{"order_type":..,"side":..[,"limit_price":<p>]
//  [,"order_userref":<n>],"order_qty":<q>,"symbol":..[,"time_in_force":..]
//  [,"post_only":true][,"cl_ord_id":..],"token":..},"req_id":<n>}
inline order_template make_kraken_add_order(const order_spec& spec, const kraken_order_options& options,
                                            std::error_code& ec) {
    order_template t;
    if (options.token.empty()) {
        ec = error::missing_credential;
        return t;
    }
    if (!detail::json_string_safe(options.token)) {
        ec = error::invalid_text;
        return t;
    }
    if (!t.accept_spec(spec, detail::kraken_client_id, ec)) return t;
    const bool market = spec.type == order_type::market;
    // Kraken v2 time_in_force: gtc (default), gtd, ioc; no fok for spot.
    if (spec.tif == time_in_force::fok || (market && spec.tif != time_in_force::gtc)) {
        ec = error::unsupported_order;
        return t;
    }
    auto& j = t.json_;
    j.literal("{\"method\":\"add_order\",\"params\":{");
    detail::json_string(j, "order_type", market ? "market" : "limit", false);
    detail::json_string(j, "side", spec.side == order_side::buy ? "buy" : "sell");
    if (!market) detail::json_raw_slot(j, "limit_price", detail::slot::price);
    if (options.with_order_userref) {
        detail::json_key(j, "order_userref");
        if (options.order_userref < 0) j.literal("-");
        const std::uint64_t mag = options.order_userref < 0 ? 0 - static_cast<std::uint64_t>(options.order_userref)
                                                            : static_cast<std::uint64_t>(options.order_userref);
        j.literal_uint(mag);
    }
    detail::json_raw_slot(j, "order_qty", detail::slot::quantity);
    detail::json_string(j, "symbol", spec.symbol);
    if (spec.tif == time_in_force::ioc) detail::json_string(j, "time_in_force", "ioc");
    if (spec.tif == time_in_force::post_only) {
        detail::json_key(j, "post_only");
        j.literal("true");
    }
    if (spec.client_order_id) detail::json_string_slot(j, "cl_ord_id", detail::slot::client_order_id);
    detail::json_string(j, "token", options.token);
    j.literal("},\"req_id\":");
    j.add_slot(detail::slot::request_id);
    j.literal("}");
    t.finish_build(ec);
    return t;
}

}  // namespace tradewire::trade
