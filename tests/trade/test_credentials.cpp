// Credentials: ownership and wiping, redacted printing, loading from the environment,
// and error codes that never carry secret text.
#include "catch.hpp"

#include <tradewire/trade/credentials.hpp>
#include <tradewire/trade/error.hpp>

#include <cstdlib>
#include <new>
#include <sstream>
#include <string>
#include <type_traits>

using tradewire::trade::credentials;
using tradewire::trade::environment_names;
using tradewire::trade::error;
using tradewire::trade::secret_text;

// Replaceable global array allocation functions, so a test can look at a block as it is
// freed (new[] and delete[] are what secret_text's std::unique_ptr<char[]> uses).
namespace {
const void* watched = nullptr;
std::size_t watched_size = 0;
bool watched_freed = false;
bool watched_was_zero = false;

void watch(const void* p, std::size_t n) {
    watched = p;
    watched_size = n;
    watched_freed = false;
    watched_was_zero = false;
}

void inspect(void* p) noexcept {
    if (p == nullptr || p != watched) return;
    watched_freed = true;
    watched_was_zero = true;
    for (std::size_t i = 0; i < watched_size; ++i)
        if (static_cast<const unsigned char*>(p)[i] != 0) watched_was_zero = false;
}
}  // namespace

// Plain and nothrow array forms both allocate with malloc and free with free, so every
// array allocation pairs up (also under ASan); scalar forms are left alone.
void* operator new[](std::size_t n) {
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return std::malloc(n == 0 ? 1 : n); }
void operator delete[](void* p) noexcept {
    inspect(p);
    std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    inspect(p);
    std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    inspect(p);
    std::free(p);
}

namespace {
constexpr std::string_view key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
constexpr std::string_view secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

template <class T>
std::string printed(const T& v) {
    std::ostringstream os;
    os << v;
    return os.str();
}
}  // namespace

static_assert(!std::is_copy_constructible_v<credentials>);
static_assert(!std::is_copy_assignable_v<credentials>);
static_assert(std::is_nothrow_move_constructible_v<credentials>);
static_assert(!std::is_copy_constructible_v<secret_text>);

TEST_CASE("credentials hold key, secret and passphrase") {
    const credentials c(key, secret, "pass phrase");
    CHECK(c.api_key() == key);
    CHECK(c.reveal_secret() == secret);
    CHECK(c.reveal_passphrase() == "pass phrase");
    CHECK(c.has_passphrase());
    CHECK_FALSE(credentials(key, secret).has_passphrase());
    const credentials copy = c.clone();
    CHECK(copy.reveal_secret() == secret);
    CHECK(copy.reveal_secret().data() != c.reveal_secret().data());  // its own block
}

TEST_CASE("credentials print redacted: four stars and the last four characters of the key") {
    const credentials c(key, secret, "okx-passphrase");
    CHECK(c.redacted() == "****Eh8A");
    const std::string out = printed(c);
    CHECK(out == "****Eh8A");
    CHECK(out.find(secret.substr(0, 8)) == std::string::npos);
    // A short key shows nothing of itself.
    CHECK(credentials("abc1234", secret).redacted() == "****");
    CHECK(credentials("abcd1234", secret).redacted() == "****1234");
    CHECK(printed(credentials()) == "****");
    // secret_text prints nothing of itself either.
    const secret_text s(secret);
    CHECK(printed(s) == "****");
}

TEST_CASE("secret_text moves its block and clears the source") {
    secret_text a(secret);
    const char* block = a.reveal().data();
    secret_text b(std::move(a));
    CHECK(b.reveal() == secret);
    CHECK(b.reveal().data() == block);
    CHECK(a.empty());  // NOLINT(bugprone-use-after-move): moved-from state is specified
    a = std::move(b);
    CHECK(a.reveal() == secret);
    CHECK(b.empty());  // NOLINT(bugprone-use-after-move)
    a.clear();
    CHECK(a.empty());
    CHECK(a.reveal().empty());
}

TEST_CASE("secret_text wipes its block before freeing it") {
    // The global operator delete[] of this program (below) looks at the watched block
    // when it is freed: every byte must already be zero.
    for (int how = 0; how < 3; ++how) {
        INFO("release by " << (how == 0 ? "destructor" : how == 1 ? "clear()" : "move assignment"));
        {
            secret_text s(secret);
            watch(s.reveal().data(), s.size());
            if (how == 1) s.clear();
            if (how == 2) s = secret_text("other");
        }
        CHECK(watched_freed);
        CHECK(watched_was_zero);
        watch(nullptr, 0);
    }
    {
        credentials c(key, secret);
        watch(c.reveal_secret().data(), c.reveal_secret().size());
    }
    CHECK(watched_freed);
    CHECK(watched_was_zero);
    watch(nullptr, 0);
}

TEST_CASE("credentials load from environment variables") {
    ::setenv("TW_TEST_KEY", std::string(key).c_str(), 1);
    ::setenv("TW_TEST_SECRET", std::string(secret).c_str(), 1);
    ::setenv("TW_TEST_PASS", "p4ss", 1);
    std::error_code ec;
    const credentials c = credentials::from_env({"TW_TEST_KEY", "TW_TEST_SECRET", "TW_TEST_PASS", true}, ec);
    REQUIRE_FALSE(ec);
    CHECK(c.api_key() == key);
    CHECK(c.reveal_secret() == secret);
    CHECK(c.reveal_passphrase() == "p4ss");

    ::setenv("TWX_API_KEY", "k", 1);
    ::setenv("TWX_API_SECRET", "s", 1);
    ::setenv("TWX_API_PASSPHRASE", "p", 1);
    const credentials p = credentials::from_env_prefix("TWX", ec, true);
    REQUIRE_FALSE(ec);
    CHECK(p.api_key() == "k");
    CHECK(p.reveal_secret() == "s");
    CHECK(p.reveal_passphrase() == "p");
    ::unsetenv("TW_TEST_KEY");
    ::unsetenv("TW_TEST_SECRET");
    ::unsetenv("TW_TEST_PASS");
}

TEST_CASE("credentials from the environment: unset or empty variables are errors without text") {
    ::unsetenv("TW_TEST_UNSET_KEY");
    ::setenv("TW_TEST_K2", "key", 1);
    ::setenv("TW_TEST_EMPTY", "", 1);
    ::setenv("TW_TEST_S2", "topsecretvalue", 1);
    std::error_code ec;
    credentials c = credentials::from_env({"TW_TEST_UNSET_KEY", "TW_TEST_S2"}, ec);
    CHECK(ec == error::missing_environment_variable);
    CHECK(c.empty());
    c = credentials::from_env({"TW_TEST_K2", "TW_TEST_EMPTY"}, ec);
    CHECK(ec == error::missing_credential);
    CHECK(c.empty());
    // Passphrase required but absent.
    c = credentials::from_env({"TW_TEST_K2", "TW_TEST_S2", "TW_TEST_UNSET_KEY", true}, ec);
    CHECK(ec == error::missing_environment_variable);
    CHECK(c.empty());
    // Passphrase optional and absent: fine.
    c = credentials::from_env({"TW_TEST_K2", "TW_TEST_S2", "TW_TEST_UNSET_KEY", false}, ec);
    CHECK_FALSE(ec);
    CHECK_FALSE(c.has_passphrase());
    // Messages name the problem, never a value.
    for (const error e : {error::missing_environment_variable, error::missing_credential}) {
        const std::string m = make_error_code(e).message();
        CHECK(m.find("topsecretvalue") == std::string::npos);
        CHECK_FALSE(m.empty());
    }
    CHECK(std::string(make_error_code(error::missing_credential).category().name()) == "tradewire.trade");
    ::unsetenv("TW_TEST_K2");
    ::unsetenv("TW_TEST_EMPTY");
    ::unsetenv("TW_TEST_S2");
}
