// The WebSocket protocol layer (RFC 6455), sans-I/O: the opening handshake, frame
// headers, masking, UTF-8 validation, close codes, roles, and the message reader and
// frame writer state machines that the net layer's ws::stream drives. No Asio, no
// sockets: bytes in, events out; bytes out into a caller's buffer.
#pragma once

#include <tradewire/core/random.hpp>
#include <tradewire/ws/close.hpp>
#include <tradewire/ws/close_code.hpp>
#include <tradewire/ws/error.hpp>
#include <tradewire/ws/frame.hpp>
#include <tradewire/ws/handshake.hpp>
#include <tradewire/ws/mask.hpp>
#include <tradewire/ws/opcode.hpp>
#include <tradewire/ws/reader.hpp>
#include <tradewire/ws/role.hpp>
#include <tradewire/ws/utf8.hpp>
#include <tradewire/ws/writer.hpp>
