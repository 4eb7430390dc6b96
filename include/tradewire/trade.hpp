// The trade layer: credentials, one request signer per venue (sign_<venue>.hpp: the
// exact string each venue signs, in its encoding, written into caller buffers) and
// order templates that turn an order into a signed, masked WebSocket frame without
// allocating. No Asio, except order_session.hpp (live order entry over net/).
//
// Where each venue's signing lives:
//   trade/sign_binance.hpp  WS API (sorted params), REST (percent-encoded), session.logon
//   trade/sign_bybit.hpp    WS auth ("GET/realtime" + expires), REST headers
//   trade/sign_okx.hpp      WS login (seconds), REST OK-ACCESS-* headers (ISO ms)
//   trade/sign_kraken.hpp   API-Sign, GetWebSocketsToken, token-authenticated subscribe
//   trade/sign_gate.hpp     channel auth, WS API spot.login
//   trade/sign_htx.hpp      sorted percent-encoded params, WS v2 auth
//   trade/sign_mexc.hpp     totalParams
#pragma once

#include <tradewire/trade/arbitrage.hpp>
#include <tradewire/trade/credentials.hpp>
#include <tradewire/trade/error.hpp>
#include <tradewire/trade/kill_switch.hpp>
#include <tradewire/trade/order.hpp>
#include <tradewire/trade/order_response.hpp>
#include <tradewire/trade/order_session.hpp>
#include <tradewire/trade/order_template.hpp>
#include <tradewire/trade/paper.hpp>
#include <tradewire/trade/query_param.hpp>
#include <tradewire/trade/rate_limiter.hpp>
#include <tradewire/trade/risk.hpp>
#include <tradewire/trade/sign_binance.hpp>
#include <tradewire/trade/sign_bybit.hpp>
#include <tradewire/trade/sign_gate.hpp>
#include <tradewire/trade/sign_htx.hpp>
#include <tradewire/trade/sign_kraken.hpp>
#include <tradewire/trade/sign_mexc.hpp>
#include <tradewire/trade/sign_okx.hpp>
