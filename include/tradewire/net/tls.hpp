// The TLS transport: asio::ssl::stream over wolfSSL (default) or OpenSSL (the build's
// TRADEWIRE_TLS_BACKEND), set up to be secure by default:
//  - the peer is verified against the system's trusted CAs (see load_system_trust_store
//    for where they are found), plus any CA file given,
//  - the certificate must match the host name (or IP address) dialled,
//  - SNI is always sent for a host name (RFC 6066 forbids it for IP literals),
//  - TLS 1.2 and 1.3 only.
// Turning verification off takes tls_verify::insecure_no_verification, spelled out.
//
//   auto ctx = net::make_tls_client_context({}, ec);               // system CAs, verify on
//   net::ws_stream<net::tls_stream<net::tcp_socket>> ws(io, ctx);
//   ... connect ws.lowest_layer() ..., then
//   net::async_tls_handshake(ws.next_layer(), "stream.binance.com", token);
//
// (net::async_connect in connect.hpp does TCP, TLS and the WebSocket handshake in one.)
//
// A failed verification completes with net::error::tls_certificate_untrusted or
// net::error::tls_host_name_mismatch rather than the backend's generic "handshake
// failed"; tls_error_detail() adds the backend's own words for logs.
#pragma once

// Must precede every other inclusion of Asio's SSL headers (see the file for why).
#include <tradewire/net/detail/tls_backend.hpp>

#include <tradewire/net/error.hpp>

#include <asio/compose.hpp>
#include <asio/ip/address.hpp>
#include <asio/post.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace tradewire::net {

template <class NextLayer>
using tls_stream = asio::ssl::stream<NextLayer>;
using tls_context = asio::ssl::context;

// The backend compiled in: "wolfssl" or "openssl".
constexpr std::string_view tls_backend_name() noexcept {
    return TRADEWIRE_NET_TLS_BACKEND_NAME;
}

// Frees what the TLS library keeps per thread, for a thread about to end that ran TLS
// handshakes. Why: Debian's wolfSSL is built with FP_ECC, a per-thread cache of ECC
// fixed-point tables that every ECDHE/ECDSA operation fills and that nothing frees when
// the thread ends (wolfSSL_Cleanup frees only the calling thread's): about 3 KB per table,
// hundreds of tables, reported as a leak by LeakSanitizer and lost for good in a program
// that starts and ends I/O threads. Call it last thing on every such thread but the main
// one (the library starts no threads itself). OpenSSL frees its thread state on its own
// at thread exit; the call does nothing there.
inline void tls_release_thread_state() noexcept {
#if defined(TRADEWIRE_TLS_WOLFSSL) && defined(FP_ECC)
    wc_ecc_fp_free();
#endif
}

enum class tls_verify : std::uint8_t {
    peer,                      // verify the certificate chain and the host name (default)
    insecure_no_verification,  // accept any certificate: for tests against self-signed peers only
};

enum class tls_version : std::uint8_t { tls1_2, tls1_3 };

struct tls_client_options {
    tls_verify verify = tls_verify::peer;
    bool system_trust_store = true;  // trust the system's CAs (load_system_trust_store)
    std::string ca_file;             // more trusted CAs (PEM), e.g. a private CA
    std::string certificate_file;    // client certificate chain (PEM), for venues that want one
    std::string private_key_file;
    tls_version min_version = tls_version::tls1_2;
    tls_version max_version = tls_version::tls1_3;
};

struct tls_server_options {
    std::string certificate_chain_file;  // PEM: the server certificate first, then intermediates
    std::string private_key_file;        // PEM
    std::string client_ca_file;          // verify client certificates against these (optional)
    bool require_client_certificate = false;
    tls_version min_version = tls_version::tls1_2;
    tls_version max_version = tls_version::tls1_3;
};

namespace detail {

// Well-known CA bundle locations (Debian/Ubuntu/Gentoo/Arch, Fedora/RHEL 6, openSUSE,
// OpenELEC, CentOS/RHEL 7+, Alpine/BSD/macOS), the list Go's crypto/x509 probes.
inline constexpr std::array<const char*, 6> system_ca_bundles = {
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
};

inline bool readable_file(const char* path) noexcept {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec) && !ec;
}

inline bool readable_dir(const char* path) noexcept {
    std::error_code ec;
    return std::filesystem::is_directory(path, ec) && !ec;
}

inline bool load_verify_file(SSL_CTX* ctx, const char* file, const char* dir) noexcept {
#if defined(TRADEWIRE_TLS_OPENSSL)
    return SSL_CTX_load_verify_locations(ctx, file, dir) == 1;
#else
    // A bundle with one certificate wolfSSL cannot parse (an unusual algorithm) must not
    // void the other hundred and forty.
    //
    // File and directory in two calls, never one: wolfSSL 5.5's load_verify_locations
    // given both parses the whole file again after every entry of the directory. With
    // Debian's SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt and SSL_CERT_DIR=/etc/ssl/certs
    // that is ~290 x 144 certificates, 1-2 s of CPU before the first connect (which is
    // how "--ca-file" turned into a client that connected too late and met "Connection
    // refused"); in two calls it takes ~50 ms.
    const auto load = [ctx](const char* f, const char* d) {
        return wolfSSL_CTX_load_verify_locations_ex(ctx, f, d, WOLFSSL_LOAD_FLAG_IGNORE_ERR) == WOLFSSL_SUCCESS;
    };
    if (file && dir) return load(file, nullptr) && load(nullptr, dir);
    return load(file, dir);
#endif
}

inline int proto_version(tls_version v) noexcept {
    return v == tls_version::tls1_2 ? TLS1_2_VERSION : TLS1_3_VERSION;
}

inline std::error_code set_versions(SSL_CTX* ctx, tls_version min, tls_version max) noexcept {
    if (SSL_CTX_set_min_proto_version(ctx, proto_version(min)) != 1 ||
        SSL_CTX_set_max_proto_version(ctx, proto_version(max)) != 1) {
        return std::make_error_code(std::errc::protocol_not_supported);
    }
    return {};
}

// Null-terminated copy of a host name (at most 253 characters, RFC 1035) or IP literal.
struct host_cstr {
    std::array<char, 256> text{};
    bool ok = false;
    explicit host_cstr(std::string_view host) noexcept {
        if (host.empty() || host.size() >= text.size() || host.find('\0') != std::string_view::npos) return;
        std::memcpy(text.data(), host.data(), host.size());
        ok = true;
    }
    const char* c_str() const noexcept { return text.data(); }
};

inline bool is_ip_literal(const char* host) noexcept {
    std::error_code ec;
    (void)asio::ip::make_address(host, ec);
    return !ec;
}

}  // namespace detail

// The system's CA bundle: the first existing file of detail::system_ca_bundles
// (/etc/ssl/certs/ca-certificates.crt on Debian and Ubuntu), or null. Both backends use
// it when SSL_CERT_FILE and SSL_CERT_DIR are unset.
inline const char* system_ca_bundle() noexcept {
    for (const char* bundle : detail::system_ca_bundles) {
        if (detail::readable_file(bundle)) return bundle;
    }
    return nullptr;
}

// Loads the system's trusted CA certificates into `ctx`. In order:
//  1. $SSL_CERT_FILE and/or $SSL_CERT_DIR when set (the variables OpenSSL honours);
//  2. otherwise the first existing bundle of detail::system_ca_bundles
//     (/etc/ssl/certs/ca-certificates.crt on Debian and Ubuntu);
//  3. otherwise, with OpenSSL, its compiled-in default paths; with wolfSSL built with
//     WOLFSSL_SYS_CA_CERTS, wolfSSL_CTX_load_system_CA_certs.
// Why not just SSL_CTX_set_default_verify_paths: wolfSSL's version of it only loads
// anything when the library was built with WOLFSSL_SYS_CA_CERTS (Debian's is; many
// embedded and vendored builds are not), and otherwise succeeds while loading nothing,
// which would make every verification fail with no hint why.
inline std::error_code load_system_trust_store(tls_context& ctx) noexcept {
    SSL_CTX* native = ctx.native_handle();
    const char* env_file = std::getenv("SSL_CERT_FILE");
    const char* env_dir = std::getenv("SSL_CERT_DIR");
    const bool have_file = env_file && *env_file && detail::readable_file(env_file);
    const bool have_dir = env_dir && *env_dir && detail::readable_dir(env_dir);
    if (have_file || have_dir) {
        if (detail::load_verify_file(native, have_file ? env_file : nullptr, have_dir ? env_dir : nullptr))
            return {};
        return error::tls_no_trust_store;
    }
    if (const char* bundle = system_ca_bundle(); bundle && detail::load_verify_file(native, bundle, nullptr)) {
        return {};
    }
#if defined(TRADEWIRE_TLS_OPENSSL)
    if (SSL_CTX_set_default_verify_paths(native) == 1) return {};
#elif defined(WOLFSSL_SYS_CA_CERTS)
    if (wolfSSL_CTX_load_system_CA_certs(native) == WOLFSSL_SUCCESS) return {};
#endif
    return error::tls_no_trust_store;
}

// Adds the CAs of a PEM file to those `ctx` trusts.
inline std::error_code add_trusted_ca_file(tls_context& ctx, const std::string& file) noexcept {
    if (!detail::readable_file(file.c_str()) ||
        !detail::load_verify_file(ctx.native_handle(), file.c_str(), nullptr)) {
        return error::tls_bad_file;
    }
    return {};
}

// Configures a context made with asio::ssl::context::tls_client.
inline std::error_code configure_tls_client(tls_context& ctx, const tls_client_options& options) noexcept {
    SSL_CTX* native = ctx.native_handle();
    if (const std::error_code ec = detail::set_versions(native, options.min_version, options.max_version))
        return ec;
    if (options.verify == tls_verify::insecure_no_verification) {
        SSL_CTX_set_verify(native, SSL_VERIFY_NONE, nullptr);
    } else {
        SSL_CTX_set_verify(native, SSL_VERIFY_PEER, nullptr);
        if (options.system_trust_store) {
            const std::error_code ec = load_system_trust_store(ctx);
            if (ec && options.ca_file.empty()) return ec;
        } else if (options.ca_file.empty()) {
            return error::tls_no_trust_store;
        }
        if (!options.ca_file.empty()) {
            if (const std::error_code ec = add_trusted_ca_file(ctx, options.ca_file)) return ec;
        }
    }
    if (!options.certificate_file.empty()) {
        if (SSL_CTX_use_certificate_chain_file(native, options.certificate_file.c_str()) != 1 ||
            SSL_CTX_use_PrivateKey_file(native, options.private_key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
            SSL_CTX_check_private_key(native) != 1) {
            return error::tls_bad_file;
        }
    }
    return {};
}

// Configures a context made with asio::ssl::context::tls_server.
inline std::error_code configure_tls_server(tls_context& ctx, const tls_server_options& options) noexcept {
    SSL_CTX* native = ctx.native_handle();
    if (const std::error_code ec = detail::set_versions(native, options.min_version, options.max_version))
        return ec;
    if (options.certificate_chain_file.empty() || options.private_key_file.empty() ||
        SSL_CTX_use_certificate_chain_file(native, options.certificate_chain_file.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(native, options.private_key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(native) != 1) {
        return error::tls_bad_file;
    }
    if (!options.client_ca_file.empty()) {
        if (const std::error_code ec = add_trusted_ca_file(ctx, options.client_ca_file)) return ec;
        SSL_CTX_set_verify(
            native,
            SSL_VERIFY_PEER | (options.require_client_certificate ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0),
            nullptr);
    } else {
        SSL_CTX_set_verify(native, SSL_VERIFY_NONE, nullptr);
    }
    return {};
}

inline tls_context make_tls_client_context(const tls_client_options& options, std::error_code& ec) {
    tls_context ctx(tls_context::tls_client);
    ec = configure_tls_client(ctx, options);
    return ctx;
}

inline tls_context make_tls_server_context(const tls_server_options& options, std::error_code& ec) {
    tls_context ctx(tls_context::tls_server);
    ec = configure_tls_server(ctx, options);
    return ctx;
}

// Client, before the handshake: sends `host` as SNI (unless it is an IP literal) and,
// when the context verifies peers, requires the certificate to match it (DNS name or
// IP address, RFC 6125 rules as the backend implements them).
template <class NextLayer>
std::error_code tls_set_host(tls_stream<NextLayer>& stream, std::string_view host) noexcept {
    const detail::host_cstr name(host);
    if (!name.ok) return error::tls_host_name_mismatch;
    SSL* ssl = stream.native_handle();
    const bool ip = detail::is_ip_literal(name.c_str());
    if (!ip && SSL_set_tlsext_host_name(ssl, name.c_str()) != 1)
        return std::make_error_code(std::errc::invalid_argument);
    if ((SSL_get_verify_mode(ssl) & SSL_VERIFY_PEER) == 0) return {};
    if (ip) {
        if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name.c_str()) != 1) {
            return std::make_error_code(std::errc::invalid_argument);
        }
#if !defined(TRADEWIRE_TLS_OPENSSL)
        // wolfSSL checks IP SANs through the host name as well.
        if (SSL_set1_host(ssl, name.c_str()) != 1) return std::make_error_code(std::errc::invalid_argument);
#endif
        return {};
    }
    if (SSL_set1_host(ssl, name.c_str()) != 1) return std::make_error_code(std::errc::invalid_argument);
    return {};
}

// Server, after the handshake: the host name the client asked for with SNI, or empty.
template <class NextLayer>
std::string_view tls_server_name(tls_stream<NextLayer>& stream) noexcept {
    const char* name = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
    return name ? std::string_view(name) : std::string_view{};
}

// The negotiated protocol version, e.g. "TLSv1.3".
template <class NextLayer>
std::string_view tls_version_name(tls_stream<NextLayer>& stream) noexcept {
    const char* v = SSL_get_version(stream.native_handle());
    return v ? std::string_view(v) : std::string_view{};
}

// After a failed client handshake: a verification failure as a tradewire error
// (tls_host_name_mismatch, tls_certificate_untrusted); other errors unchanged.
template <class NextLayer>
std::error_code tls_handshake_error(tls_stream<NextLayer>& stream, std::error_code ec) noexcept {
    if (!ec) return ec;
    SSL* ssl = stream.native_handle();
    if ((SSL_get_verify_mode(ssl) & SSL_VERIFY_PEER) == 0) return ec;
    const long verify = SSL_get_verify_result(ssl);
#if defined(TRADEWIRE_TLS_OPENSSL)
    if (verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH) {
        return error::tls_host_name_mismatch;
    }
    if (verify != X509_V_OK) return error::tls_certificate_untrusted;
#else
    // wolfSSL keeps the precise reason as the connection's error; Asio only sees a
    // failed handshake without an error queue entry ("unexpected result").
    const int reason = wolfSSL_get_error(ssl, 0);
    if (reason == DOMAIN_NAME_MISMATCH || reason == IPADDR_MISMATCH) return error::tls_host_name_mismatch;
    if (verify != X509_V_OK || reason == ASN_NO_SIGNER_E || reason == ASN_SELF_SIGNED_E ||
        reason == ASN_AFTER_DATE_E || reason == ASN_BEFORE_DATE_E || reason == ASN_SIG_CONFIRM_E ||
        reason == VERIFY_CERT_ERROR || reason == ASN_PARSE_E) {
        return error::tls_certificate_untrusted;
    }
#endif
    return ec;
}

// The backend's own description of why the last handshake on `stream` failed (for
// logs and the CLI), e.g. "certificate has expired" or "peer subject name mismatch".
template <class NextLayer>
std::string tls_error_detail(tls_stream<NextLayer>& stream) {
    SSL* ssl = stream.native_handle();
    const long verify = SSL_get_verify_result(ssl);
#if defined(TRADEWIRE_TLS_OPENSSL)
    if (verify != X509_V_OK) return X509_verify_cert_error_string(verify);
    const unsigned long e = ERR_peek_last_error();
    if (e != 0) {
        const char* r = ERR_reason_error_string(e);
        return r ? r : "";
    }
    return {};
#else
    (void)verify;
    std::array<char, WOLFSSL_MAX_ERROR_SZ> text{};
    const int reason = wolfSSL_get_error(ssl, 0);
    if (reason == 0) return {};
    wolfSSL_ERR_error_string_n(static_cast<unsigned long>(reason), text.data(), text.size());
    return text.data();
#endif
}

namespace detail {

template <class NextLayer>
void tls_prepare(tls_stream<NextLayer>& stream) noexcept {
#if defined(TRADEWIRE_TLS_OPENSSL) && defined(SSL_MODE_RELEASE_BUFFERS)
    // OpenSSL frees idle record buffers in this mode and allocates them again on the
    // next record: an allocation per message. Keep them.
    SSL_clear_mode(stream.native_handle(), SSL_MODE_RELEASE_BUFFERS);
#else
    (void)stream;
#endif
}

template <class NextLayer>
struct tls_handshake_op {
    tls_stream<NextLayer>& stream;
    asio::ssl::stream_base::handshake_type type;
    std::error_code early{};
    bool started = false;

    template <class Self>
    void operator()(Self& self) {
        if (started) {  // re-entered after the post below
            self.complete(early);
            return;
        }
        started = true;
        if (early) {
            asio::post(std::move(self));
            return;
        }
        tls_prepare(stream);
        stream.async_handshake(type, std::move(self));
    }

    template <class Self>
    void operator()(Self& self, std::error_code ec) {
        self.complete(type == asio::ssl::stream_base::client ? tls_handshake_error(stream, ec) : ec);
    }
};

}  // namespace detail

// Client TLS handshake on a connected stream: SNI and host-name verification for
// `host`, then the handshake. Completion signature void(std::error_code).
template <class NextLayer, class Token>
auto async_tls_handshake(tls_stream<NextLayer>& stream, std::string_view host, Token&& token) {
    detail::tls_handshake_op<NextLayer> op{stream, asio::ssl::stream_base::client};
    op.early = tls_set_host(stream, host);
    return asio::async_compose<Token, void(std::error_code)>(std::move(op), token, stream);
}

// Server TLS handshake on an accepted stream. Completion signature void(std::error_code).
template <class NextLayer, class Token>
auto async_tls_accept(tls_stream<NextLayer>& stream, Token&& token) {
    return asio::async_compose<Token, void(std::error_code)>(
        detail::tls_handshake_op<NextLayer>{stream, asio::ssl::stream_base::server}, token, stream);
}

}  // namespace tradewire::net
