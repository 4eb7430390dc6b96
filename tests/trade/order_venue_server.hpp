// A local order-entry venue for the order session tests: a tradewire ws_server on
// 127.0.0.1 that plays the order side of Binance's WebSocket API, OKX's private
// WebSocket or Bybit's v5 trade WebSocket. It verifies every login and every signed
// order with the known test key, by the reference's signing rules, computed here from
// the crypto primitives (not with the signers under test), and answers in the venue's
// documented formats (REFERENCE.md 1.6, 3.6, 2.6).
#pragma once

#include <tradewire/core/json.hpp>
#include <tradewire/crypto/base64.hpp>
#include <tradewire/crypto/ed25519.hpp>
#include <tradewire/crypto/hmac.hpp>
#include <tradewire/market/venue.hpp>
#include <tradewire/net/server.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace order_venue {

namespace net = tradewire::net;
using tradewire::market::venue;

inline std::int64_t unix_ms_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct venue_state {
    venue v = venue::binance;
    std::string api_key;
    std::string secret;
    std::string passphrase;
    std::optional<tradewire::crypto::ed25519_public_key> ed25519_key;  // Binance Ed25519 logon
    std::string reject_quantity = "13";  // orders with this quantity are rejected
    bool malformed_next = false;         // answer the next order with broken JSON
    bool unknown_next = false;           // answer the next order with valid JSON of no known form
    bool silent_next = false;            // do not answer the next order

    int logins_ok = 0;
    int logins_bad = 0;
    int orders_ok = 0;   // signature (Binance) and authentication verified
    int orders_bad = 0;  // bad signature / unauthenticated / unparsable
    int rejected = 0;
    int pings = 0;
    std::uint64_t next_order_id = 1000;
    net::session_id last_session = 0;
    std::set<net::session_id> authed;
    std::vector<std::string> orders;  // the order requests as received
};

struct venue_server {
    std::shared_ptr<venue_state> st;

    template <class S>
    void on_close(S&, net::session_id id, const net::session_close_info&) {
        st->authed.erase(id);
    }

    template <class S>
    void on_message(S& s, net::session_id id, const net::ws_message& m) {
        st->last_session = id;
        std::string text(m.text());
        switch (st->v) {
            case venue::binance:
                return binance(s, id, text);
            case venue::okx:
                return okx(s, id, text);
            default:
                return bybit(s, id, text);
        }
    }

    // ----------------------------------------------------------------- Binance WS API
    template <class S>
    void binance(S& s, net::session_id id, std::string& text) {
        const std::string original = text;
        tradewire::json_reader r(text.data(), text.size());
        std::string req_id, method;
        std::vector<std::pair<std::string, std::string>> params;
        std::string_view key;
        bool ok = r.begin_object();
        while (ok && r.next_key(key)) {
            std::string_view v;
            if (key == "id") {
                ok = r.read_string(v);
                req_id = v;
            } else if (key == "method") {
                ok = r.read_string(v);
                method = v;
            } else if (key == "params") {
                ok = r.begin_object();
                std::string_view k2;
                while (ok && r.next_key(k2)) {
                    const std::string name(k2);
                    ok = r.peek() == tradewire::json_type::string ? r.read_string(v) : r.read_number(v);
                    params.emplace_back(name, std::string(v));
                }
            } else {
                ok = r.skip();
            }
        }
        if (!ok || !r.ok()) {
            ++st->orders_bad;
            (void)s.send_text(id, R"({"code":3,"msg":"Invalid JSON"})");
            return;
        }
        const bool signed_ok = verify_binance(params);
        const std::string* ts = find(params, "timestamp");
        const bool fresh = ts != nullptr && std::abs(unix_ms_now() - std::stoll(*ts)) < 5000;
        if (method == "session.logon") {
            if (signed_ok && fresh) {
                ++st->logins_ok;
                st->authed.insert(id);
                (void)s.send_text(
                    id,
                    R"({"id":")" + req_id + R"(","status":200,"result":{"apiKey":")" + st->api_key +
                        R"(","authorizedSince":1649729878532,"connectedSince":1649729873021,"returnRateLimits":false,"serverTime":1649729878630}})");
            } else {
                ++st->logins_bad;
                (void)s.send_text(
                    id,
                    R"({"id":")" + req_id +
                        R"(","status":401,"error":{"code":-1022,"msg":"Signature for this request is not valid."}})");
            }
            return;
        }
        st->orders.push_back(original);
        if (!signed_ok || !fresh || method != "order.place") {
            ++st->orders_bad;
            (void)s.send_text(
                id,
                R"({"id":")" + req_id +
                    R"(","status":400,"error":{"code":-1022,"msg":"Signature for this request is not valid."}})");
            return;
        }
        if (answer_specials(s, id)) {
            ++st->orders_ok;
            return;
        }
        ++st->orders_ok;
        const std::string* qty = find(params, "quantity");
        if (qty != nullptr && *qty == st->reject_quantity) {
            ++st->rejected;
            (void)s.send_text(
                id,
                R"({"id":")" + req_id +
                    R"(","status":400,"error":{"code":-2010,"msg":"Account has insufficient balance for requested action."},"rateLimits":[{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":50,"count":1}]})");
            return;
        }
        const std::string* cid = find(params, "newClientOrderId");
        const std::string client_id = cid != nullptr ? *cid : "a097fe6304b20a7e4fc436";
        (void)s.send_text(
            id,
            R"({"id":")" + req_id + R"(","status":200,"result":{"symbol":")" + value_or(params, "symbol") +
                R"(","orderId":)" + std::to_string(st->next_order_id++) +
                R"(,"orderListId":-1,"clientOrderId":")" + client_id +
                R"(","transactTime":1655716096505,"price":")" + value_or(params, "price") +
                R"(","origQty":")" + value_or(params, "quantity") +
                R"(","executedQty":"0.00000000","status":"NEW","timeInForce":"GTC","type":"LIMIT","side":")" +
                value_or(params, "side") +
                R"("},"rateLimits":[{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":50,"count":1}]})");
    }

    // Sorted k=v&... of every parameter but `signature`; hex HMAC-SHA256, or base64
    // Ed25519 when the venue holds an Ed25519 public key.
    bool verify_binance(const std::vector<std::pair<std::string, std::string>>& params) const {
        const std::string* sig = find(params, "signature");
        const std::string* key = find(params, "apiKey");
        if (sig == nullptr || key == nullptr || *key != st->api_key) return false;
        std::vector<std::pair<std::string, std::string>> sorted;
        for (const auto& p : params)
            if (p.first != "signature") sorted.push_back(p);
        std::sort(sorted.begin(), sorted.end());
        std::string payload;
        for (const auto& [k, v] : sorted) {
            if (!payload.empty()) payload += '&';
            payload += k + "=" + v;
        }
        if (st->ed25519_key) {
            std::error_code ec;
            const std::vector<std::uint8_t> raw = tradewire::crypto::base64_decode(*sig, ec);
            if (ec) return false;
            return !tradewire::crypto::ed25519_verify(*st->ed25519_key, payload,
                                                      tradewire::const_bytes(raw.data(), raw.size()));
        }
        const tradewire::crypto::hmac_sha256_signer mac(st->secret);
        return mac.sign_hex(payload) == *sig;
    }

    // ----------------------------------------------------------------- OKX private WS
    template <class S>
    void okx(S& s, net::session_id id, std::string& text) {
        if (text == "ping") {
            ++st->pings;
            (void)s.send_text(id, "pong");
            return;
        }
        const std::string original = text;
        tradewire::json_reader r(text.data(), text.size());
        std::string req_id, op, api_key, passphrase, timestamp, sign, sz, cl_ord_id;
        std::string_view key, v;
        bool ok = r.begin_object();
        while (ok && r.next_key(key)) {
            if (key == "id") {
                ok = r.read_string(v);
                req_id = v;
            } else if (key == "op") {
                ok = r.read_string(v);
                op = v;
            } else if (key == "args") {
                ok = r.begin_array();
                while (ok && r.next_element()) {
                    ok = r.begin_object();
                    std::string_view k2;
                    while (ok && r.next_key(k2)) {
                        ok = r.read_string(v);
                        if (k2 == "apiKey") api_key = v;
                        if (k2 == "passphrase") passphrase = v;
                        if (k2 == "timestamp") timestamp = v;
                        if (k2 == "sign") sign = v;
                        if (k2 == "sz") sz = v;
                        if (k2 == "clOrdId") cl_ord_id = v;
                    }
                }
            } else {
                ok = r.skip();
            }
        }
        if (!ok || !r.ok()) {
            ++st->orders_bad;
            (void)s.send_text(
                id, R"({"event":"error","code":"60012","msg":"Invalid request","connId":"a4d3ae55"})");
            return;
        }
        if (op == "login") {
            const tradewire::crypto::hmac_sha256_signer mac(st->secret);
            const bool fresh =
                !timestamp.empty() && std::abs(unix_ms_now() / 1000 - std::stoll(timestamp)) <= 30;
            if (api_key == st->api_key && passphrase == st->passphrase && fresh &&
                mac.sign_base64(timestamp + "GET/users/self/verify") == sign) {
                ++st->logins_ok;
                st->authed.insert(id);
                (void)s.send_text(id, R"({"event":"login","code":"0","msg":"","connId":"a4d3ae55"})");
            } else {
                ++st->logins_bad;
                (void)s.send_text(
                    id, R"({"event":"error","code":"60009","msg":"Login failed.","connId":"a4d3ae55"})");
            }
            return;
        }
        st->orders.push_back(original);
        if (op != "order" || st->authed.count(id) == 0) {
            ++st->orders_bad;
            (void)s.send_text(
                id, R"({"id":")" + req_id +
                        R"(","event":"error","code":"60013","msg":"Invalid args","connId":"a4d3ae55"})");
            return;
        }
        ++st->orders_ok;
        if (answer_specials(s, id)) return;
        if (sz == st->reject_quantity) {
            ++st->rejected;
            (void)s.send_text(
                id,
                R"({"id":")" + req_id + R"(","op":"order","data":[{"clOrdId":")" + cl_ord_id +
                    R"(","ordId":"","tag":"","sCode":"60013","sMsg":"Invalid args"}],"code":"1","msg":"","inTime":"1695190491421339","outTime":"1695190491423240"})");
            return;
        }
        (void)s.send_text(
            id,
            R"({"id":")" + req_id + R"(","op":"order","data":[{"clOrdId":")" + cl_ord_id + R"(","ordId":")" +
                std::to_string(st->next_order_id++) +
                R"(","tag":"","sCode":"0","sMsg":""}],"code":"0","msg":"","inTime":"1695190491421339","outTime":"1695190491423240"})");
    }

    // ----------------------------------------------------------------- Bybit v5 trade
    template <class S>
    void bybit(S& s, net::session_id id, std::string& text) {
        const std::string original = text;
        tradewire::json_reader r(text.data(), text.size());
        std::string req_id, op, qty, link_id, stamp;
        std::vector<std::string> args;
        std::string_view key, v;
        bool ok = r.begin_object();
        while (ok && r.next_key(key)) {
            if (key == "reqId" || key == "req_id") {
                ok = r.read_string(v);
                req_id = v;
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
                    if (r.peek() == tradewire::json_type::object) {
                        ok = r.begin_object();
                        std::string_view k2;
                        while (ok && r.next_key(k2)) {
                            ok = r.read_string(v);
                            if (k2 == "qty") qty = v;
                            if (k2 == "orderLinkId") link_id = v;
                        }
                    } else {
                        ok = r.peek() == tradewire::json_type::string ? r.read_string(v) : r.read_number(v);
                        args.emplace_back(v);
                    }
                }
            } else {
                ok = r.skip();
            }
        }
        if (!ok || !r.ok()) {
            ++st->orders_bad;
            (void)s.send_text(
                id,
                R"({"retCode":10001,"retMsg":"params error","op":"","connId":"cnt5leec0hvan15eukcg-2t"})");
            return;
        }
        if (op == "ping") {
            ++st->pings;
            (void)s.send_text(
                id,
                R"({"retCode":0,"retMsg":"OK","op":"pong","data":["1711002002529"],"connId":"cnt5leec0hvan15eukcg-2v"})");
            return;
        }
        if (op == "auth") {
            const tradewire::crypto::hmac_sha256_signer mac(st->secret);
            const bool good = args.size() == 3 && args[0] == st->api_key &&
                              std::stoll(args[1]) > unix_ms_now() &&
                              mac.sign_hex("GET/realtime" + args[1]) == args[2];
            if (good) {
                ++st->logins_ok;
                st->authed.insert(id);
                (void)s.send_text(
                    id, R"({"retCode":0,"retMsg":"OK","op":"auth","connId":"cnt5leec0hvan15eukcg-2t"})");
            } else {
                ++st->logins_bad;
                (void)s.send_text(
                    id,
                    R"({"retCode":10004,"retMsg":"Invalid sign","op":"auth","connId":"cnt5leec0hvan15eukcg-2t"})");
            }
            return;
        }
        st->orders.push_back(original);
        const bool fresh = !stamp.empty() && std::abs(unix_ms_now() - std::stoll(stamp)) < 8000;
        if (op != "order.create" || st->authed.count(id) == 0 || !fresh) {
            ++st->orders_bad;
            (void)s.send_text(
                id,
                R"({"reqId":")" + req_id +
                    R"(","retCode":10001,"retMsg":"params error","op":"order.create","data":{},"retExtInfo":{},"connId":"cnt5leec0hvan15eukcg-2v"})");
            return;
        }
        ++st->orders_ok;
        if (answer_specials(s, id)) return;
        if (qty == st->reject_quantity) {
            ++st->rejected;
            (void)s.send_text(
                id,
                R"({"reqId":")" + req_id +
                    R"(","retCode":10001,"retMsg":"params error","op":"order.create","data":{},"retExtInfo":{},"connId":"cnt5leec0hvan15eukcg-2v"})");
            return;
        }
        (void)s.send_text(
            id,
            R"({"reqId":")" + req_id +
                R"(","retCode":0,"retMsg":"OK","op":"order.create","data":{"orderId":"a4c1718e-fe53-4659-a118-)" +
                std::to_string(st->next_order_id++) + R"(","orderLinkId":")" + link_id +
                R"("},"retExtInfo":{},"header":{"X-Bapi-Limit":"10","X-Bapi-Limit-Status":"9","X-Bapi-Limit-Reset-Timestamp":"1711001595208","Traceid":"38b7977b430f9bd228f4b19724794dfd","Timenow":"1711001595209"},"connId":"cnt5leec0hvan15eukcg-2v"})");
    }

    // ----------------------------------------------------------------- helpers
    template <class S>
    bool answer_specials(S& s, net::session_id id) {
        if (st->malformed_next) {
            st->malformed_next = false;
            (void)s.send_text(id, R"({"id":"7","status":200,"result":{"orderId":)");
            return true;
        }
        if (st->unknown_next) {
            st->unknown_next = false;
            (void)s.send_text(id, R"({"hello":"world","n":[1,2,3]})");
            return true;
        }
        if (st->silent_next) {
            st->silent_next = false;
            return true;
        }
        return false;
    }

    static const std::string* find(const std::vector<std::pair<std::string, std::string>>& p,
                                   std::string_view k) {
        for (const auto& [name, value] : p)
            if (name == k) return &value;
        return nullptr;
    }
    static std::string value_or(const std::vector<std::pair<std::string, std::string>>& p,
                                std::string_view k) {
        const std::string* v = find(p, k);
        return v != nullptr ? *v : std::string();
    }
};

}  // namespace order_venue
