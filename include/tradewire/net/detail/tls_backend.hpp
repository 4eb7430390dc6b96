// Brings in asio/ssl.hpp on the TLS backend the build chose: wolfSSL (default,
// TRADEWIRE_TLS_WOLFSSL with ASIO_USE_WOLFSSL) or OpenSSL (TRADEWIRE_TLS_OPENSSL).
//
// Why this header exists: with ASIO_USE_WOLFSSL, Asio's one OpenSSL-facing header
// (asio/ssl/detail/openssl_types.hpp) includes <wolfssl/options.h> and then
// <openssl/ssl.h>, expecting wolfSSL's OpenSSL-compatibility headers to be found under
// that name, i.e. <prefix>/include/wolfssl on the include path ahead of everything
// else. Where the real OpenSSL headers are installed too (any Debian machine with
// libssl-dev), <openssl/ssl.h> is OpenSSL's own: the code compiles against OpenSSL's
// declarations and fails to link against wolfSSL. So this header includes exactly what
// openssl_types.hpp would, from wolfSSL's own paths, and marks that Asio header as
// already included. It must come before any other inclusion of Asio's SSL headers in
// the translation unit (net/tls.hpp and net.hpp include it first).
#pragma once

#if defined(TRADEWIRE_TLS_OPENSSL)

#include <asio/ssl.hpp>

#define TRADEWIRE_NET_TLS_BACKEND_NAME "openssl"

#else

#if !defined(ASIO_USE_WOLFSSL)
#error "the wolfSSL backend needs ASIO_USE_WOLFSSL (the tradewire target defines it); or define TRADEWIRE_TLS_OPENSSL"
#endif

// clang-format off
#if !defined(ASIO_SSL_DETAIL_OPENSSL_TYPES_HPP)
#include <asio/detail/config.hpp>
#include <asio/detail/socket_types.hpp>
#include <wolfssl/options.h>
// options.h first: it carries the configuration (OPENSSL_EXTRA, HAVE_SNI, ...) the
// library was built with, which every other wolfSSL header depends on.
#include <wolfssl/error-ssl.h>
#include <wolfssl/openssl/conf.h>
#include <wolfssl/openssl/ssl.h>
#if !defined(OPENSSL_NO_ENGINE)
#include <wolfssl/openssl/engine.h>
#endif
#include <wolfssl/openssl/dh.h>
#include <wolfssl/openssl/err.h>
#include <wolfssl/openssl/rsa.h>
#include <wolfssl/openssl/x509.h>
#include <wolfssl/openssl/x509v3.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#define ASIO_SSL_DETAIL_OPENSSL_TYPES_HPP
#else
#include <wolfssl/error-ssl.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#endif

#include <asio/ssl.hpp>
#include <wolfssl/wolfcrypt/ecc.h>  // wc_ecc_fp_free (net::tls_release_thread_state)
// clang-format on

#define TRADEWIRE_NET_TLS_BACKEND_NAME "wolfssl"

#endif
