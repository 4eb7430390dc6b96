// `tradewire-cli book VENUE --symbol S [--snapshot FILE] [--depth N]`: the built binary
// through in-order, gap, checksum-mismatch and crossed scenarios for each venue, compared
// line by line, with the exit statuses.
#include "catch.hpp"

#include <fstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"

using tradewire::test::run_cli;

namespace {

std::string lines(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& l : v) s += l + "\n";
    return s;
}

// The REST body of GET /api/v3/depth, written where the binary can read it.
std::string snapshot_file() {
    const std::string path = std::string(TRADEWIRE_BINARY_DIR) + "/test_cli_book_snapshot.json";
    std::ofstream(path) << R"({"lastUpdateId":160,"bids":[["0.0024","10"],["0.0023","5"]],"asks":[["0.0026","100"],["0.0027","7"]]})";
    return path;
}

std::string depth_update(int first, int last, const std::string& bids, const std::string& asks,
                         const std::string& symbol = "BNBBTC") {
    return R"({"e":"depthUpdate","E":1672515782136,"s":")" + symbol + R"(","U":)" + std::to_string(first) + R"(,"u":)" +
           std::to_string(last) + R"(,"b":)" + bids + R"(,"a":)" + asks + "}";
}

// OKX's documented checksum example: this book has checksum -1881014294 and, after
// the update below, 831078360.
const std::string okx_snapshot =
    R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot","data":[{"asks":[["3366.8","9","0","1"],["3368","8","0","1"]],"bids":[["3366.1","7","0","1"],["3366","6","0","1"]],"ts":"1597026383085","checksum":-1881014294,"prevSeqId":-1,"seqId":10}]})";

std::string okx_update(int prev, int seq, long long checksum, const std::string& bids = R"([["3366","0","0","0"]])",
                       const std::string& asks = R"([["3372","8","0","1"]])") {
    return R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":)" + asks + R"(,"bids":)" +
           bids + R"(,"ts":"1597026383086","checksum":)" + std::to_string(checksum) + R"(,"prevSeqId":)" +
           std::to_string(prev) + R"(,"seqId":)" + std::to_string(seq) + "}]}";
}

std::string bybit(const std::string& type, int u, const std::string& bids, const std::string& asks) {
    return R"({"topic":"orderbook.50.BTCUSDT","type":")" + type + R"(","ts":1672304484978,"data":{"s":"BTCUSDT","b":)" +
           bids + R"(,"a":)" + asks + R"(,"u":)" + std::to_string(u) + R"(,"seq":7961638724},"cts":1672304484976})";
}

}  // namespace

TEST_CASE("book binance: REST snapshot then diff depth in order") {
    const std::string input = lines({
        depth_update(150, 160, R"([["0.0024","99"]])", "[]"),  // already in the snapshot: skipped
        depth_update(161, 165, R"([["0.0024","11"]])", R"([["0.0026","0"]])"),
        depth_update(166, 170, R"([["0.0022","1"]])", "[]"),
        depth_update(1, 2, R"([["9","1"]])", "[]", "ETHBTC"),  // another symbol: ignored
        R"({"e":"trade","E":1,"s":"BNBBTC","t":1,"p":"0.0025","q":"1","T":1,"m":true})",
    });
    const std::string expected =
        R"({"type":"book","symbol":"BNB-BTC","bids":[["0.0024","11"],["0.0023","5"],["0.0022","1"]],"asks":[["0.0027","7"]]})"
        "\n";
    for (const char* symbol : {"BNB-BTC", "BNBBTC", "bnbbtc"}) {
        INFO(symbol);
        const auto r = run_cli({"book", "binance", "--symbol", symbol, "--snapshot", snapshot_file()}, input);
        CHECK(r.status == 0);
        CHECK(r.err.empty());
        CHECK(r.out == expected);
    }
    const auto top1 = run_cli({"book", "binance", "--symbol", "BNB-BTC", "--snapshot", snapshot_file(), "--depth", "1"}, input);
    CHECK(top1.out == R"({"type":"book","symbol":"BNB-BTC","bids":[["0.0024","11"]],"asks":[["0.0027","7"]]})"
                      "\n");
}

TEST_CASE("book binance: a gap is reported and later deltas are held back") {
    const auto r = run_cli({"book", "binance", "--symbol", "BNB-BTC", "--snapshot", snapshot_file()},
                           lines({depth_update(161, 165, R"([["0.0024","11"]])", "[]"),
                                  depth_update(170, 175, R"([["0.0022","1"]])", "[]"),
                                  depth_update(176, 180, R"([["0.0021","1"]])", "[]")}));
    CHECK(r.status == 1);
    CHECK(r.out == lines({R"({"type":"gap","exchange":"binance","symbol":"BNB-BTC","expected":166,"received":170})",
                          R"({"type":"book","symbol":"BNB-BTC","bids":[["0.0024","11"],["0.0023","5"]],"asks":[["0.0026","100"],["0.0027","7"]]})"}));
}

TEST_CASE("book binance: a snapshot older than the stream is a gap") {
    const auto r = run_cli({"book", "binance", "--symbol", "BNB-BTC", "--snapshot", snapshot_file()},
                           lines({depth_update(200, 205, R"([["0.0024","11"]])", "[]")}));
    CHECK(r.status == 1);
    CHECK(r.out.find(R"({"type":"gap","exchange":"binance","symbol":"BNB-BTC","expected":161,"received":200})") == 0);
}

TEST_CASE("book binance: a crossed book is reported once") {
    const auto r = run_cli({"book", "binance", "--symbol", "BNB-BTC", "--snapshot", snapshot_file(), "--depth", "2"},
                           lines({depth_update(161, 165, R"([["0.0030","11"]])", "[]"),
                                  depth_update(166, 170, R"([["0.0031","1"]])", "[]")}));
    CHECK(r.status == 1);
    CHECK(r.out == lines({R"({"type":"crossed","exchange":"binance","symbol":"BNB-BTC","seq":165,"bid":"0.003","ask":"0.0026"})",
                          R"({"type":"book","symbol":"BNB-BTC","bids":[["0.0031","1"],["0.003","11"]],"asks":[["0.0026","100"],["0.0027","7"]]})"}));
}

TEST_CASE("book binance: partial depth in the stream serves as the snapshot") {
    const auto r = run_cli({"book", "binance", "--symbol", "BNB-BTC"},
                           lines({R"({"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"]]})",
                                  depth_update(161, 162, R"([["0.0025","3"]])", "[]")}));
    CHECK(r.status == 0);
    CHECK(r.out == R"({"type":"book","symbol":"BNB-BTC","bids":[["0.0025","3"],["0.0024","10"]],"asks":[["0.0026","100"]]})"
                   "\n");
}

TEST_CASE("book okx: snapshot and updates in order, with checksums") {
    const auto r = run_cli({"book", "okx", "--symbol", "BTC-USDT"},
                           lines({okx_snapshot, okx_update(10, 15, 831078360), okx_update(15, 15, 831078360, "[]", "[]")}));
    CHECK(r.status == 0);
    CHECK(r.out == R"({"type":"book","symbol":"BTC-USDT","bids":[["3366.1","7"]],"asks":[["3366.8","9"],["3368","8"],["3372","8"]]})"
                   "\n");
}

TEST_CASE("book okx: a broken prevSeqId chain is a gap, the next snapshot resyncs") {
    const auto r = run_cli({"book", "okx", "--symbol", "BTC-USDT", "--depth", "1"},
                           lines({okx_snapshot, okx_update(11, 15, 831078360), okx_update(15, 16, 831078360), okx_snapshot}));
    CHECK(r.status == 1);
    CHECK(r.out == lines({R"({"type":"gap","exchange":"okx","symbol":"BTC-USDT","expected":10,"received":11})",
                          R"({"type":"book","symbol":"BTC-USDT","bids":[["3366.1","7"]],"asks":[["3366.8","9"]]})"}));
}

TEST_CASE("book okx: a checksum mismatch is reported with both values") {
    const auto r = run_cli({"book", "okx", "--symbol", "BTC-USDT"}, lines({okx_snapshot, okx_update(10, 15, 12345)}));
    CHECK(r.status == 1);
    CHECK(r.out.find(
              R"({"type":"checksum_mismatch","exchange":"okx","symbol":"BTC-USDT","seq":15,"received":12345,"computed":831078360})"
              "\n") == 0);
    // The documentation's own snapshot example carries a checksum that does not match it.
    const auto doc = run_cli(
        {"book", "okx", "--symbol", "BTC-USDT", "--depth", "1"},
        lines({R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot","data":[{"asks":[["8476.98","415","0","13"],["8477","7","0","2"],["8477.34","85","0","1"],["8477.56","1","0","1"],["8505.84","8","0","1"],["8506.37","85","0","1"],["8506.49","2","0","1"],["8506.96","100","0","2"]],"bids":[["8476.97","256","0","12"],["8475.55","101","0","1"],["8475.54","100","0","1"],["8475.3","1","0","1"],["8447.32","6","0","1"],["8447.02","246","0","1"],["8446.83","24","0","1"],["8446","95","0","3"]],"ts":"1597026383085","checksum":-855196043,"prevSeqId":-1,"seqId":123456}]})"}));
    CHECK(doc.out ==
          lines({R"({"type":"checksum_mismatch","exchange":"okx","symbol":"BTC-USDT","seq":123456,"received":-855196043,"computed":-2102840145})",
                 R"({"type":"book","symbol":"BTC-USDT","bids":[["8476.97","256"]],"asks":[["8476.98","415"]]})"}));
}

TEST_CASE("book okx: derivative instruments and other symbols") {
    const std::string swap =
        R"({"arg":{"channel":"books5","instId":"BCH-USDT-SWAP"},"data":[{"asks":[["111.06","55154","0","2"]],"bids":[["111.05","57745","0","2"]],"instId":"BCH-USDT-SWAP","ts":"1670324386802","seqId":363996337}]})";
    const auto r = run_cli({"book", "okx", "--symbol", "BCH-USDT-SWAP"}, lines({okx_snapshot, swap}));
    CHECK(r.status == 0);
    CHECK(r.out == R"({"type":"book","symbol":"BCH-USDT-SWAP","bids":[["111.05","57745"]],"asks":[["111.06","55154"]]})"
                   "\n");
    const auto other = run_cli({"book", "okx", "--symbol", "ETH-USDT"}, lines({okx_snapshot, swap}));
    CHECK(other.status == 0);
    CHECK(other.out == R"({"type":"book","symbol":"ETH-USDT","bids":[],"asks":[]})"
                       "\n");
}

TEST_CASE("book bybit: snapshot then deltas, gaps and crossed books") {
    const std::string snap = bybit("snapshot", 1, R"([["16493.50","0.006"],["16493.00","0.100"]])",
                                   R"([["16611.00","0.029"],["16612.00","0.213"]])");
    SECTION("in order") {
        const auto r = run_cli({"book", "bybit", "--symbol", "BTC-USDT"},
                               lines({snap, bybit("delta", 2, R"([["16493.00","0"],["16400","1"]])", R"([["16611.00","0.5"]])")}));
        CHECK(r.status == 0);
        CHECK(r.out == R"({"type":"book","symbol":"BTC-USDT","bids":[["16493.5","0.006"],["16400","1"]],"asks":[["16611","0.5"],["16612","0.213"]]})"
                       "\n");
    }
    SECTION("gap, then a new snapshot resyncs") {
        const auto r = run_cli({"book", "bybit", "--symbol", "BTCUSDT", "--depth", "1"},
                               lines({snap, bybit("delta", 4, R"([["16494","1"]])", "[]"),
                                      bybit("delta", 5, R"([["16495","1"]])", "[]"), snap}));
        CHECK(r.status == 1);
        CHECK(r.out == lines({R"({"type":"gap","exchange":"bybit","symbol":"BTC-USDT","expected":2,"received":4})",
                              R"({"type":"book","symbol":"BTC-USDT","bids":[["16493.5","0.006"]],"asks":[["16611","0.029"]]})"}));
    }
    SECTION("crossed") {
        const auto r = run_cli({"book", "bybit", "--symbol", "BTC-USDT", "--depth", "1"},
                               lines({snap, bybit("delta", 2, R"([["16700","1"]])", "[]")}));
        CHECK(r.status == 1);
        CHECK(r.out == lines({R"({"type":"crossed","exchange":"bybit","symbol":"BTC-USDT","seq":2,"bid":"16700","ask":"16611"})",
                              R"({"type":"book","symbol":"BTC-USDT","bids":[["16700","1"]],"asks":[["16611","0.029"]]})"}));
    }
}

TEST_CASE("book: undecodable lines are reported and skipped") {
    const auto r = run_cli({"book", "bybit", "--symbol", "BTC-USDT"}, lines({"not json"}));
    CHECK(r.status == 1);
    CHECK(r.out == lines({R"({"type":"error","exchange":"bybit","message":"invalid JSON literal: bybit: message"})",
                          R"({"type":"book","symbol":"BTC-USDT","bids":[],"asks":[]})"}));
}

TEST_CASE("book: bad arguments exit 2") {
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"book"},
             {"book", "binance"},
             {"book", "nasdaq", "--symbol", "BTC-USDT"},
             {"book", "binance", "--symbol", "BTC-USDT", "--depth", "0"},
             {"book", "binance", "--symbol", "BTC-USDT", "--depth", "x"},
             {"book", "binance", "--symbol", "BTC-USDT", "--snapshot", "/nonexistent/file.json"},
             {"book", "okx", "--symbol", "BTC-USDT", "--snapshot", snapshot_file()},
             {"book", "binance", "--symbol", "B?C"},
             {"book", "binance", "--symbol", "BTC-USDT", "--frobnicate"}}) {
        const auto r = run_cli(args, "");
        CHECK(r.status == 2);
        CHECK_FALSE(r.err.empty());
        CHECK(r.out.empty());
    }
}
