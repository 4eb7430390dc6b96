// The network layer (Asio): TCP and TLS transports, net::ws_stream (a WebSocket over
// either, client or server role), one-call client connect, liveness checking, the
// busy-poll run loop, backoff and the reconnecting client, the WebSocket server with its
// frame pool, and the HTTP/1.1 client for REST. Every public header of net/ (a test
// checks that none is missing). Includes Asio and the TLS backend; code that only parses frames
// or decodes messages should include ws.hpp or single headers instead.
#pragma once

// First: it decides how Asio's SSL headers find the TLS backend (see the file).
#include <tradewire/net/tls.hpp>

#include <tradewire/net/backoff.hpp>
#include <tradewire/net/connect.hpp>
#include <tradewire/net/error.hpp>
#include <tradewire/net/frame_pool.hpp>
#include <tradewire/net/http.hpp>
#include <tradewire/net/liveness.hpp>
#include <tradewire/net/reconnecting_client.hpp>
#include <tradewire/net/run.hpp>
#include <tradewire/net/server.hpp>
#include <tradewire/net/tcp.hpp>
#include <tradewire/net/ws_options.hpp>
#include <tradewire/net/ws_stream.hpp>
