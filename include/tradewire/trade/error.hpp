// Error codes of the trade layer: loading credentials, building signed strings and
// request templates, and firing orders. No message ever contains key or secret bytes,
// or any caller-supplied text, so an error can be logged as is.
#pragma once

#include <tradewire/core/error.hpp>

#include <system_error>
#include <type_traits>

namespace tradewire::trade {

enum class error {
    // 0 is never used (it means success in std::error_code).
    missing_environment_variable = 1,  // the named variable is not set
    missing_credential,                // an API key, secret or passphrase the operation needs is empty
    invalid_secret_encoding,           // a secret that must be base64 (Kraken) is not
    buffer_too_small,                  // the output does not fit the caller's buffer
    too_many_parameters,               // more parameters than a signer sorts without allocating
    invalid_text,                      // text that cannot go into the request unescaped
    invalid_client_order_id,           // empty, too long or a character the venue rejects
    invalid_price,                     // zero, negative, or not representable in the template
    invalid_quantity,                  // zero, negative, or not representable in the template
    inexact_price,                     // more decimals than the symbol's price precision
    inexact_quantity,                  // more decimals than the symbol's quantity precision
    unsupported_order,                 // the venue has no such order type / time in force
    template_too_large,                // the rendered template exceeds its fixed capacity
    missing_timestamp,                 // the venue needs a timestamp and none was given
    empty_template,                    // fired an order_template that was never built
};

namespace detail {

struct error_traits {
    static constexpr const char* name = "tradewire.trade";
    static const char* message(error e) noexcept {
        switch (e) {
            case error::missing_environment_variable: return "environment variable not set";
            case error::missing_credential: return "credential missing or empty";
            case error::invalid_secret_encoding: return "secret is not valid base64";
            case error::buffer_too_small: return "output buffer too small";
            case error::too_many_parameters: return "too many request parameters";
            case error::invalid_text: return "text contains characters not allowed in the request";
            case error::invalid_client_order_id: return "invalid client order id for this venue";
            case error::invalid_price: return "invalid price";
            case error::invalid_quantity: return "invalid quantity";
            case error::inexact_price: return "price has more decimals than the symbol allows";
            case error::inexact_quantity: return "quantity has more decimals than the symbol allows";
            case error::unsupported_order: return "order type or time in force not supported by the venue";
            case error::template_too_large: return "order template exceeds its capacity";
            case error::missing_timestamp: return "timestamp required by the venue is missing";
            case error::empty_template: return "order template was not built";
        }
        return "unknown trade error";
    }
};

}  // namespace detail

inline const std::error_category& trade_category() noexcept {
    return tradewire::detail::enum_category<error, detail::error_traits>();
}

inline std::error_code make_error_code(error e) noexcept { return {static_cast<int>(e), trade_category()}; }

}  // namespace tradewire::trade

template <>
struct std::is_error_code_enum<tradewire::trade::error> : std::true_type {};
