// API credentials: the key, the secret and (OKX) the passphrase, held so that they do not
// leak. Each value lives in one heap block that is overwritten with zeros before it is
// freed; the types are move-only, so a secret is never silently duplicated; nothing
// prints them: operator<< writes a redacted form ("****" and the last four characters
// of the API key, never anything of the secret or passphrase), and error codes carry no
// text. Reading a secret takes an explicit reveal_*() call, easy to audit with grep.
//
// Credentials can be loaded from environment variables, so they never appear on a
// command line. The process environment itself keeps its copy (tradewire does not
// modify the environment); unset the variables after loading if that matters.
//
// Signers (sign_<venue>.hpp) and order templates derive their key material from a
// credentials object once, at construction; the hot path never touches it again.
#pragma once

#include <tradewire/crypto/detail/wipe.hpp>
#include <tradewire/trade/error.hpp>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace tradewire::trade {

// Sensitive text: owned, move-only, wiped on destruction and on reassignment.
class secret_text {
public:
    secret_text() noexcept = default;
    // Copies `text` into a block of its own (the caller's copy is the caller's business).
    explicit secret_text(std::string_view text) : size_(text.size()) {
        if (size_ != 0) {
            data_ = std::make_unique<char[]>(size_);
            std::memcpy(data_.get(), text.data(), size_);
        }
    }
    secret_text(secret_text&& other) noexcept : data_(std::move(other.data_)), size_(std::exchange(other.size_, 0)) {}
    secret_text& operator=(secret_text&& other) noexcept {
        if (this != &other) {
            clear();
            data_ = std::move(other.data_);
            size_ = std::exchange(other.size_, 0);
        }
        return *this;
    }
    secret_text(const secret_text&) = delete;
    secret_text& operator=(const secret_text&) = delete;
    ~secret_text() { clear(); }

    // An explicit copy, for the rare place that must own a second one.
    [[nodiscard]] secret_text clone() const { return secret_text(reveal()); }

    // The text itself. Valid until this object is cleared, reassigned or destroyed.
    [[nodiscard]] std::string_view reveal() const noexcept { return {data_.get(), size_}; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

    // Wipes and frees the text.
    void clear() noexcept {
        if (data_) crypto::detail::secure_wipe(data_.get(), size_);
        data_.reset();
        size_ = 0;
    }

    // Never prints the text.
    template <class CharT, class Traits>
    friend std::basic_ostream<CharT, Traits>& operator<<(std::basic_ostream<CharT, Traits>& os, const secret_text&) {
        return os << "****";
    }

private:
    std::unique_ptr<char[]> data_;
    std::size_t size_ = 0;
};

// Names of the environment variables credentials::from_env reads.
struct environment_names {
    std::string_view api_key;
    std::string_view secret;
    std::string_view passphrase = {};  // empty: no passphrase is read
    bool passphrase_required = false;  // OKX needs one
};

class credentials {
public:
    // How many characters of the API key the redacted form shows, after "****".
    static constexpr std::size_t redacted_key_chars = 4;
    // Keys shorter than this show no character at all.
    static constexpr std::size_t min_key_size_to_show = 2 * redacted_key_chars;

    credentials() noexcept = default;
    credentials(std::string_view api_key, std::string_view secret, std::string_view passphrase = {})
        : api_key_(api_key), secret_(secret), passphrase_(passphrase) {}

    credentials(credentials&&) noexcept = default;
    credentials& operator=(credentials&&) noexcept = default;
    credentials(const credentials&) = delete;
    credentials& operator=(const credentials&) = delete;
    ~credentials() = default;  // each member wipes itself

    [[nodiscard]] credentials clone() const { return credentials(api_key(), reveal_secret(), reveal_passphrase()); }

    // Reads the variables named in `names`. A variable that is unset fails with
    // missing_environment_variable, an empty one with missing_credential; on failure the
    // result is empty and nothing of any value read is kept.
    static credentials from_env(const environment_names& names, std::error_code& ec) {
        credentials c;
        std::string_view key, secret, passphrase;
        if (!read_env(names.api_key, key, ec) || !read_env(names.secret, secret, ec)) return c;
        if (!names.passphrase.empty()) {
            const char* p = lookup(names.passphrase);
            if (p == nullptr && names.passphrase_required) {
                ec = error::missing_environment_variable;
                return c;
            }
            if (p != nullptr) passphrase = p;
            if (passphrase.empty() && names.passphrase_required) {
                ec = error::missing_credential;
                return c;
            }
        }
        c = credentials(key, secret, passphrase);
        ec.clear();
        return c;
    }

    // <PREFIX>_API_KEY, <PREFIX>_API_SECRET and, if `with_passphrase`,
    // <PREFIX>_API_PASSPHRASE (required then), e.g. prefix "OKX".
    static credentials from_env_prefix(std::string_view prefix, std::error_code& ec, bool with_passphrase = false) {
        const std::string key = std::string(prefix) + "_API_KEY";
        const std::string secret = std::string(prefix) + "_API_SECRET";
        const std::string pass = with_passphrase ? std::string(prefix) + "_API_PASSPHRASE" : std::string();
        return from_env({key, secret, pass, with_passphrase}, ec);
    }

    // The API key is sent on the wire (headers, signed payloads), so it is readable.
    [[nodiscard]] std::string_view api_key() const noexcept { return api_key_.reveal(); }
    [[nodiscard]] std::string_view reveal_secret() const noexcept { return secret_.reveal(); }
    [[nodiscard]] std::string_view reveal_passphrase() const noexcept { return passphrase_.reveal(); }
    [[nodiscard]] bool has_passphrase() const noexcept { return !passphrase_.empty(); }
    [[nodiscard]] bool empty() const noexcept { return api_key_.empty() && secret_.empty(); }

    // "****" followed by the last four characters of the API key (just "****" for a key
    // shorter than eight characters): enough to tell keys apart in a log.
    [[nodiscard]] std::string redacted() const {
        std::string s = "****";
        const std::string_view k = api_key();
        if (k.size() >= min_key_size_to_show) s.append(k.substr(k.size() - redacted_key_chars));
        return s;
    }

    template <class CharT, class Traits>
    friend std::basic_ostream<CharT, Traits>& operator<<(std::basic_ostream<CharT, Traits>& os, const credentials& c) {
        return os << c.redacted().c_str();
    }

private:
    static const char* lookup(std::string_view name) {
        const std::string n(name);  // getenv needs a terminated name
        return std::getenv(n.c_str());
    }
    static bool read_env(std::string_view name, std::string_view& out, std::error_code& ec) {
        const char* v = lookup(name);
        if (v == nullptr) {
            ec = error::missing_environment_variable;
            return false;
        }
        out = v;
        if (out.empty()) {
            ec = error::missing_credential;
            return false;
        }
        return true;
    }

    secret_text api_key_;
    secret_text secret_;
    secret_text passphrase_;
};

}  // namespace tradewire::trade
