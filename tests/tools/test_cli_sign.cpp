// `tradewire-cli sign`: every scheme against known answers (RFC 4231 and the venue
// vectors of exchanges/REFERENCE.md), payload handling (`--`, standard input byte for
// byte, secrets from the environment) and every bad-argument case: exit status 2, a
// message on stderr, nothing on stdout, and the secret in neither stream.
#include "catch.hpp"

#include "cli_runner.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using tradewire::test::cli_result;
using tradewire::test::run_cli;

namespace {

// RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
constexpr const char* jefe_data = "what do ya want for nothing?";
constexpr const char* tc2_sha256_hex = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
constexpr const char* tc2_sha512_hex =
    "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b6"
    "36e070a38bce737";
// The same MACs in base64 (python3: base64.b64encode(hmac.new(b"Jefe", data, h).digest())).
constexpr const char* tc2_sha256_b64 = "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=";
constexpr const char* tc2_sha512_b64 =
    "Fkt6e/z4GeLjlfvnO1bgo4e9ZCIugx/WECcM1+olBVSXWL91wFqZSm0DT2X48Ob9yuqxo01Ka0tjbgcKOLznNw==";

constexpr const char* binance_secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
constexpr const char* b1_payload =
    "apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&price=52000.00&quantity=0.01000000"
    "&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT";
constexpr const char* b1_sig = "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24";
constexpr const char* kraken_secret =
    "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
constexpr const char* k1_body = "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25";
constexpr const char* k1_sig =
    "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==";

void require_ok(const cli_result& r, const std::string& expected) {
    INFO("stderr: " << r.err);
    CHECK(r.status == 0);
    CHECK(r.out == expected + "\n");
    CHECK(r.err.empty());
}

// Exit 2, a message, empty stdout, and `secret` in neither stream.
void require_usage(const cli_result& r, const std::string& secret, const std::string& message_part) {
    INFO("stdout: " << r.out);
    INFO("stderr: " << r.err);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK_FALSE(r.err.empty());
    CHECK(r.err.find(message_part) != std::string::npos);
    if (!secret.empty()) {
        CHECK(r.err.find(secret) == std::string::npos);
        CHECK(r.out.find(secret) == std::string::npos);
    }
}

}  // namespace

TEST_CASE("sign: plain HMAC schemes match RFC 4231 test case 2") {
    require_ok(run_cli({"sign", "hmac-sha256-hex", "--secret", "Jefe", jefe_data}), tc2_sha256_hex);
    require_ok(run_cli({"sign", "hmac-sha512-hex", "--secret", "Jefe", jefe_data}), tc2_sha512_hex);
    require_ok(run_cli({"sign", "hmac-sha256-base64", "--secret", "Jefe", jefe_data}), tc2_sha256_b64);
    require_ok(run_cli({"sign", "hmac-sha512-base64", "--secret", "Jefe", jefe_data}), tc2_sha512_b64);
    // Options may follow the payload, and --secret=VALUE works too.
    require_ok(run_cli({"sign", "hmac-sha256-hex", jefe_data, "--secret=Jefe"}), tc2_sha256_hex);
}

TEST_CASE("sign: RFC 4231 test cases 1, 4 and 6 (binary keys and data as argument bytes)") {
    const std::string k1(20, '\x0b');
    require_ok(run_cli({"sign", "hmac-sha256-hex", "--secret", k1, "Hi There"}),
               "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    require_ok(run_cli({"sign", "hmac-sha512-hex", "--secret", k1, "Hi There"}),
               "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb6"
               "1f1702e696c203a126854");
    std::string k4;
    for (char c = 1; c <= 25; ++c) k4.push_back(c);
    require_ok(run_cli({"sign", "hmac-sha256-hex", "--secret", k4, std::string(50, '\xcd')}),
               "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
    // Case 6: a 131-byte key, longer than the block, is hashed first.
    const std::string k6(131, '\xaa');
    require_ok(run_cli({"sign", "hmac-sha256-hex", "--secret", k6, "Test Using Larger Than Block-Size Key - Hash Key First"}),
               "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    require_ok(run_cli({"sign", "hmac-sha512-hex", "--secret", k6, "Test Using Larger Than Block-Size Key - Hash Key First"}),
               "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0"
               "aec8b915a985d786598");
}

TEST_CASE("sign: a key longer than the hash block is hashed first (RFC 2104)") {
    // RFC 4231 case 6 uses a binary key that a text argument cannot carry; this text key
    // of 200 bytes is checked against python3: hmac.new(b"k"*200, b"payload", sha256).hexdigest().
    const std::string long_key(200, 'k');
    require_ok(run_cli({"sign", "hmac-sha256-hex", "--secret", long_key, "payload"}),
               "47af92e2adea0eda28255db67e345469ce131f9ee25526055fbfbb4c64ae4bd8");
}

TEST_CASE("sign: venue schemes reproduce the reference vectors") {
    require_ok(run_cli({"sign", "binance", "--secret", binance_secret, b1_payload}), b1_sig);
    require_ok(run_cli({"sign", "binance", "--secret", binance_secret,
                        "apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&timestamp=1649729878532"}),
               "1cf54395b336b0a9727ef27d5d98987962bc47aca6e13fe978612d0adee066ed");
    require_ok(run_cli({"sign", "mexc", "--secret", "45d0b3c26f2644f19bfb98b07741b2f5",
                        "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp=1644489390087"}),
               "fd3e4e8543c5188531eb7279d68ae7d26a573d0fc5ab0d18eb692451654d837a");
    // Self-made vectors pinned with python3 (the docs' secrets are not published).
    require_ok(run_cli({"sign", "bybit", "--secret", "secret", "GET/realtime1711010121452"}),
               "1ffcd649a19cb2c699953b6a7d660f2e3cae8c1223698be885259dc8e78c59a8");
    require_ok(run_cli({"sign", "okx", "--secret", "22582BD0CFF14C41EDBF1AB98506286D", "1538054050GET/users/self/verify"}),
               "+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M=");
    require_ok(run_cli({"sign", "gate", "--secret", "YOUR_API_SECRET", "api\nspot.login\n\n1677813908"}),
               "641cdaae96de77017a60fa36a171f847497f9d0b59dc69d3db6cb40cdd9f1aba33d5682b98704da437d7b156183347e441f62ffa73"
               "54755c25c83f6cdbaacfbc");
    require_ok(run_cli({"sign", "htx", "--secret", "456",
                        "GET\nhost\n/url\nAccessKeyId=123&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=123"}),
               "Hhiaq8xYQPiBZOyWV37MdQutLo4f0ZOHiJtG3p+nILc=");
    require_ok(run_cli({"sign", "kraken", "--secret", kraken_secret, "--path", "/0/private/AddOrder", "--nonce",
                        "1616492376594", "--body", k1_body}),
               k1_sig);
}

TEST_CASE("sign: --help prints usage on stdout") {
    const cli_result r = run_cli({"sign", "--help"});
    CHECK(r.status == 0);
    CHECK(r.out.find("usage: tradewire-cli sign") == 0);
    CHECK(run_cli({"--help"}).out.find("sign") != std::string::npos);
}

TEST_CASE("sign: -- lets a payload start with a dash") {
    // python3: hmac.new(b"Jefe", b"-payload", sha256).hexdigest() and the same for b"--secret".
    require_ok(run_cli({"sign", "hmac-sha256-hex", "--secret", "Jefe", "--", "-payload"}),
               "2c26beb42b527bca7e02511fd52505273d83985c867e3bf63917e31217fb130d");
    require_ok(run_cli({"sign", "hmac-sha256-hex", "--secret", "Jefe", "--", "--secret"}),
               "40d5be685dc26a2cbab61563df61d81c8d025e2e61601056aac3371553467fa6");
}

TEST_CASE("sign: payload - reads standard input byte for byte") {
    require_ok(run_cli({"sign", "hmac-sha256-hex", "--secret", "Jefe", "-"}, jefe_data), tc2_sha256_hex);
    // A trailing newline is part of the payload: not stripped, not added.
    // python3: hmac.new(b"Jefe", b"what do ya want for nothing?\n", sha256).hexdigest()
    require_ok(run_cli({"sign", "hmac-sha256-hex", "--secret", "Jefe", "-"}, std::string(jefe_data) + "\n"),
               "8cc1a9739eea9fe97321dba825363677fed3f8cbc330fa892ad5466a7fd5438e");
    require_ok(run_cli({"sign", "binance", "--secret", binance_secret, "--", "-"}, b1_payload), b1_sig);
    // Empty standard input signs the empty string: python3 hmac.new(b"Jefe", b"", sha256).hexdigest()
    require_ok(run_cli({"sign", "hmac-sha256-hex", "--secret", "Jefe", "-"}, ""),
               "923598ca6d64af2a5dba79dcd021a8a0fe5c5f557519adaaf0ad532d4506dd30");
    // Kraken's body from standard input.
    require_ok(run_cli({"sign", "kraken", "--secret", kraken_secret, "--path", "/0/private/AddOrder", "--nonce",
                        "1616492376594", "--body", "-"},
                       k1_body),
               k1_sig);
}

TEST_CASE("sign: the secret may come from the environment") {
    require_ok(run_cli({"sign", "binance", "--secret-env", "TW_SIGN_SECRET", b1_payload}, "",
                       {std::string("TW_SIGN_SECRET=") + binance_secret}),
               b1_sig);
    require_ok(run_cli({"sign", "kraken", "--secret-env", "TW_KRAKEN", "--path", "/0/private/AddOrder", "--nonce",
                        "1616492376594", "--body", k1_body},
                       "", {std::string("TW_KRAKEN=") + kraken_secret}),
               k1_sig);
}

TEST_CASE("sign: binance with an Ed25519 PEM secret signs like openssl pkeyutl") {
    std::ifstream in(std::string(TRADEWIRE_TEST_DATA_DIR) + "/crypto/ed25519_throwaway_test_key.pem", std::ios::binary);
    std::ostringstream pem;
    pem << in.rdbuf();
    REQUIRE_FALSE(pem.str().empty());
    // printf '%s' "$B1" | openssl pkeyutl -sign -rawin -inkey ed25519_throwaway_test_key.pem | base64 -w0
    require_ok(run_cli({"sign", "binance", "--secret-env", "TW_ED_KEY", b1_payload}, "", {"TW_ED_KEY=" + pem.str()}),
               "fV8piwKhfE961qhBZNWZGdGIOi19YDKHBx1qh4TL/M1ttu7uIEhD9PylSa763nc1FLX5wPNO5ptiqMasoYVbCQ==");
    const std::string broken = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIBroken\n-----END PRIVATE KEY-----\n";
    const cli_result r = run_cli({"sign", "binance", "--secret-env", "TW_ED_KEY", b1_payload}, "", {"TW_ED_KEY=" + broken});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("Ed25519") != std::string::npos);
    CHECK(r.err.find("MC4CAQAwBQYDK2VwBCIEIBroken") == std::string::npos);
}

TEST_CASE("sign: bad arguments exit 2 with a message and never show the secret") {
    const std::string s = "S3cr3tValue-DoNotPrint";
    require_usage(run_cli({"sign", "binance", b1_payload}), "", "missing secret");
    require_usage(run_cli({"sign", "binance", "--secret", s, "--secret-env", "TW_X", b1_payload}, "", {"TW_X=" + s}), s,
                  "not both");
    require_usage(run_cli({"sign", "binance", "--secret-env", "TW_SIGN_UNSET_VARIABLE", b1_payload}), s, "not set");
    require_usage(run_cli({"sign", "binance", "--secret-env", "TW_EMPTY", b1_payload}, "", {"TW_EMPTY="}), s, "empty");
    require_usage(run_cli({"sign", "binance", "--secret", "", b1_payload}), s, "empty");
    require_usage(run_cli({"sign", "binance", "--secret", s, "--secret", s, b1_payload}), s, "more than once");
    require_usage(run_cli({"sign", "sha3-hex", "--secret", s, b1_payload}), s, "unknown scheme");
    require_usage(run_cli({"sign", "--secret", s}), s, "missing scheme");
    require_usage(run_cli({"sign", "binance", "--secret", s}), s, "missing payload");
    require_usage(run_cli({"sign", "binance", "--secret", s, "a", "b"}), s, "too many arguments");
    require_usage(run_cli({"sign", "binance", "--secret", s, "-payload"}), s, "unknown option");
    require_usage(run_cli({"sign", "binance", "--secret", s, "--frobnicate=" + s, "x"}), s, "unknown option --frobnicate");
    require_usage(run_cli({"sign", "binance", "--secret"}), s, "needs a value");
    // A scheme name that is the secret itself is not echoed.
    require_usage(run_cli({"sign", s, "--secret", s, "x"}), s, "unknown scheme");
    // Kraken: invalid base64 secret, missing --path / --nonce / --body, positional payload.
    const std::vector<std::string> k = {"sign", "kraken", "--secret", kraken_secret};
    auto with = [&](std::vector<std::string> extra) {
        std::vector<std::string> a = k;
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    };
    require_usage(run_cli({"sign", "kraken", "--secret", s + "!", "--path", "/0/private/AddOrder", "--nonce", "1",
                           "--body", "nonce=1"}),
                  s, "base64");
    require_usage(run_cli(with({"--nonce", "1", "--body", "nonce=1"})), kraken_secret, "--path");
    require_usage(run_cli(with({"--path", "/0/private/AddOrder", "--body", "nonce=1"})), kraken_secret, "--nonce");
    require_usage(run_cli(with({"--path", "/0/private/AddOrder", "--nonce", "1"})), kraken_secret, "--body");
    require_usage(run_cli(with({"--path", "/0/private/AddOrder", "--nonce", "1", "--body", "nonce=1", "extra"})),
                  kraken_secret, "no positional payload");
    require_usage(run_cli(with({"--path", "/0/private/AddOrder", "--nonce", "12a", "--body", "nonce=1"})), kraken_secret,
                  "--nonce");
    require_usage(run_cli({"sign", "binance", "--secret", s, "--path", "/x", "payload"}), s, "kraken scheme only");
    // Nothing at all after `sign`.
    require_usage(run_cli({"sign"}), "", "missing");
}
