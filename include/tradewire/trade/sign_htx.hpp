// HTX (Huobi) signing (REFERENCE.md 7.6-7.7): base64 HMAC-SHA256 over
//
//     METHOD "\n" host "\n" path "\n" canonical_query
//
// where canonical_query is the parameters sorted by name (byte order) and joined as
// name=value&..., each name and value percent-encoded as UTF-8 (everything except
// A-Z a-z 0-9 - . _ ~, upper-case hex: the timestamp's ':' becomes %3A). The host is
// lower-cased and the method upper-cased.
//
//  - WebSocket v2 auth (/ws/v2): parameters accessKey, signatureMethod=HmacSHA256,
//    signatureVersion=2.1, timestamp ("YYYY-MM-DDThh:mm:ss" UTC, no fraction, no Z);
//    authType is sent but not signed, and the JSON carries the values unencoded.
//  - REST (signature v2): AccessKeyId, SignatureMethod=HmacSHA256, SignatureVersion=2,
//    Timestamp, plus the request's own query parameters.
//
// HTX has no WebSocket order entry (REFERENCE.md 7.6), so there is no order template.
#pragma once

#include <tradewire/crypto/hmac.hpp>
#include <tradewire/trade/credentials.hpp>
#include <tradewire/trade/detail/text.hpp>
#include <tradewire/trade/error.hpp>
#include <tradewire/trade/query_param.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <system_error>

namespace tradewire::trade {

class htx_signer {
public:
    static constexpr std::size_t signature_size = 44;      // base64 of 32 bytes
    static constexpr std::size_t utc_timestamp_size = 19;  // 2019-09-01T18:16:16

    explicit htx_signer(const credentials& c) : api_key_(c.api_key()), mac_(c.reveal_secret()) {}

    [[nodiscard]] std::string_view api_key() const noexcept { return api_key_.reveal(); }

    // Base64 HMAC-SHA256 of an already-built string: 44 characters at `out`.
    std::size_t sign(std::string_view payload, char* out) const noexcept { return mac_.sign_base64(payload, out); }

    // Sorted, percent-encoded name=value&... (the fourth line of the string to sign).
    static std::size_t canonical_query(std::span<const query_param> params, std::span<char> out,
                                       std::error_code& ec) noexcept {
        std::array<const query_param*, detail::max_sorted_params> order;
        if (!detail::sort_params(params, order)) return detail::fail(ec, error::too_many_parameters);
        detail::text_sink sink(out);
        put_canonical(sink, params.size(), order);
        return detail::finish(sink, ec);
    }

    // The whole string to sign.
    static std::size_t payload(std::string_view method, std::string_view host, std::string_view path,
                               std::span<const query_param> params, std::span<char> out, std::error_code& ec) noexcept {
        std::array<const query_param*, detail::max_sorted_params> order;
        if (!detail::sort_params(params, order)) return detail::fail(ec, error::too_many_parameters);
        detail::text_sink sink(out);
        detail::put_upper_ascii(sink, method);
        sink.put('\n');
        detail::put_lower_ascii(sink, host);
        sink.put('\n');
        sink.put(path);
        sink.put('\n');
        put_canonical(sink, params.size(), order);
        return detail::finish(sink, ec);
    }

    // payload() into `scratch`, then the signature at `out`.
    std::size_t sign_request(std::string_view method, std::string_view host, std::string_view path,
                             std::span<const query_param> params, std::span<char> scratch, char* out,
                             std::error_code& ec) const noexcept {
        const std::size_t n = payload(method, host, path, params, scratch, ec);
        if (ec) return 0;
        return sign(std::string_view(scratch.data(), n), out);
    }

    // REST signature v2: the request's own parameters plus AccessKeyId,
    // SignatureMethod=HmacSHA256, SignatureVersion=2 and Timestamp (as given: normally
    // utc_timestamp()). Send the same parameters and Signature=<percent-encoded result>.
    std::size_t sign_rest(std::string_view method, std::string_view host, std::string_view path,
                          std::span<const query_param> request_params, std::string_view timestamp,
                          std::span<char> scratch, char* out, std::error_code& ec) const noexcept {
        std::array<query_param, detail::max_sorted_params> all;
        if (request_params.size() + 4 > all.size()) return detail::fail(ec, error::too_many_parameters);
        std::size_t n = 0;
        for (const query_param& p : request_params) all[n++] = p;
        all[n++] = {"AccessKeyId", api_key()};
        all[n++] = {"SignatureMethod", "HmacSHA256"};
        all[n++] = {"SignatureVersion", "2"};
        all[n++] = {"Timestamp", timestamp};
        return sign_request(method, host, path, std::span<const query_param>(all.data(), n), scratch, out, ec);
    }

    // Unix milliseconds as "YYYY-MM-DDThh:mm:ss" UTC (19 characters); 0 past year 9999.
    static std::size_t utc_timestamp(std::uint64_t unix_ms, char* out) noexcept {
        return detail::write_iso_seconds(out, detail::utc_from_unix_ms(unix_ms));
    }

    // The WebSocket v2 auth request for `host` (e.g. "api.huobi.pro") at `unix_ms`:
    // {"action":"req","ch":"auth","params":{"authType":"api","accessKey":"..",
    //  "signatureMethod":"HmacSHA256","signatureVersion":"2.1","timestamp":"..",
    //  "signature":".."}}
    std::size_t ws_auth_message(std::uint64_t unix_ms, std::string_view host, std::span<char> out,
                                std::error_code& ec) const noexcept {
        if (api_key().empty()) return detail::fail(ec, error::missing_credential);
        if (!detail::json_string_safe(api_key())) return detail::fail(ec, error::invalid_text);
        char ts[utc_timestamp_size];
        if (utc_timestamp(unix_ms, ts) == 0) return detail::fail(ec, error::invalid_text);
        const std::string_view timestamp(ts, sizeof ts);
        const query_param params[] = {{"accessKey", api_key()},
                                      {"signatureMethod", "HmacSHA256"},
                                      {"signatureVersion", "2.1"},
                                      {"timestamp", timestamp}};
        std::array<char, 512> scratch;
        char sig[signature_size];
        if (sign_request("GET", host, "/ws/v2", params, scratch, sig, ec) == 0) return 0;
        detail::text_sink sink(out);
        sink.put("{\"action\":\"req\",\"ch\":\"auth\",\"params\":{\"authType\":\"api\",\"accessKey\":\"");
        sink.put(api_key());
        sink.put("\",\"signatureMethod\":\"HmacSHA256\",\"signatureVersion\":\"2.1\",\"timestamp\":\"");
        sink.put(timestamp);
        sink.put("\",\"signature\":\"");
        sink.put(std::string_view(sig, sizeof sig));
        sink.put("\"}}");
        return detail::finish(sink, ec);
    }

private:
    static void put_canonical(detail::text_sink& sink, std::size_t count,
                              const std::array<const query_param*, detail::max_sorted_params>& order) noexcept {
        for (std::size_t i = 0; i < count; ++i) {
            if (i != 0) sink.put('&');
            detail::percent_encode_component(sink, order[i]->name);
            sink.put('=');
            detail::percent_encode_component(sink, order[i]->value);
        }
    }

    secret_text api_key_;
    crypto::hmac_sha256_signer mac_;
};

}  // namespace tradewire::trade
