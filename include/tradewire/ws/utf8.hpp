// Incremental UTF-8 validation for text messages (RFC 6455 §8.1, RFC 3629). A code point
// may be split across frames and across socket reads, so the validator carries its state
// from one chunk to the next and fails at the first byte that cannot continue a valid
// sequence: overlong forms, UTF-16 surrogates (U+D800-U+DFFF), code points above
// U+10FFFF, and the bytes C0, C1 and F5-FF. finish() catches a sequence truncated by the
// end of the message. Runs of ASCII, the bulk of exchange JSON, are skipped 32 and 8
// bytes at a time.
#pragma once

#include <tradewire/core/bytes.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string_view>

namespace tradewire::ws {

namespace detail {

// A deterministic automaton over byte classes. Multi-byte sequences are validated by
// narrowing the allowed range of the byte after the lead (E0, ED, F0 and F4 are the
// leads whose second byte range excludes overlongs, surrogates or > U+10FFFF).
// States.
inline constexpr std::uint8_t utf8_accept = 0;
inline constexpr std::uint8_t utf8_reject = 1;
inline constexpr std::uint8_t utf8_tail1 = 2;  // one continuation byte (80-BF) left
inline constexpr std::uint8_t utf8_tail2 = 3;  // two left
inline constexpr std::uint8_t utf8_tail3 = 4;  // three left
inline constexpr std::uint8_t utf8_e0 = 5;     // after E0: A0-BF, then one more
inline constexpr std::uint8_t utf8_ed = 6;     // after ED: 80-9F (no surrogates), then one more
inline constexpr std::uint8_t utf8_f0 = 7;     // after F0: 90-BF, then two more
inline constexpr std::uint8_t utf8_f4 = 8;     // after F4: 80-8F (<= U+10FFFF), then two more
inline constexpr std::size_t utf8_state_count = 9;

// Byte classes.
inline constexpr std::uint8_t cls_ascii = 0;   // 00-7F
inline constexpr std::uint8_t cls_c80 = 1;     // 80-8F
inline constexpr std::uint8_t cls_c90 = 2;     // 90-9F
inline constexpr std::uint8_t cls_ca0 = 3;     // A0-BF
inline constexpr std::uint8_t cls_bad = 4;     // C0, C1, F5-FF
inline constexpr std::uint8_t cls_lead2 = 5;   // C2-DF
inline constexpr std::uint8_t cls_e0 = 6;      // E0
inline constexpr std::uint8_t cls_lead3 = 7;   // E1-EC, EE, EF
inline constexpr std::uint8_t cls_ed = 8;      // ED
inline constexpr std::uint8_t cls_f0 = 9;      // F0
inline constexpr std::uint8_t cls_lead4 = 10;  // F1-F3
inline constexpr std::uint8_t cls_f4 = 11;     // F4
inline constexpr std::size_t utf8_class_count = 12;

constexpr std::array<std::uint8_t, 256> make_utf8_classes() noexcept {
    std::array<std::uint8_t, 256> c{};
    for (int b = 0; b < 256; ++b) {
        std::uint8_t k = cls_bad;
        if (b < 0x80) k = cls_ascii;
        else if (b < 0x90) k = cls_c80;
        else if (b < 0xA0) k = cls_c90;
        else if (b < 0xC0) k = cls_ca0;
        else if (b < 0xC2) k = cls_bad;
        else if (b < 0xE0) k = cls_lead2;
        else if (b == 0xE0) k = cls_e0;
        else if (b == 0xED) k = cls_ed;
        else if (b < 0xF0) k = cls_lead3;
        else if (b == 0xF0) k = cls_f0;
        else if (b < 0xF4) k = cls_lead4;
        else if (b == 0xF4) k = cls_f4;
        c[static_cast<std::size_t>(b)] = k;
    }
    return c;
}

constexpr std::array<std::uint8_t, utf8_state_count * utf8_class_count> make_utf8_transitions() noexcept {
    std::array<std::uint8_t, utf8_state_count * utf8_class_count> t{};
    for (auto& entry : t) entry = utf8_reject;
    const auto set = [&t](std::uint8_t state, std::uint8_t cls, std::uint8_t next) {
        t[state * utf8_class_count + cls] = next;
    };
    set(utf8_accept, cls_ascii, utf8_accept);
    set(utf8_accept, cls_lead2, utf8_tail1);
    set(utf8_accept, cls_e0, utf8_e0);
    set(utf8_accept, cls_lead3, utf8_tail2);
    set(utf8_accept, cls_ed, utf8_ed);
    set(utf8_accept, cls_f0, utf8_f0);
    set(utf8_accept, cls_lead4, utf8_tail3);
    set(utf8_accept, cls_f4, utf8_f4);
    for (const std::uint8_t cont : {cls_c80, cls_c90, cls_ca0}) {
        set(utf8_tail1, cont, utf8_accept);
        set(utf8_tail2, cont, utf8_tail1);
        set(utf8_tail3, cont, utf8_tail2);
    }
    set(utf8_e0, cls_ca0, utf8_tail1);
    set(utf8_ed, cls_c80, utf8_tail1);
    set(utf8_ed, cls_c90, utf8_tail1);
    set(utf8_f0, cls_c90, utf8_tail2);
    set(utf8_f0, cls_ca0, utf8_tail2);
    set(utf8_f4, cls_c80, utf8_tail2);
    return t;
}

inline constexpr std::array<std::uint8_t, 256> utf8_classes = make_utf8_classes();
inline constexpr std::array<std::uint8_t, utf8_state_count * utf8_class_count> utf8_transitions =
    make_utf8_transitions();

inline constexpr std::uint64_t high_bits = 0x8080808080808080ULL;

inline std::uint64_t load64(const std::uint8_t* p) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
}

// Returns a pointer to the first non-ASCII byte in [p, end), or end.
inline const std::uint8_t* skip_ascii(const std::uint8_t* p, const std::uint8_t* end) noexcept {
    while (end - p >= 32) {
        if (((load64(p) | load64(p + 8) | load64(p + 16) | load64(p + 24)) & high_bits) != 0) break;
        p += 32;
    }
    while (end - p >= 8) {
        const std::uint64_t high = load64(p) & high_bits;
        if (high != 0) {
            if constexpr (std::endian::native == std::endian::little) {
                return p + static_cast<std::size_t>(std::countr_zero(high)) / 8;
            } else {
                return p + static_cast<std::size_t>(std::countl_zero(high)) / 8;
            }
        }
        p += 8;
    }
    while (p != end && *p < 0x80) ++p;
    return p;
}

}  // namespace detail

class utf8_validator {
public:
    // Validates the next chunk. Returns false at the first invalid byte; once failed, it
    // stays failed until reset().
    bool feed(const_bytes chunk) noexcept {
        const std::uint8_t* p = chunk.data();
        const std::uint8_t* const end = p + chunk.size();
        std::uint8_t state = state_;
        if (state == detail::utf8_reject) return false;
        while (p != end) {
            if (state == detail::utf8_accept) {
                p = detail::skip_ascii(p, end);
                if (p == end) break;
            }
            state = detail::utf8_transitions[static_cast<std::size_t>(state) * detail::utf8_class_count +
                                             detail::utf8_classes[*p++]];
            if (state == detail::utf8_reject) break;
        }
        state_ = state;
        return state != detail::utf8_reject;
    }

    bool feed(std::string_view chunk) noexcept { return feed(as_bytes(chunk)); }

    // True when everything fed so far is valid and ends on a code point boundary: call it
    // at the end of a message to reject a truncated sequence.
    [[nodiscard]] bool finish() const noexcept { return state_ == detail::utf8_accept; }

    [[nodiscard]] bool failed() const noexcept { return state_ == detail::utf8_reject; }

    void reset() noexcept { state_ = detail::utf8_accept; }

private:
    std::uint8_t state_ = detail::utf8_accept;
};

// One-shot validation of a complete text.
inline bool is_valid_utf8(const_bytes text) noexcept {
    utf8_validator v;
    return v.feed(text) && v.finish();
}

inline bool is_valid_utf8(std::string_view text) noexcept { return is_valid_utf8(as_bytes(text)); }

}  // namespace tradewire::ws
