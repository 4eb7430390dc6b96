// The crypto layer: hashes, HMAC, base64/hex and request-signing keys. Sans-I/O, no Asio.
#pragma once

#include <tradewire/crypto/base64.hpp>
#include <tradewire/crypto/error.hpp>
#include <tradewire/crypto/sha1.hpp>
