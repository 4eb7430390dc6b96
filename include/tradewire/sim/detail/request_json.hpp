// A small JSON reader for the control requests the simulator receives (subscribe,
// unsubscribe, ping): a tree of values with bounded depth and size, copying strings. The
// requests are tiny and rare, so clarity wins over speed here; untrusted input only ever
// yields "not valid".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tradewire::sim::detail {

struct json_value {
    enum class kind : std::uint8_t { null, boolean, number, string, array, object };
    kind type = kind::null;
    bool flag = false;
    std::string text;  // string contents, or the number's raw text
    std::vector<json_value> items;                         // array
    // Object members as two parallel vectors (a pair holding the incomplete json_value
    // would not compile with every standard library).
    std::vector<std::string> keys;
    std::vector<json_value> values;

    [[nodiscard]] const json_value* find(std::string_view key) const noexcept {
        if (type != kind::object) return nullptr;
        for (std::size_t i = 0; i < keys.size(); ++i)
            if (keys[i] == key) return &values[i];
        return nullptr;
    }
    [[nodiscard]] bool is_string() const noexcept { return type == kind::string; }
    // The value as it would be written back (for echoing ids): strings quoted, numbers raw.
    [[nodiscard]] std::string raw() const {
        if (type == kind::string) return "\"" + text + "\"";
        if (type == kind::number) return text;
        if (type == kind::boolean) return flag ? "true" : "false";
        return "null";
    }
};

class json_parser {
public:
    explicit json_parser(std::string_view text) noexcept : s_(text) {}

    bool parse(json_value& out) {
        if (s_.size() > 65536) return false;
        if (!value(out, 0)) return false;
        ws();
        return pos_ == s_.size();
    }

private:
    void ws() noexcept {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
    }
    bool literal(std::string_view word) noexcept {
        if (s_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }
    bool string(std::string& out) {
        if (pos_ >= s_.size() || s_[pos_] != '"') return false;
        ++pos_;
        while (pos_ < s_.size()) {
            const char c = s_[pos_++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) return false;
            if (c == '\\') {
                if (pos_ >= s_.size()) return false;
                const char e = s_[pos_++];
                switch (e) {
                    case '"': case '\\': case '/': out += e; break;
                    case 'n': out += '\n'; break;
                    case 't': out += '\t'; break;
                    case 'r': out += '\r'; break;
                    case 'b': out += '\b'; break;
                    case 'f': out += '\f'; break;
                    case 'u':
                        // Control requests carry ASCII; keep the escape as text.
                        if (s_.size() - pos_ < 4) return false;
                        out += "\\u";
                        out += s_.substr(pos_, 4);
                        pos_ += 4;
                        break;
                    default: return false;
                }
            } else {
                out += c;
            }
        }
        return false;
    }
    bool value(json_value& v, int depth) {
        if (depth > 16) return false;
        ws();
        if (pos_ >= s_.size()) return false;
        const char c = s_[pos_];
        if (c == '{') {
            v.type = json_value::kind::object;
            ++pos_;
            ws();
            if (pos_ < s_.size() && s_[pos_] == '}') return ++pos_, true;
            for (;;) {
                ws();
                std::string key;
                if (!string(key)) return false;
                ws();
                if (pos_ >= s_.size() || s_[pos_++] != ':') return false;
                json_value member;
                if (!value(member, depth + 1)) return false;
                v.keys.push_back(std::move(key));
                v.values.push_back(std::move(member));
                ws();
                if (pos_ >= s_.size()) return false;
                if (s_[pos_] == ',') { ++pos_; continue; }
                if (s_[pos_] == '}') return ++pos_, true;
                return false;
            }
        }
        if (c == '[') {
            v.type = json_value::kind::array;
            ++pos_;
            ws();
            if (pos_ < s_.size() && s_[pos_] == ']') return ++pos_, true;
            for (;;) {
                json_value item;
                if (!value(item, depth + 1)) return false;
                v.items.push_back(std::move(item));
                ws();
                if (pos_ >= s_.size()) return false;
                if (s_[pos_] == ',') { ++pos_; continue; }
                if (s_[pos_] == ']') return ++pos_, true;
                return false;
            }
        }
        if (c == '"') {
            v.type = json_value::kind::string;
            return string(v.text);
        }
        if (literal("true")) return v.type = json_value::kind::boolean, v.flag = true, true;
        if (literal("false")) return v.type = json_value::kind::boolean, true;
        if (literal("null")) return v.type = json_value::kind::null, true;
        const std::size_t start = pos_;
        if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
        bool digits = false;
        while (pos_ < s_.size() && ((s_[pos_] >= '0' && s_[pos_] <= '9') || s_[pos_] == '.' || s_[pos_] == 'e' ||
                                    s_[pos_] == 'E' || s_[pos_] == '+' || s_[pos_] == '-')) {
            digits = true;
            ++pos_;
        }
        if (!digits) return false;
        v.type = json_value::kind::number;
        v.text = std::string(s_.substr(start, pos_ - start));
        return true;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

inline bool parse_json(std::string_view text, json_value& out) { return json_parser(text).parse(out); }

}  // namespace tradewire::sim::detail
