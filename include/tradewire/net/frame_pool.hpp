// Immutable, reference-counted message buffers drawn from a pool: what the WebSocket
// server queues to its sessions. A broadcast builds its message once into a
// shared_frame, which also holds the frame's header as a server sends it (unmasked), so
// the whole frame is encoded once; every subscriber's send queue holds a reference to
// the same bytes and the server writes them as they are (several frames per system
// call). The last reference returns the block to the pool, so in steady state making
// and broadcasting messages allocates nothing.
//
//   net::frame_buffer b = pool.allocate(256);          // writable, owned by one
//   std::size_t n = render_json(b.data());             // write in place
//   net::shared_frame f = std::move(b).share(ws::opcode::text, n);  // frozen, shareable
//   server.broadcast(topic, f);
//
// Blocks come in power-of-two size classes from 64 bytes; a freed block waits in its
// class's free list for the next message of that size, up to max_idle_bytes in all
// (beyond that, and for blocks larger than max_pooled_size, memory goes back to the
// heap, so a burst of large messages does not pin memory for ever).
//
// Single-threaded, like the server that uses it: frames and the pool belong to one
// thread (or strand). Frames may outlive the pool object: its bookkeeping is freed
// when the pool and the last frame are both gone.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/ws/frame.hpp>
#include <tradewire/ws/opcode.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <string_view>
#include <utility>

namespace tradewire::net {

struct frame_pool_options {
    // Idle blocks kept for reuse, in bytes of capacity over all size classes.
    std::size_t max_idle_bytes = std::size_t{16} << 20;
    // Blocks above this size are never kept idle (still reference-counted and shared).
    std::size_t max_pooled_size = std::size_t{4} << 20;
};

namespace detail {

inline constexpr std::size_t frame_min_class_size = 64;
// Room before the payload for the largest unmasked header (2 + 8 bytes), rounded up.
inline constexpr std::size_t frame_header_room = 16;
inline constexpr std::size_t frame_class_count = 40;  // 64 B << 39: beyond any real message

struct frame_pool_state;

struct alignas(16) frame_block {
    std::uint32_t refs = 1;
    std::uint8_t size_class = 0;
    std::uint8_t header_size = 0;  // encoded header right before data(), once shared
    ws::opcode op = ws::opcode::binary;
    std::size_t size = 0;
    std::size_t capacity = 0;
    frame_pool_state* pool = nullptr;
    frame_block* next_free = nullptr;

    std::uint8_t* data() noexcept { return reinterpret_cast<std::uint8_t*>(this + 1) + frame_header_room; }
    const std::uint8_t* data() const noexcept {
        return reinterpret_cast<const std::uint8_t*>(this + 1) + frame_header_room;
    }

    // Writes the unmasked header of a final frame in front of the payload.
    void encode_header() noexcept {
        ws::frame_header h;
        h.fin = true;
        h.op = op;
        h.masked = false;
        h.payload_size = size;
        std::uint8_t tmp[ws::max_header_size];
        const std::size_t n = ws::write_frame_header(mutable_bytes(tmp, sizeof tmp), h);
        header_size = static_cast<std::uint8_t>(n);
        std::memcpy(data() - n, tmp, n);
    }
};

struct frame_pool_state {
    frame_pool_options options{};
    std::array<frame_block*, frame_class_count> free{};
    std::size_t idle_bytes = 0;
    std::size_t outstanding = 0;  // blocks handed out and not yet returned
    std::size_t heap_allocations = 0;
    bool pool_alive = true;

    static std::uint8_t class_of(std::size_t size) noexcept {
        std::uint8_t c = 0;
        std::size_t cap = frame_min_class_size;
        while (cap < size && std::size_t{c} + 1 < frame_class_count) {
            cap <<= 1;
            ++c;
        }
        return c;
    }

    frame_block* take(std::size_t size) noexcept {
        const std::uint8_t c = class_of(size);
        const std::size_t capacity = frame_min_class_size << c;
        if (capacity < size) return nullptr;  // beyond the largest class
        frame_block* b = free[c];
        if (b != nullptr) {
            free[c] = b->next_free;
            idle_bytes -= b->capacity;
        } else {
            void* raw = ::operator new(sizeof(frame_block) + frame_header_room + capacity,
                                       std::align_val_t{alignof(frame_block)}, std::nothrow);
            if (raw == nullptr) return nullptr;
            ++heap_allocations;
            b = ::new (raw) frame_block;
            b->capacity = capacity;
            b->size_class = c;
            b->pool = this;
        }
        b->refs = 1;
        b->header_size = 0;
        b->size = size;
        b->next_free = nullptr;
        ++outstanding;
        return b;
    }

    // A block whose last reference went away.
    void give_back(frame_block* b) noexcept {
        --outstanding;
        if (pool_alive && b->capacity <= options.max_pooled_size && idle_bytes + b->capacity <= options.max_idle_bytes) {
            b->next_free = free[b->size_class];
            free[b->size_class] = b;
            idle_bytes += b->capacity;
            return;
        }
        destroy(b);
        if (!pool_alive && outstanding == 0) delete this;
    }

    static void destroy(frame_block* b) noexcept {
        b->~frame_block();
        ::operator delete(static_cast<void*>(b), std::align_val_t{alignof(frame_block)});
    }

    void drop_idle() noexcept {
        for (frame_block*& head : free) {
            while (head != nullptr) {
                frame_block* next = head->next_free;
                destroy(head);
                head = next;
            }
        }
        idle_bytes = 0;
    }
};

inline void release_frame(frame_block* b) noexcept {
    if (b != nullptr && --b->refs == 0) b->pool->give_back(b);
}

}  // namespace detail

// A shared, immutable message: opcode and payload. Copying adds a reference.
class shared_frame {
public:
    shared_frame() noexcept = default;
    shared_frame(const shared_frame& other) noexcept : block_(other.block_) {
        if (block_ != nullptr) ++block_->refs;
    }
    shared_frame(shared_frame&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}
    shared_frame& operator=(const shared_frame& other) noexcept {
        shared_frame(other).swap(*this);
        return *this;
    }
    shared_frame& operator=(shared_frame&& other) noexcept {
        shared_frame(std::move(other)).swap(*this);
        return *this;
    }
    ~shared_frame() { detail::release_frame(block_); }

    void swap(shared_frame& other) noexcept { std::swap(block_, other.block_); }
    void reset() noexcept { detail::release_frame(std::exchange(block_, nullptr)); }

    explicit operator bool() const noexcept { return block_ != nullptr; }
    [[nodiscard]] ws::opcode op() const noexcept { return block_ ? block_->op : ws::opcode::binary; }
    [[nodiscard]] const_bytes payload() const noexcept {
        return block_ ? const_bytes(block_->data(), block_->size) : const_bytes{};
    }
    [[nodiscard]] std::string_view text() const noexcept { return as_text(payload()); }
    // The whole frame as a server sends it: FIN, opcode, length (unmasked), payload.
    [[nodiscard]] const_bytes wire() const noexcept {
        return block_ ? const_bytes(block_->data() - block_->header_size, block_->header_size + block_->size)
                      : const_bytes{};
    }
    [[nodiscard]] std::size_t size() const noexcept { return block_ ? block_->size : 0; }
    [[nodiscard]] std::uint32_t use_count() const noexcept { return block_ ? block_->refs : 0; }

private:
    friend class frame_buffer;
    explicit shared_frame(detail::frame_block* b) noexcept : block_(b) {}
    detail::frame_block* block_ = nullptr;
};

// A pooled buffer being filled by its only owner; share() freezes it into a shared_frame.
class frame_buffer {
public:
    frame_buffer() noexcept = default;
    frame_buffer(frame_buffer&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}
    frame_buffer& operator=(frame_buffer&& other) noexcept {
        if (this != &other) {
            detail::release_frame(block_);
            block_ = std::exchange(other.block_, nullptr);
        }
        return *this;
    }
    frame_buffer(const frame_buffer&) = delete;
    frame_buffer& operator=(const frame_buffer&) = delete;
    ~frame_buffer() { detail::release_frame(block_); }

    // False when the pool could not allocate (out of memory or an absurd size).
    explicit operator bool() const noexcept { return block_ != nullptr; }
    // The writable bytes: as many as were asked for.
    [[nodiscard]] mutable_bytes data() noexcept {
        return block_ ? mutable_bytes(block_->data(), block_->size) : mutable_bytes{};
    }
    [[nodiscard]] std::size_t size() const noexcept { return block_ ? block_->size : 0; }

    // Freezes the first `used` bytes (at most size()) as a message with opcode `op`.
    [[nodiscard]] shared_frame share(ws::opcode op, std::size_t used) && noexcept {
        if (block_ == nullptr) return {};
        block_->op = op;
        if (used < block_->size) block_->size = used;
        block_->encode_header();
        return shared_frame(std::exchange(block_, nullptr));
    }
    [[nodiscard]] shared_frame share(ws::opcode op) && noexcept {
        const std::size_t n = size();
        return std::move(*this).share(op, n);
    }

private:
    friend class frame_pool;
    explicit frame_buffer(detail::frame_block* b) noexcept : block_(b) {}
    detail::frame_block* block_ = nullptr;
};

class frame_pool {
public:
    frame_pool() : frame_pool(frame_pool_options{}) {}
    explicit frame_pool(const frame_pool_options& options) : state_(new detail::frame_pool_state) {
        state_->options = options;
    }
    frame_pool(const frame_pool&) = delete;
    frame_pool& operator=(const frame_pool&) = delete;
    ~frame_pool() {
        state_->drop_idle();
        state_->pool_alive = false;
        if (state_->outstanding == 0) delete state_;
    }

    // A writable buffer of `size` bytes (empty on allocation failure).
    [[nodiscard]] frame_buffer allocate(std::size_t size) noexcept { return frame_buffer(state_->take(size)); }

    // A message holding a copy of `payload` (empty on allocation failure).
    [[nodiscard]] shared_frame make(ws::opcode op, const_bytes payload) noexcept {
        frame_buffer b = allocate(payload.size());
        if (!b) return {};
        if (!payload.empty()) std::memcpy(b.data().data(), payload.data(), payload.size());
        return std::move(b).share(op);
    }
    [[nodiscard]] shared_frame make_text(std::string_view text) noexcept { return make(ws::opcode::text, as_bytes(text)); }
    [[nodiscard]] shared_frame make_binary(const_bytes data) noexcept { return make(ws::opcode::binary, data); }

    // Frames (and buffers) handed out and still referenced.
    [[nodiscard]] std::size_t outstanding() const noexcept { return state_->outstanding; }
    // Capacity kept idle for reuse.
    [[nodiscard]] std::size_t idle_bytes() const noexcept { return state_->idle_bytes; }
    // Blocks ever taken from the heap (a steady-state test expects this to stop growing).
    [[nodiscard]] std::size_t heap_allocations() const noexcept { return state_->heap_allocations; }
    // Returns idle blocks to the heap.
    void trim() noexcept { state_->drop_idle(); }

private:
    detail::frame_pool_state* state_;
};

}  // namespace tradewire::net
