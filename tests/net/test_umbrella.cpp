// tradewire/net.hpp is the one include for the whole network layer: it must name every
// public header of include/tradewire/net/ (detail/ excluded). (That it compiles is the
// header check's job, which builds every header alone, net.hpp included.)
#include "catch.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

TEST_CASE("net.hpp includes every public header of net/") {
    namespace fs = std::filesystem;
    const fs::path include_dir = fs::path(TRADEWIRE_SOURCE_DIR) / "include" / "tradewire";
    std::ifstream umbrella(include_dir / "net.hpp");
    REQUIRE(umbrella);
    std::stringstream text;
    text << umbrella.rdbuf();
    const std::string contents = text.str();
    std::vector<std::string> missing;
    std::size_t headers = 0;
    for (const auto& entry : fs::directory_iterator(include_dir / "net")) {
        if (!entry.is_regular_file() || entry.path().extension() != ".hpp") continue;
        ++headers;
        const std::string line = "#include <tradewire/net/" + entry.path().filename().string() + ">";
        if (contents.find(line) == std::string::npos) missing.push_back(entry.path().filename().string());
    }
    CAPTURE(missing);
    CHECK(headers >= 13);
    CHECK(missing.empty());
}
