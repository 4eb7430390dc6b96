// `tradewire-cli sign`: signs an already-built string the way a venue (or plain HMAC)
// does, and prints the signature and a newline.
//
//   tradewire-cli sign <scheme> (--secret S | --secret-env NAME) [--] PAYLOAD
//   tradewire-cli sign kraken (--secret B64 | --secret-env NAME) --path P --nonce N --body B
//
// binance signs with HMAC-SHA256 (hex) unless the secret is a PKCS#8 PEM private key,
// then with Ed25519 (base64), Binance's other key type.
//
// PAYLOAD "-" (or --body -) reads standard input byte for byte. The secret never appears
// in any output or message: messages name options and problems, and any piece of user
// text a message would echo is dropped if it contains the secret. Bad arguments exit 2
// with a message on stderr and nothing on stdout.
#include <tradewire/crypto/hmac.hpp>
#include <tradewire/trade/credentials.hpp>
#include <tradewire/trade/sign_binance.hpp>
#include <tradewire/trade/sign_bybit.hpp>
#include <tradewire/trade/sign_gate.hpp>
#include <tradewire/trade/sign_htx.hpp>
#include <tradewire/trade/sign_kraken.hpp>
#include <tradewire/trade/sign_mexc.hpp>
#include <tradewire/trade/sign_okx.hpp>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"

namespace tradewire::cli {
namespace {

constexpr std::string_view scheme_list =
    "hmac-sha256-hex, hmac-sha256-base64, hmac-sha512-hex, hmac-sha512-base64, binance, bybit, mexc, okx, gate, "
    "htx, kraken";

enum class scheme {
    hmac_sha256_hex,
    hmac_sha256_base64,
    hmac_sha512_hex,
    hmac_sha512_base64,
    binance,
    bybit,
    mexc,
    okx,
    gate,
    htx,
    kraken,
};

std::optional<scheme> parse_scheme(std::string_view name) {
    struct entry {
        std::string_view name;
        scheme value;
    };
    static constexpr entry table[] = {
        {"hmac-sha256-hex", scheme::hmac_sha256_hex},
        {"hmac-sha256-base64", scheme::hmac_sha256_base64},
        {"hmac-sha512-hex", scheme::hmac_sha512_hex},
        {"hmac-sha512-base64", scheme::hmac_sha512_base64},
        {"binance", scheme::binance},
        {"bybit", scheme::bybit},
        {"mexc", scheme::mexc},
        {"okx", scheme::okx},
        {"gate", scheme::gate},
        {"htx", scheme::htx},
        {"kraken", scheme::kraken},
    };
    for (const entry& e : table)
        if (e.name == name) return e.value;
    return std::nullopt;
}

// Overwrites a std::string's characters before it goes away (the CLI framework hands
// option values over as std::string).
void wipe(std::string& s) {
    if (!s.empty()) crypto::detail::secure_wipe(s.data(), s.size());
    s.clear();
}

// User text for a message, unless it contains the secret.
std::string echo(std::string_view text, std::string_view secret) {
    if (!secret.empty() && text.find(secret) != std::string_view::npos) return "(redacted)";
    return std::string(text);
}

// The message with every occurrence of the secret replaced by "****".
std::string redact(std::string message, std::string_view secret) {
    if (secret.empty()) return message;
    for (std::size_t at = message.find(secret); at != std::string::npos; at = message.find(secret, at + 4))
        message.replace(at, secret.size(), "****");
    return message;
}

std::string read_stdin() {
    std::string data;
    char buf[65536];
    for (;;) {
        const std::size_t n = std::fread(buf, 1, sizeof buf, stdin);
        data.append(buf, n);
        if (n < sizeof buf) break;
    }
    if (std::ferror(stdin)) throw std::runtime_error("cannot read standard input");
    return data;
}

// --secret / --secret-env as given, before validation (so that a bad scheme is reported
// first); the direct value is moved into a wiped-on-exit secret at once.
struct secret_options {
    bool direct = false;
    std::optional<std::string> env;
};

secret_options take_secret_options(arguments& args, trade::secret_text& secret) {
    secret_options o;
    if (std::optional<std::string> direct = args.take_option("--secret")) {
        o.direct = true;
        secret = trade::secret_text(*direct);
        wipe(*direct);
    }
    o.env = args.take_option("--secret-env");
    if (std::optional<std::string> again = args.take_option("--secret")) {
        wipe(*again);
        throw usage_error{"--secret given more than once"};
    }
    if (args.take_option("--secret-env")) throw usage_error{"--secret-env given more than once"};
    return o;
}

// Exactly one of --secret and --secret-env, naming a non-empty secret.
void resolve_secret(const secret_options& o, trade::secret_text& secret) {
    if (o.direct && o.env) throw usage_error{"give either --secret or --secret-env, not both"};
    if (!o.direct && !o.env) throw usage_error{"missing secret: give --secret S or --secret-env NAME"};
    if (o.env) {
        if (o.env->empty()) throw usage_error{"--secret-env needs a variable name"};
        const char* value = std::getenv(o.env->c_str());
        if (value == nullptr) throw usage_error{"environment variable " + *o.env + " is not set"};
        secret = trade::secret_text(value);
        if (secret.empty()) throw usage_error{"environment variable " + *o.env + " is empty"};
    } else if (secret.empty()) {
        throw usage_error{"--secret is empty"};
    }
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (const char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

std::string sign_with(scheme s, const trade::secret_text& secret, std::string_view payload) {
    using namespace tradewire::trade;
    const credentials creds({}, secret.reveal());
    std::string out(crypto::hmac_sha512_signer::base64_size + crypto::hmac_sha512_signer::hex_size, '\0');
    std::size_t n = 0;
    switch (s) {
        case scheme::hmac_sha256_hex: n = crypto::hmac_sha256_signer(secret.reveal()).sign_hex(payload, out.data()); break;
        case scheme::hmac_sha256_base64:
            n = crypto::hmac_sha256_signer(secret.reveal()).sign_base64(payload, out.data());
            break;
        case scheme::hmac_sha512_hex: n = crypto::hmac_sha512_signer(secret.reveal()).sign_hex(payload, out.data()); break;
        case scheme::hmac_sha512_base64:
            n = crypto::hmac_sha512_signer(secret.reveal()).sign_base64(payload, out.data());
            break;
        case scheme::binance: {
            // HMAC-SHA256 hex, or Ed25519 base64 when the secret is a PEM private key.
            std::error_code ec;
            binance_signer signer(creds, ec);
            if (ec) throw usage_error{"the binance secret is PEM text but not a usable Ed25519 private key (" + ec.message() + ")"};
            n = signer.sign(payload, out.data());
            if (n == 0) throw std::runtime_error("Ed25519 signing failed");
            break;
        }
        case scheme::bybit: n = bybit_signer(creds).sign(payload, out.data()); break;
        case scheme::mexc: n = mexc_signer(creds).sign(payload, out.data()); break;
        case scheme::okx: n = okx_signer(creds).sign(payload, out.data()); break;
        case scheme::gate: n = gate_signer(creds).sign(payload, out.data()); break;
        case scheme::htx: n = htx_signer(creds).sign(payload, out.data()); break;
        case scheme::kraken: break;  // handled by the caller (different inputs)
    }
    out.resize(n);
    return out;
}

void print_line(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

constexpr std::string_view usage_text =
    "usage: tradewire-cli sign <scheme> (--secret S | --secret-env NAME) [--] PAYLOAD\n"
    "       tradewire-cli sign kraken (--secret B64 | --secret-env NAME) --path P --nonce N --body B\n"
    "\n"
    "schemes: hmac-sha256-hex, hmac-sha256-base64, hmac-sha512-hex, hmac-sha512-base64,\n"
    "         binance, bybit, mexc (HMAC-SHA256 hex; binance: Ed25519 base64 if the secret is a PEM key),\n"
    "         okx, htx (HMAC-SHA256 base64), gate (HMAC-SHA512 hex), kraken (API-Sign)\n"
    "PAYLOAD - (or --body -) reads standard input byte for byte. Prints the signature and a newline.\n";

int run(arguments& args, trade::secret_text& secret) {
    if (args.take_flag("--help") || args.take_flag("-h")) {
        std::fwrite(usage_text.data(), 1, usage_text.size(), stdout);
        return exit_ok;
    }
    const secret_options secret_opts = take_secret_options(args, secret);
    std::optional<std::string> path = args.take_option("--path");
    std::optional<std::string> nonce = args.take_option("--nonce");
    std::optional<std::string> body = args.take_option("--body");

    std::vector<std::string> positionals;
    try {
        positionals = args.take_positionals();
    } catch (const usage_error& e) {
        // "unknown option --name[=value]": keep the name only, never a value.
        std::string_view m = e.message;
        const std::string_view prefix = "unknown option ";
        if (m.substr(0, prefix.size()) == prefix) {
            std::string_view name = m.substr(prefix.size());
            name = name.substr(0, name.find('='));
            throw usage_error{"unknown option " + echo(name, secret.reveal())};
        }
        throw usage_error{"invalid arguments"};
    }
    if (positionals.empty()) throw usage_error{"missing scheme (one of: " + std::string(scheme_list) + ")"};
    const std::optional<scheme> s = parse_scheme(positionals.front());
    if (!s) {
        throw usage_error{"unknown scheme '" + echo(positionals.front(), secret.reveal()) + "' (one of: " +
                          std::string(scheme_list) + ")"};
    }
    resolve_secret(secret_opts, secret);

    if (*s == scheme::kraken) {
        if (positionals.size() > 1) throw usage_error{"kraken takes no positional payload (use --body)"};
        if (!path) throw usage_error{"kraken needs --path (e.g. /0/private/AddOrder)"};
        if (!nonce) throw usage_error{"kraken needs --nonce"};
        if (!body) throw usage_error{"kraken needs --body"};
        if (!all_digits(*nonce)) throw usage_error{"--nonce must be a decimal integer"};
        std::error_code ec;
        const trade::kraken_signer signer(trade::credentials({}, secret.reveal()), ec);
        if (ec) throw usage_error{"the kraken secret must be the base64 private key (" + ec.message() + ")"};
        const std::string post = *body == "-" ? read_stdin() : *body;
        std::string out(trade::kraken_signer::signature_size, '\0');
        out.resize(signer.api_sign(*path, *nonce, post, out.data()));
        print_line(out);
        return exit_ok;
    }

    if (path || nonce || body) throw usage_error{"--path, --nonce and --body are for the kraken scheme only"};
    if (positionals.size() < 2) throw usage_error{"missing payload (give the string to sign, or - for standard input)"};
    if (positionals.size() > 2) throw usage_error{"too many arguments: one payload expected (use -- before a payload starting with '-')"};
    const std::string payload = positionals[1] == "-" ? read_stdin() : positionals[1];
    print_line(sign_with(*s, secret, payload));
    return exit_ok;
}

}  // namespace

int run_sign(arguments& args) {
    trade::secret_text secret;
    try {
        return run(args, secret);
    } catch (const usage_error& e) {
        // Last line of defence: no message leaves with the secret in it.
        throw usage_error{redact(e.message, secret.reveal())};
    }
}

}  // namespace tradewire::cli
