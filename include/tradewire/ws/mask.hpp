// Payload masking (RFC 6455 §5.3): XOR with a 4-byte key, applied in place. The same call
// masks (client, before sending) and unmasks (server, after receiving). Because it can
// start at any byte offset of the payload, a payload that arrives split across several
// socket reads is unmasked piece by piece without waiting for the whole frame.
//
// On x86-64 the kernel is AVX2 when the compiler targets it (-mavx2, -march=native) and
// otherwise chosen once at run time (AVX2 if the CPU has it, else SSE2); other CPUs use a
// 64-bit word loop. All paths give identical results.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/ws/detail/mask.hpp>

#include <cstdint>

namespace tradewire::ws {

// XORs `data` with `key` (the 4 key bytes as on the wire, big-endian: bytes 37 fa 21 3d
// are key 0x37fa213d) as if `data` began `offset` bytes into the payload.
inline void apply_mask(mutable_bytes data, std::uint32_t key, std::uint64_t offset = 0) noexcept {
    if (data.empty()) return;
    detail::mask_dispatch(data.data(), data.size(), detail::mask_pattern(key, offset));
}

}  // namespace tradewire::ws
