// The crypto layer: SHA-1/256/512, HMAC and the reusable HMAC signer, base64 and hex,
// and Ed25519 request signing (wolfCrypt or OpenSSL underneath). Sans-I/O, no Asio.
#pragma once

#include <tradewire/crypto/base64.hpp>
#include <tradewire/crypto/ed25519.hpp>
#include <tradewire/crypto/error.hpp>
#include <tradewire/crypto/hex.hpp>
#include <tradewire/crypto/hmac.hpp>
#include <tradewire/crypto/sha1.hpp>
#include <tradewire/crypto/sha256.hpp>
#include <tradewire/crypto/sha512.hpp>
