// MEXC spot v3 REST signing (REFERENCE.md 8.6-8.7): signature = lower-case hex
// HMAC-SHA256 of totalParams, the query string followed by the request body with no '&'
// between them; the API key goes in the X-MEXC-APIKEY header. MEXC has no spot
// WebSocket order entry (its user data stream is opened with a signed REST call), so
// there is no order template. Vector M2 [V]; the docs' M1 value is a documented error.
#pragma once

#include <tradewire/crypto/hmac.hpp>
#include <tradewire/trade/credentials.hpp>
#include <tradewire/trade/detail/text.hpp>
#include <tradewire/trade/error.hpp>

#include <cstddef>
#include <span>
#include <string_view>
#include <system_error>

namespace tradewire::trade {

class mexc_signer {
public:
    static constexpr std::size_t signature_size = 64;

    explicit mexc_signer(const credentials& c) : api_key_(c.api_key()), mac_(c.reveal_secret()) {}

    [[nodiscard]] std::string_view api_key() const noexcept { return api_key_.reveal(); }

    // Lower-case hex HMAC-SHA256 of an already-built totalParams: 64 characters at `out`.
    std::size_t sign(std::string_view total_params, char* out) const noexcept { return mac_.sign_hex(total_params, out); }

    // totalParams = query_string + body.
    static std::size_t total_params(std::string_view query_string, std::string_view body, std::span<char> out,
                                    std::error_code& ec) noexcept {
        detail::text_sink sink(out);
        sink.put(query_string);
        sink.put(body);
        return detail::finish(sink, ec);
    }

    // total_params() into `scratch`, then the signature at `out`.
    std::size_t sign_request(std::string_view query_string, std::string_view body, std::span<char> scratch, char* out,
                             std::error_code& ec) const noexcept {
        const std::size_t n = total_params(query_string, body, scratch, ec);
        if (ec) return 0;
        return sign(std::string_view(scratch.data(), n), out);
    }

private:
    secret_text api_key_;
    crypto::hmac_sha256_signer mac_;
};

}  // namespace tradewire::trade
