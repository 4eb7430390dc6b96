// `tradewire-cli book VENUE --symbol SYMBOL [--snapshot FILE] [--depth N]`: reads venue
// payloads from stdin (the `decode` line format: a text frame as is, a binary frame as
// "b64:<base64>"), keeps the order book of SYMBOL with the venue's sync policy, prints
// one JSON line per problem found and finally the top N levels per side (default 10):
//
//   {"type":"gap","exchange","symbol","expected","received"}
//       a missed update: Binance U > book id + 1 (expected = book id + 1, received = U),
//       also when the REST snapshot is older than the stream; OKX prevSeqId != the last
//       seqId (expected = last seqId, received = prevSeqId); Bybit u not following the
//       last u by one (expected = last u + 1, received = u)
//   {"type":"checksum_mismatch","exchange","symbol","seq","received","computed"}
//       OKX: the venue's checksum (received) differs from the local book's (computed)
//   {"type":"crossed","exchange","symbol","seq","bid","ask"}
//       best bid >= best ask after a message (reported when the book becomes crossed)
//   {"type":"error","exchange","message"}
//       an undecodable line, or a book message the policy cannot use
//   {"type":"book","symbol","bids":[["p","q"],...],"asks":[...]}
//       at the end: the resulting top of book, best first
//
// Sync policies: Binance = REST snapshot (--snapshot FILE, the body of GET /api/v3/depth)
// plus diff depth by update-id ranges; a partial-depth message in the stream also serves
// as a snapshot (a raw one, which names no symbol, is taken to be SYMBOL's). OKX = books
// snapshot/update chained by seqId/prevSeqId with the CRC32 checksum. Bybit = snapshot
// then deltas, u consecutive. After a gap or checksum mismatch the book waits for a new
// snapshot (OKX, Bybit: the next one in the stream; Binance: none arrives here, so later
// deltas are held back). SYMBOL may be canonical (BNB-BTC) or the venue's spelling
// (BNBBTC, bnbbtc); an OKX derivative is given as its instId (BCH-USDT-SWAP). Messages for
// other symbols are ignored. Exit status: 0 when no problem line was printed, 1 otherwise,
// 2 for bad arguments (including an unreadable --snapshot file).
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <tradewire/market/synced_book.hpp>

#include "commands.hpp"
#include "venue_output.hpp"

namespace tradewire::cli {

namespace {

struct target_symbol {
    symbol canonical;    // empty when the text has no BASE-QUOTE form (OKX derivative)
    std::string native;  // as given, for matching OKX derivative instIds
};

target_symbol parse_target(market::venue venue, const std::string& text) {
    target_symbol t;
    std::error_code ec;
    t.canonical = symbol::parse(text, ec);
    if (!ec) return t;
    t.canonical = from_native(text, market::native_style(venue), ec);
    if (!ec) return t;
    t.canonical = {};
    // An OKX derivative instId: letters, digits and dashes.
    bool plausible = venue == market::venue::okx && !text.empty() && text.size() <= 47;
    for (const char c : text) plausible = plausible && (exchange::detail::is_alnum(c) || c == '-');
    if (!plausible) throw usage_error{"invalid symbol '" + text + "'"};
    t.native = text;
    return t;
}

template <class Decoder, class Book>
class book_runner {
public:
    book_runner(market::venue v, const Decoder& d, Book& book, target_symbol target)
        : venue_(v), decoder_(d), book_(book), target_(std::move(target)) {}

    void on_book_snapshot(const market::book_snapshot& s) {
        if (!mine(s.symbol)) return;
        report(book_.on_snapshot(s), s.sequence, s.checksum);
    }

    void on_book_delta(const market::book_delta& d) {
        if (!mine(d.symbol)) return;
        report(book_.on_delta(d), d.sequence, d.checksum);
    }

    void on_decode_error(const exchange::decode_error& e) { error(e.error.message() + ": " + std::string(e.reason)); }

    void error(const std::string& message) {
        put_head(line_, "error", venue_);
        line_ += R"(,"message":)";
        put_json_string(line_, message);
        line_ += '}';
        write_line(line_);
        problems_ = true;
    }

    // The final top-of-book line.
    void finish(std::size_t depth) {
        const auto& b = book_.book();
        line_ += R"({"type":"book")";
        put_symbol(line_, target_.canonical, target_.native);
        line_ += R"(,"bids":)";
        put_side(b.bids().top(depth));
        line_ += R"(,"asks":)";
        put_side(b.asks().top(depth));
        line_ += '}';
        write_line(line_);
    }

    bool problems() const { return problems_; }

private:
    bool mine(const symbol& s) const {
        if (!s.empty()) return s == target_.canonical;
        if constexpr (requires { decoder_.instrument(); }) {
            if (!decoder_.instrument().empty()) return decoder_.instrument() == target_.native;
        }
        return venue_ == market::venue::binance;  // a raw partial-depth snapshot names no symbol
    }

    void head(std::string_view type) {
        put_head(line_, type, venue_);
        put_symbol(line_, target_.canonical, target_.native);
    }

    void report(const market::sync_result& r, const market::book_sequence& seq, std::optional<std::int64_t> checksum) {
        if (r.status == market::sync_status::resync_needed) {
            problems_ = true;
            if (r.reason == market::error::sequence_gap || r.reason == market::error::snapshot_too_old) {
                head("gap");
                line_ += R"(,"expected":)";
                put_optional_int(line_, r.gap.expected);
                line_ += R"(,"received":)";
                put_optional_int(line_, r.gap.received);
                line_ += '}';
                write_line(line_);
            } else if (r.reason == market::error::checksum_mismatch) {
                head("checksum_mismatch");
                line_ += R"(,"seq":)";
                put_optional_int(line_, shown_seq(seq));
                line_ += R"(,"received":)";
                put_optional_int(line_, checksum);
                line_ += R"(,"computed":)";
                if constexpr (requires { Book::checksum_type::compute(book_.book()); })
                    put_int(line_, Book::checksum_type::compute(book_.book()));
                else
                    line_ += "null";
                line_ += '}';
                write_line(line_);
            } else {
                error(std::string(market::to_string(venue_)) + " book: " + r.reason.message());
            }
        }
        // Report a crossed book once, when it becomes crossed.
        if (r.crossed && !crossed_) {
            problems_ = true;
            const auto& b = book_.book();
            head("crossed");
            line_ += R"(,"seq":)";
            put_optional_int(line_, shown_seq(seq));
            line_ += R"(,"bid":)";
            put_decimal(line_, b.bids().front().price);
            line_ += R"(,"ask":)";
            put_decimal(line_, b.asks().front().price);
            line_ += '}';
            write_line(line_);
        }
        if (r.status == market::sync_status::applied || r.status == market::sync_status::resync_needed)
            crossed_ = r.crossed;
    }

    void put_side(market::levels_view levels) {
        line_ += '[';
        for (std::size_t i = 0; i < levels.size(); ++i) {
            if (i) line_ += ',';
            line_ += '[';
            put_decimal(line_, levels[i].price);
            line_ += ',';
            put_decimal(line_, levels[i].quantity);
            line_ += ']';
        }
        line_ += ']';
    }

    market::venue venue_;
    const Decoder& decoder_;
    Book& book_;
    target_symbol target_;
    std::string line_;
    bool problems_ = false;
    bool crossed_ = false;
};

template <class Decoder, class Book>
bool run(market::venue venue, Decoder& decoder, Book& book, const target_symbol& target,
         const std::optional<std::string>& snapshot_body, std::size_t depth) {
    book_runner<Decoder, Book> runner(venue, decoder, book, target);
    if (snapshot_body) {
        if constexpr (requires { decoder.decode_rest_depth(std::span<char>{}, target.canonical, runner); }) {
            std::string body = *snapshot_body;
            decoder.decode_rest_depth(std::span<char>(body.data(), body.size()), target.canonical, runner);
        }
    }
    std::string line, payload, err;
    while (std::getline(std::cin, line)) {
        if (line.empty() || line == "\r") continue;
        if (!line_payload(line, payload, err)) {
            runner.error(err);
            continue;
        }
        decoder.decode(std::span<char>(payload.data(), payload.size()), runner);
    }
    runner.finish(depth);
    return !runner.problems();
}

}  // namespace

int run_book(arguments& args) {
    const auto symbol_text = args.take_option("--symbol");
    const auto snapshot_file = args.take_option("--snapshot");
    const auto depth_text = args.take_option("--depth");
    const auto positionals = args.take_positionals();
    if (positionals.size() != 1 || !symbol_text)
        throw usage_error{"usage: tradewire-cli book VENUE --symbol SYMBOL [--snapshot FILE] [--depth N]"};
    const market::venue venue = venue_argument(positionals[0]);
    const target_symbol target = parse_target(venue, *symbol_text);

    std::size_t depth = 10;
    if (depth_text) {
        std::uint64_t n = 0;
        if (!parse_uint64(*depth_text, n) || n == 0 || n > 100000)
            throw usage_error{"--depth must be a positive integer, not '" + *depth_text + "'"};
        depth = static_cast<std::size_t>(n);
    }

    std::optional<std::string> snapshot_body;
    if (snapshot_file) {
        if (venue != market::venue::binance)
            throw usage_error{"--snapshot is for binance (OKX and Bybit send their snapshots in the stream)"};
        if (target.canonical.empty()) throw usage_error{"--snapshot needs a BASE-QUOTE symbol"};
        std::ifstream in(*snapshot_file, std::ios::binary);
        if (!in) throw usage_error{"cannot read snapshot file '" + *snapshot_file + "'"};
        std::ostringstream body;
        body << in.rdbuf();
        snapshot_body = body.str();
    }

    market::book_sync_options options;
    options.resync_on_crossed = false;  // report crossed books, keep going
    bool clean = true;
    switch (venue) {
        case market::venue::binance: {
            exchange::binance::decoder d;
            market::synced_book<market::update_id_range_sync> book(options);
            clean = run(venue, d, book, target, snapshot_body, depth);
            break;
        }
        case market::venue::okx: {
            exchange::okx::decoder d;
            market::synced_book<market::prev_seq_chain_sync, market::okx_checksum> book(options);
            clean = run(venue, d, book, target, snapshot_body, depth);
            break;
        }
        case market::venue::bybit: {
            exchange::bybit::decoder d;
            market::synced_book<market::snapshot_delta_sync> book(options, market::snapshot_delta_sync{true});
            clean = run(venue, d, book, target, snapshot_body, depth);
            break;
        }
        default: throw usage_error{"unsupported venue"};
    }
    std::fflush(stdout);
    return clean ? exit_ok : exit_failure;
}

}  // namespace tradewire::cli
