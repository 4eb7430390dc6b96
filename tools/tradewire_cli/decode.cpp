// `tradewire-cli decode VENUE`: venue payloads on stdin, one per line (a text frame as is,
// a binary frame as "b64:<base64>"), normalized events on stdout, one JSON object per
// event per line, keys in this order:
//
//   {"type":"trade","exchange","symbol","price","qty","side","id","ts"}
//   {"type":"bbo","exchange","symbol","bid","bid_qty","ask","ask_qty","ts"}
//   {"type":"book","exchange","symbol","action","bids","asks","seq","ts"}
//   {"type":"kline","exchange","symbol","interval","open_time","close_time","open","high",
//    "low","close","volume","closed"}
//   {"type":"control","exchange","kind"}
//   {"type":"error","exchange","message"}
//
// Decisions where the venues leave room:
// - Decimals print in shortest exact form ("0.00100000" -> "0.001"); symbols in canonical
//   BASE-QUOTE form. An OKX derivative instId (BCH-USDT-SWAP) has no BASE-QUOTE form and
//   prints as sent; a Binance partial-depth snapshot on a raw stream names no symbol and
//   prints "symbol":null (in a combined-stream wrapper the symbol comes from the stream).
// - side is the taker's: Binance m=true (buyer is maker) -> "sell"; OKX side; Bybit S.
// - id: Binance trade t, aggTrade a; OKX tradeId; Bybit i.
// - ts is in ms: trade = the venue's trade time (Binance T, OKX ts, Bybit T); bbo = OKX
//   ts, Bybit message ts, null for Binance bookTicker (it sends none); book = Binance
//   depthUpdate E, null for Binance partial depth and REST snapshots, OKX ts, Bybit ts.
// - seq: Binance depthUpdate u, partial depth / REST snapshot lastUpdateId; OKX seqId;
//   Bybit u.
// - Bybit orderbook.1 is the spot best bid/offer: it prints as "bbo", deeper books as
//   "book". OKX bbo-tbt prints as "bbo"; books5 as a "book" snapshot.
// - kline interval in venue-neutral text: "1s" "1m" "5m" "1h" "4h" "1d" "1w" "1M" (month);
//   Bybit "60" -> "1h", "D" -> "1d". open_time/close_time in ms: Binance t/T and Bybit
//   start/end as sent (the last ms of the interval); OKX open ts and open + interval.
// - control kinds: subscribed, unsubscribed, ack (Binance {"result":null}), subscriptions
//   (LIST_SUBSCRIPTIONS), property (GET_PROPERTY), pong, error (a venue-reported error:
//   OKX event error, Binance {"code","msg"}, Bybit success:false), notice (OKX),
//   server_shutdown (Binance), login, connection_count (OKX).
// - error lines carry "<what went wrong>: <where>"; the exit status is 1 if any line gave
//   an error line, else 0. Empty lines are skipped.
#include <cstdio>
#include <iostream>
#include <string>

#include "commands.hpp"
#include "venue_output.hpp"

namespace tradewire::cli {

namespace {

template <class Decoder>
class printer {
public:
    printer(market::venue v, const Decoder& d) : venue_(v), decoder_(d) {}

    void on_trade(const market::trade& t) {
        put_head(line_, "trade", venue_);
        put_symbol(line_, t.symbol, instrument());
        line_ += R"(,"price":)";
        put_decimal(line_, t.price);
        line_ += R"(,"qty":)";
        put_decimal(line_, t.quantity);
        line_ += R"(,"side":")";
        line_ += market::to_string(t.taker_side);
        line_ += R"(","id":)";
        put_json_string(line_, t.id.view());
        line_ += R"(,"ts":)";
        put_ms(line_, t.exchange_time);
        line_ += '}';
        write_line(line_);
    }

    void on_bbo(const market::bbo& b) {
        put_head(line_, "bbo", venue_);
        put_symbol(line_, b.symbol, instrument());
        line_ += R"(,"bid":)";
        put_decimal(line_, b.bid_price);
        line_ += R"(,"bid_qty":)";
        put_decimal(line_, b.bid_quantity);
        line_ += R"(,"ask":)";
        put_decimal(line_, b.ask_price);
        line_ += R"(,"ask_qty":)";
        put_decimal(line_, b.ask_quantity);
        line_ += R"(,"ts":)";
        put_ms(line_, b.exchange_time);
        line_ += '}';
        write_line(line_);
    }

    void on_book_snapshot(const market::book_snapshot& s) { book(s, "snapshot"); }
    void on_book_delta(const market::book_delta& d) { book(d, "delta"); }

    void on_kline(const market::kline& k) {
        put_head(line_, "kline", venue_);
        put_symbol(line_, k.symbol, instrument());
        line_ += R"(,"interval":)";
        put_interval(line_, k.interval);
        line_ += R"(,"open_time":)";
        put_int(line_, market::to_unix_ms(k.open_time));
        line_ += R"(,"close_time":)";
        put_int(line_, market::to_unix_ms(k.close_time));
        line_ += R"(,"open":)";
        put_decimal(line_, k.open);
        line_ += R"(,"high":)";
        put_decimal(line_, k.high);
        line_ += R"(,"low":)";
        put_decimal(line_, k.low);
        line_ += R"(,"close":)";
        put_decimal(line_, k.close);
        line_ += R"(,"volume":)";
        put_decimal(line_, k.volume);
        line_ += k.closed ? R"(,"closed":true})" : R"(,"closed":false})";
        write_line(line_);
    }

    void on_control(const exchange::control_event& c) {
        put_head(line_, "control", venue_);
        line_ += R"(,"kind":")";
        line_ += exchange::to_string(c.kind);
        line_ += "\"}";
        write_line(line_);
    }

    void on_decode_error(const exchange::decode_error& e) {
        error(e.error.message() + ": " + std::string(e.reason));
    }

    void error(const std::string& message) {
        put_head(line_, "error", venue_);
        line_ += R"(,"message":)";
        put_json_string(line_, message);
        line_ += '}';
        write_line(line_);
        failed_ = true;
    }

    bool failed() const { return failed_; }

private:
    template <class Book>
    void book(const Book& b, std::string_view action) {
        put_head(line_, "book", venue_);
        put_symbol(line_, b.symbol, instrument());
        line_ += R"(,"action":")";
        line_ += action;
        line_ += R"(","bids":)";
        put_levels(line_, b.bids);
        line_ += R"(,"asks":)";
        put_levels(line_, b.asks);
        line_ += R"(,"seq":)";
        put_optional_int(line_, shown_seq(b.sequence));
        line_ += R"(,"ts":)";
        put_ms(line_, b.exchange_time);
        line_ += '}';
        write_line(line_);
    }

    std::string_view instrument() const {
        if constexpr (requires { decoder_.instrument(); }) return decoder_.instrument();
        else return {};
    }

    market::venue venue_;
    const Decoder& decoder_;
    std::string line_;
    bool failed_ = false;
};

}  // namespace

int run_decode(arguments& args) {
    const auto positionals = args.take_positionals();
    if (positionals.size() != 1) throw usage_error{"usage: tradewire-cli decode VENUE < payloads (VENUE: binance, okx, bybit)"};
    const market::venue venue = venue_argument(positionals[0]);
    bool failed = false;
    with_decoder(venue, [&](auto& decoder) {
        printer out(venue, decoder);
        std::string line, payload, error;
        while (std::getline(std::cin, line)) {
            if (line.empty() || line == "\r") continue;
            if (!line_payload(line, payload, error)) {
                out.error(error);
                continue;
            }
            decoder.decode(std::span<char>(payload.data(), payload.size()), out);
        }
        failed = out.failed();
    });
    std::fflush(stdout);
    return failed ? exit_failure : exit_ok;
}

}  // namespace tradewire::cli
