// The simulator's order-entry side: a WebSocket server on 127.0.0.1 that plays one
// venue's authenticated order endpoint, so a bot can exercise its live order path
// (trade/order_session.hpp) without a real account:
//
//   Binance  WebSocket API: order.place requests, each HMAC-SHA256 signed over the sorted
//            parameters [REFERENCE.md 1.6, 1.7]; a signed session.logon is accepted too.
//   OKX      /ws/v5/private: op "login" (base64 HMAC over seconds + "GET/users/self/verify",
//            within 30 s), then op "order" [3.6]; text "ping" -> "pong".
//   Bybit    /v5/trade: op "auth" (hex HMAC over "GET/realtime" + expires, expires in the
//            future), then "order.create" [2.6]; {"op":"ping"} -> pong.
//
// It accepts only the API key and secret (and OKX passphrase) it was given, checks every
// signature and timestamp (against the wall clock, which is what clients sign with), and
// answers in the venue's documented formats: success, or the venue's error for a bad
// signature (-1022 / 60009 / 10004), a request without login, or bad parameters.
// Orders are priced against the market model's book of that venue (sim::market_model,
// the one the simulator's feeds publish): a Binance order that crosses the book is
// answered FILLED at the best opposite price, otherwise NEW (it rests and never fills);
// OKX and Bybit acknowledge only, as the venues do. Symbols are the venue spellings of
// the model's instruments (BTCUSDT, BTC-USDT); an unknown one is refused.
//
//   sim::simulator s(io, o);  s.start();
//   sim::order_entry_venue binance(io, s.model(), {.venue = sim::venue_id::binance,
//                                                  .api_key = "k", .secret = "s"});
//   binance.start();  binance.url();   // ws://127.0.0.1:P/ws-api/v3
//
// Untrusted input never throws or crashes: bad JSON gets the venue's error answer.
// Threading: the io_context's thread, like the simulator.
#pragma once

#include <tradewire/core/decimal.hpp>
#include <tradewire/core/json.hpp>
#include <tradewire/crypto/hmac.hpp>
#include <tradewire/net/server.hpp>
#include <tradewire/sim/market_model.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace tradewire::sim {

struct order_entry_options {
    venue_id venue = venue_id::binance;
    std::string bind_address = "127.0.0.1";
    std::uint16_t port = 0;  // 0: ephemeral
    std::string api_key;     // the only key accepted
    std::string secret;
    std::string passphrase;                       // OKX
    std::chrono::milliseconds recv_window{5000};  // Binance/Bybit timestamp tolerance
};

struct order_entry_stats {
    std::uint64_t logins = 0;
    std::uint64_t logins_refused = 0;
    std::uint64_t orders_accepted = 0;
    std::uint64_t orders_filled = 0;   // Binance orders answered FILLED
    std::uint64_t orders_refused = 0;  // bad signature, no login, bad parameters
};

namespace detail {

struct order_entry_state {
    const market_model* model = nullptr;
    order_entry_options options;
    order_entry_stats stats;
    std::set<net::session_id> authed;
    std::uint64_t next_order_id = 1'000'000;
};

inline std::int64_t wall_ms() noexcept {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline std::string escape_free(std::string_view s) {
    std::string out;
    for (const char c : s)
        if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) out += c;
    return out;
}

struct order_entry_handler {
    std::shared_ptr<order_entry_state> st;
    using params = std::vector<std::pair<std::string, std::string>>;

    template <class S>
    void on_close(S&, net::session_id id, const net::session_close_info&) {
        st->authed.erase(id);
    }

    template <class S>
    void on_message(S& s, net::session_id id, const net::ws_message& m) {
        std::string text(m.text());
        switch (st->options.venue) {
            case venue_id::binance:
                return binance(s, id, text);
            case venue_id::okx:
                return okx(s, id, text);
            default:
                return bybit(s, id, text);
        }
    }

    // The model's instrument whose venue spelling is `native`.
    bool find_symbol(std::string_view native, std::size_t& index) const {
        const auto& syms = st->model->config().symbols;
        for (std::size_t i = 0; i < syms.size(); ++i) {
            const std::string plain = syms[i].base + syms[i].quote;
            const std::string dashed = syms[i].base + "-" + syms[i].quote;
            if (native == (st->options.venue == venue_id::okx ? dashed : plain)) {
                index = i;
                return true;
            }
        }
        return false;
    }

    static const std::string* find(const params& p, std::string_view k) {
        for (const auto& [name, value] : p)
            if (name == k) return &value;
        return nullptr;
    }
    static std::string value_or(const params& p, std::string_view k) {
        const std::string* v = find(p, k);
        return v != nullptr ? *v : std::string();
    }

    bool fresh_ms(std::string_view stamp) const {
        std::int64_t t = 0;
        if (!parse_int64(stamp, t)) return false;
        const std::int64_t now = wall_ms();
        return t < now + 1000 && now - t <= st->options.recv_window.count();
    }

    // ------------------------------------------------------------------ Binance
    template <class S>
    void binance(S& s, net::session_id id, std::string& text) {
        json_reader r(text.data(), text.size());
        std::string req_id, method;
        params p;
        std::string_view key;
        bool ok = r.begin_object();
        while (ok && r.next_key(key)) {
            std::string_view v;
            if (key == "id") {
                ok = r.peek() == json_type::string ? r.read_string(v) : r.read_number(v);
                req_id = escape_free(v);
            } else if (key == "method") {
                ok = r.read_string(v);
                method = v;
            } else if (key == "params") {
                ok = r.begin_object();
                std::string_view k2;
                while (ok && r.next_key(k2)) {
                    const std::string name(k2);
                    ok = r.peek() == json_type::string ? r.read_string(v) : r.read_number(v);
                    p.emplace_back(name, std::string(v));
                }
            } else {
                ok = r.skip();
            }
        }
        if (!ok || !r.finish()) {
            ++st->stats.orders_refused;
            (void)s.send_text(id, R"({"code":3,"msg":"Invalid JSON"})");
            return;
        }
        const std::string head = R"({"id":")" + req_id + R"(","status":)";
        const bool good = binance_signed(p) && fresh_ms(value_or(p, "timestamp"));
        if (method == "session.logon" || method == "v3/session.logon") {
            if (!good)
                return binance_error(s, id, head, 401, -1022, "Signature for this request is not valid.",
                                     true);
            ++st->stats.logins;
            st->authed.insert(id);
            (void)s.send_text(id, head + R"(200,"result":{"apiKey":")" + escape_free(st->options.api_key) +
                                      R"(","authorizedSince":)" + std::to_string(wall_ms()) +
                                      R"(,"returnRateLimits":false,"serverTime":)" +
                                      std::to_string(wall_ms()) + "}}");
            return;
        }
        if (method != "order.place" && method != "v3/order.place")
            return binance_error(s, id, head, 400, -1100, "Illegal characters found in a parameter.", false);
        if (!good)
            return binance_error(s, id, head, 400, -1022, "Signature for this request is not valid.", false);
        std::size_t sym = 0;
        const std::string symbol = value_or(p, "symbol");
        if (!find_symbol(symbol, sym))
            return binance_error(s, id, head, 400, -1121, "Invalid symbol.", false);
        const auto qty = decimal::parse(value_or(p, "quantity"));
        const std::string type = value_or(p, "type");
        const bool market = type == "MARKET";
        const auto price = decimal::parse(value_or(p, "price"));
        const bool buy = value_or(p, "side") == "BUY";
        if (!qty || qty.value.sign() <= 0 || (!market && (!price || price.value.sign() <= 0)))
            return binance_error(s, id, head, 400, -1013, "Filter failure: LOT_SIZE", false);
        const symbol_config& sc = st->model->config().symbols[sym];
        const venue_book& b = st->model->book(venue_id::binance, sym);
        const std::int64_t far = buy ? b.best_ask() : b.best_bid();
        const decimal far_price = decimal::from_parts(far, -sc.price_decimals).value;
        const bool crosses =
            far != 0 && (market || (buy ? price.value >= far_price : price.value <= far_price));
        const bool fill_now = crosses && type != "LIMIT_MAKER";
        if (crosses && type == "LIMIT_MAKER")
            return binance_error(s, id, head, 400, -2010, "Order would immediately match and take.", false);
        ++st->stats.orders_accepted;
        if (fill_now) ++st->stats.orders_filled;
        const std::string cid = escape_free(value_or(p, "newClientOrderId"));
        const std::string status =
            fill_now ? "FILLED" : (value_or(p, "timeInForce") == "GTC" ? "NEW" : "EXPIRED");
        const std::string qty_text = escape_free(value_or(p, "quantity"));
        std::array<char, decimal::max_chars> fp{};
        const std::size_t fn = far_price.format(fp.data(), fp.size());
        const std::string exec_price =
            fill_now ? std::string(fp.data(), fn) : escape_free(value_or(p, "price"));
        (void)s.send_text(
            id, head + R"(200,"result":{"symbol":")" + escape_free(symbol) + R"(","orderId":)" +
                    std::to_string(st->next_order_id++) + R"(,"orderListId":-1,"clientOrderId":")" +
                    (cid.empty() ? std::string("sim") + std::to_string(st->next_order_id) : cid) +
                    R"(","transactTime":)" + std::to_string(wall_ms()) + R"(,"price":")" + exec_price +
                    R"(","origQty":")" + qty_text + R"(","executedQty":")" +
                    (fill_now ? qty_text : std::string("0")) + R"(","status":")" + status + R"(","type":")" +
                    escape_free(type) + R"(","side":")" + (buy ? "BUY" : "SELL") + R"("}})");
    }

    template <class S>
    void binance_error(S& s, net::session_id id, const std::string& head, int status, int code,
                       std::string_view msg, bool login) {
        ++(login ? st->stats.logins_refused : st->stats.orders_refused);
        (void)s.send_text(id, head + std::to_string(status) + R"(,"error":{"code":)" + std::to_string(code) +
                                  R"(,"msg":")" + std::string(msg) + R"("}})");
    }

    // Sorted k=v&... of every parameter but `signature`, hex HMAC-SHA256 with the secret.
    bool binance_signed(const params& p) const {
        const std::string* sig = find(p, "signature");
        const std::string* key = find(p, "apiKey");
        if (sig == nullptr || key == nullptr || *key != st->options.api_key) return false;
        params sorted;
        for (const auto& e : p)
            if (e.first != "signature") sorted.push_back(e);
        std::sort(sorted.begin(), sorted.end());
        std::string payload;
        for (const auto& [k, v] : sorted) {
            if (!payload.empty()) payload += '&';
            payload += k + "=" + v;
        }
        const crypto::hmac_sha256_signer mac(st->options.secret);
        std::string expect = mac.sign_hex(payload);
        std::string got = *sig;
        std::transform(got.begin(), got.end(), got.begin(),
                       [](char c) { return c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c; });
        return expect == got;
    }

    // ------------------------------------------------------------------ OKX
    template <class S>
    void okx(S& s, net::session_id id, std::string& text) {
        if (text == "ping") {
            (void)s.send_text(id, "pong");
            return;
        }
        json_reader r(text.data(), text.size());
        std::string req_id, op;
        params a;
        std::string_view key, v;
        bool ok = r.begin_object();
        while (ok && r.next_key(key)) {
            if (key == "id") {
                ok = r.read_string(v);
                req_id = escape_free(v);
            } else if (key == "op") {
                ok = r.read_string(v);
                op = v;
            } else if (key == "args") {
                ok = r.begin_array();
                bool first = true;
                while (ok && r.next_element()) {
                    if (!first) {
                        ok = r.skip();
                        continue;
                    }
                    first = false;
                    ok = r.begin_object();
                    std::string_view k2;
                    while (ok && r.next_key(k2)) {
                        const std::string name(k2);
                        ok = r.read_string(v);
                        a.emplace_back(name, std::string(v));
                    }
                }
            } else {
                ok = r.skip();
            }
        }
        const std::string conn = R"(,"connId":"a4d3ae55"})";
        if (!ok || !r.finish()) {
            ++st->stats.orders_refused;
            (void)s.send_text(id, R"({"event":"error","code":"60012","msg":"Invalid request")" + conn);
            return;
        }
        if (op == "login") {
            const std::string ts = value_or(a, "timestamp");
            std::int64_t secs = 0;
            const crypto::hmac_sha256_signer mac(st->options.secret);
            const bool fresh = parse_int64(ts, secs) && std::abs(wall_ms() / 1000 - secs) <= 30;
            if (fresh && value_or(a, "apiKey") == st->options.api_key &&
                value_or(a, "passphrase") == st->options.passphrase &&
                mac.sign_base64(ts + "GET/users/self/verify") == value_or(a, "sign")) {
                ++st->stats.logins;
                st->authed.insert(id);
                (void)s.send_text(id, R"({"event":"login","code":"0","msg":"")" + conn);
            } else {
                ++st->stats.logins_refused;
                (void)s.send_text(id, R"({"event":"error","code":"60009","msg":"Login failed.")" + conn);
            }
            return;
        }
        const std::string head = R"({"id":")" + req_id + R"(","op":")" + escape_free(op) + R"(",)";
        std::size_t sym = 0;
        const auto sz = decimal::parse(value_or(a, "sz"));
        if (op != "order" || st->authed.count(id) == 0 || !find_symbol(value_or(a, "instId"), sym) || !sz ||
            sz.value.sign() <= 0) {
            ++st->stats.orders_refused;
            (void)s.send_text(id, R"({"id":")" + req_id +
                                      R"(","event":"error","code":"60013","msg":"Invalid args")" + conn);
            return;
        }
        ++st->stats.orders_accepted;
        (void)s.send_text(id, head + R"("data":[{"clOrdId":")" + escape_free(value_or(a, "clOrdId")) +
                                  R"(","ordId":")" + std::to_string(st->next_order_id++) +
                                  R"(","tag":"","sCode":"0","sMsg":""}],"code":"0","msg":"","inTime":")" +
                                  std::to_string(wall_ms() * 1000) + R"(","outTime":")" +
                                  std::to_string(wall_ms() * 1000) + R"("})");
    }

    // ------------------------------------------------------------------ Bybit
    template <class S>
    void bybit(S& s, net::session_id id, std::string& text) {
        json_reader r(text.data(), text.size());
        std::string req_id, op, stamp;
        std::vector<std::string> args;
        params order;
        std::string_view key, v;
        bool ok = r.begin_object();
        while (ok && r.next_key(key)) {
            if (key == "reqId" || key == "req_id") {
                ok = r.read_string(v);
                req_id = escape_free(v);
            } else if (key == "op") {
                ok = r.read_string(v);
                op = v;
            } else if (key == "header") {
                ok = r.begin_object();
                std::string_view k2;
                while (ok && r.next_key(k2)) {
                    ok = r.read_string(v);
                    if (k2 == "X-BAPI-TIMESTAMP") stamp = v;
                }
            } else if (key == "args") {
                ok = r.begin_array();
                while (ok && r.next_element()) {
                    if (r.peek() == json_type::object) {
                        ok = r.begin_object();
                        std::string_view k2;
                        while (ok && r.next_key(k2)) {
                            const std::string name(k2);
                            ok = r.read_string(v);
                            order.emplace_back(name, std::string(v));
                        }
                    } else {
                        ok = r.peek() == json_type::string ? r.read_string(v) : r.read_number(v);
                        args.emplace_back(v);
                    }
                }
            } else {
                ok = r.skip();
            }
        }
        const std::string conn = R"(,"connId":"cnt5leec0hvan15eukcg-2t"})";
        if (!ok || !r.finish()) {
            ++st->stats.orders_refused;
            (void)s.send_text(id, R"({"retCode":10001,"retMsg":"params error","op":"")" + conn);
            return;
        }
        if (op == "ping") {
            (void)s.send_text(id, R"({"retCode":0,"retMsg":"OK","op":"pong","data":[")" +
                                      std::to_string(wall_ms()) + R"("])" + conn);
            return;
        }
        if (op == "auth") {
            std::int64_t expires = 0;
            const crypto::hmac_sha256_signer mac(st->options.secret);
            const bool good = args.size() == 3 && args[0] == st->options.api_key &&
                              parse_int64(args[1], expires) && expires > wall_ms() &&
                              mac.sign_hex("GET/realtime" + args[1]) == args[2];
            if (good) {
                ++st->stats.logins;
                st->authed.insert(id);
                (void)s.send_text(id, R"({"retCode":0,"retMsg":"OK","op":"auth")" + conn);
            } else {
                ++st->stats.logins_refused;
                (void)s.send_text(id, R"({"retCode":10004,"retMsg":"Invalid sign","op":"auth")" + conn);
            }
            return;
        }
        const std::string head = R"({"reqId":")" + req_id + R"(",)";
        std::size_t sym = 0;
        const auto qty = decimal::parse(value_or(order, "qty"));
        if (op != "order.create" || st->authed.count(id) == 0 || !fresh_ms(stamp) ||
            !find_symbol(value_or(order, "symbol"), sym) || !qty || qty.value.sign() <= 0) {
            ++st->stats.orders_refused;
            (void)s.send_text(id, head + R"("retCode":10001,"retMsg":"params error","op":")" +
                                      escape_free(op) + R"(","data":{},"retExtInfo":{})" + conn);
            return;
        }
        ++st->stats.orders_accepted;
        (void)s.send_text(id,
                          head + R"("retCode":0,"retMsg":"OK","op":"order.create","data":{"orderId":"sim-)" +
                              std::to_string(st->next_order_id++) + R"(","orderLinkId":")" +
                              escape_free(value_or(order, "orderLinkId")) + R"("},"retExtInfo":{})" + conn);
    }
};

}  // namespace detail

class order_entry_venue {
public:
    using server_type = net::ws_server<detail::order_entry_handler>;

    // `model` (usually simulator::model()) must outlive this object.
    order_entry_venue(asio::io_context& io, const market_model& model, order_entry_options options)
        : io_(io), st_(std::make_shared<detail::order_entry_state>()) {
        st_->model = &model;
        st_->options = std::move(options);
    }
    order_entry_venue(const order_entry_venue&) = delete;
    order_entry_venue& operator=(const order_entry_venue&) = delete;
    ~order_entry_venue() { stop(); }

    std::error_code start() {
        net::ws_server_options so;
        so.bind_address = st_->options.bind_address;
        so.port = st_->options.port;
        so.stream.max_message_size = 64 * 1024;
        server_.emplace(io_, so, detail::order_entry_handler{st_});
        return (*server_)->listen();
    }

    void stop() {
        if (server_) (*server_)->stop();
    }

    [[nodiscard]] std::uint16_t port() const { return (*server_)->port(); }
    // The URL a client connects to, with the venue's path.
    [[nodiscard]] std::string url() const {
        const venue_id v = st_->options.venue;
        return "ws://127.0.0.1:" + std::to_string(port()) +
               (v == venue_id::binance ? "/ws-api/v3"
                : v == venue_id::okx   ? "/ws/v5/private"
                                       : "/v5/trade");
    }
    [[nodiscard]] const order_entry_stats& stats() const noexcept { return st_->stats; }
    // Cuts every open connection now (a fault for reconnect tests).
    void drop_all() {
        if (!server_) return;
        for (const net::session_id id : std::vector<net::session_id>(st_->authed.begin(), st_->authed.end()))
            (*server_)->abort(id);
    }

private:
    asio::io_context& io_;
    std::shared_ptr<detail::order_entry_state> st_;
    std::optional<server_type> server_;
};

}  // namespace tradewire::sim
