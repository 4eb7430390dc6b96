// Kraken REST signing, API-Sign (REFERENCE.md 9, vector K1):
//
//     API-Sign = base64(HMAC-SHA512(key = base64decode(secret),
//                                   msg = uri_path || SHA-256(nonce || post_data)))
//
// uri_path is "/0/private/<Method>", post_data the exact form-encoded body sent (which
// contains nonce=<nonce>), and the SHA-256 digest is appended as 32 raw bytes. Sent
// with the headers API-Key and API-Sign.
//
// WebSocket v2 messages are not signed: the one signed REST call is
// GetWebSocketsToken, whose token then goes into each private request's params.token
// (REFERENCE.md 5.6); websockets_token_request() builds that call, and the add_order
// template in trade/order_template.hpp carries the token.
#pragma once

#include <tradewire/crypto/base64.hpp>
#include <tradewire/crypto/detail/wipe.hpp>
#include <tradewire/crypto/hmac.hpp>
#include <tradewire/crypto/sha256.hpp>
#include <tradewire/trade/credentials.hpp>
#include <tradewire/trade/detail/text.hpp>
#include <tradewire/trade/error.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <system_error>

namespace tradewire::trade {

class kraken_signer {
public:
    static constexpr std::size_t signature_size = 88;  // base64 of 64 bytes
    static constexpr std::string_view websockets_token_path = "/0/private/GetWebSocketsToken";

    // Decodes the base64 private key. A secret that is empty or not strict base64 sets
    // `ec` (missing_credential, invalid_secret_encoding) and leaves the signer unusable
    // (valid() is false and api_sign() writes nothing).
    kraken_signer(const credentials& c, std::error_code& ec) : api_key_(c.api_key()) {
        const std::string_view secret = c.reveal_secret();
        if (secret.empty()) {
            ec = error::missing_credential;
            return;
        }
        const std::size_t cap = crypto::base64_decoded_max_size(secret.size());
        auto key = std::make_unique<std::uint8_t[]>(cap);
        std::error_code dec;
        const std::size_t n = crypto::base64_decode(secret, key.get(), dec);
        if (dec || n == 0) {
            crypto::detail::secure_wipe(key.get(), cap);
            ec = error::invalid_secret_encoding;
            return;
        }
        mac_.rekey(const_bytes(key.get(), n));
        crypto::detail::secure_wipe(key.get(), cap);
        valid_ = true;
        ec.clear();
    }

    [[nodiscard]] bool valid() const noexcept { return valid_; }
    [[nodiscard]] std::string_view api_key() const noexcept { return api_key_.reveal(); }

    // API-Sign for one request: signature_size characters at `out`; 0 if !valid().
    std::size_t api_sign(std::string_view uri_path, std::string_view nonce, std::string_view post_data,
                         char* out) const noexcept {
        if (!valid_) return 0;
        crypto::sha256 inner;
        inner.update(nonce);
        inner.update(post_data);
        const crypto::sha256::digest_type digest = inner.finish();
        crypto::hmac<crypto::sha512> mac = mac_.begin();
        mac.update(uri_path);
        mac.update(const_bytes(digest.data(), digest.size()));
        const crypto::sha512::digest_type sig = mac.finish();
        return crypto::base64_encode(sig, out);
    }

    // The GetWebSocketsToken call: writes the body "nonce=<nonce>" into `body` and its
    // API-Sign (signature_size characters) at `sign_out`. Returns the body size.
    std::size_t websockets_token_request(std::uint64_t nonce, std::span<char> body, char* sign_out,
                                         std::error_code& ec) const noexcept {
        if (!valid_) return detail::fail(ec, error::missing_credential);
        detail::text_sink sink(body);
        sink.put("nonce=");
        detail::put_uint(sink, nonce);
        const std::size_t n = detail::finish(sink, ec);
        if (ec) return 0;
        const std::string_view text(body.data(), n);
        api_sign(websockets_token_path, text.substr(6), text, sign_out);
        return n;
    }

private:
    secret_text api_key_;
    crypto::hmac_sha512_signer mac_;
    bool valid_ = false;
};

// A private-channel subscription on wss://ws-auth.kraken.com/v2 carrying the token
// (REFERENCE.md 5.6): {"method":"subscribe","params":{"channel":"executions",
// "token":"..","snap_orders":true,"snap_trades":true}[,"req_id":<n>]}. The snap_*
// flags are sent for the executions channel only.
struct kraken_private_subscription {
    std::string_view channel = "executions";  // executions, balances, level3
    bool snap_orders = true;
    bool snap_trades = true;
    std::uint64_t req_id = 0;  // 0: not sent
};

inline std::size_t kraken_subscribe_private(const kraken_private_subscription& sub, std::string_view token,
                                            std::span<char> out, std::error_code& ec) noexcept {
    if (token.empty()) return detail::fail(ec, error::missing_credential);
    if (sub.channel.empty() || !detail::json_string_safe(sub.channel) || !detail::json_string_safe(token))
        return detail::fail(ec, error::invalid_text);
    detail::text_sink sink(out);
    sink.put("{\"method\":\"subscribe\",\"params\":{\"channel\":\"");
    sink.put(sub.channel);
    sink.put("\",\"token\":\"");
    sink.put(token);
    sink.put('"');
    if (sub.channel == "executions") {
        sink.put(sub.snap_orders ? ",\"snap_orders\":true" : ",\"snap_orders\":false");
        sink.put(sub.snap_trades ? ",\"snap_trades\":true" : ",\"snap_trades\":false");
    }
    sink.put('}');
    if (sub.req_id != 0) {
        sink.put(",\"req_id\":");
        detail::put_uint(sink, sub.req_id);
    }
    sink.put('}');
    return detail::finish(sink, ec);
}

}  // namespace tradewire::trade
