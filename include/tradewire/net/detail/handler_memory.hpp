// Memory for the socket operations a stream starts, reused from one message to the next.
//
// Asio allocates every pending operation (a read_some, a write_some, a post) through the
// handler's associated allocator. For the default allocator it recycles blocks through a
// small per-thread cache (two per purpose by default): enough for one sequential
// connection, not for a full-duplex client and the server it talks to on the same
// thread, where every message then costs a malloc (measured: four or five). So the
// stream binds its own allocator to the operations it starts: one slot per side (read,
// write), since each side has at most one operation pending at any time. A slot grows
// to the largest operation it has seen and is reused from then on; a request that finds
// its slot busy (which the stream's own sequencing prevents) falls back to the heap.
//
// The slot's bookkeeping lives in a small block of its own, freed by whichever goes last:
// the stream, or an operation still pending when the stream went away (Asio destroys a
// pending operation's handler, which may release the stream, before it returns the
// operation's memory).
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>

namespace tradewire::net::detail {

class handler_slot {
public:
    handler_slot() : block_(new block) {}
    handler_slot(const handler_slot&) = delete;
    handler_slot& operator=(const handler_slot&) = delete;
    ~handler_slot() {
        block_->owner_alive = false;
        if (!block_->in_use) release(block_);
    }

    struct block {
        void* memory = nullptr;
        std::size_t size = 0;
        bool in_use = false;
        bool owner_alive = true;
    };

    block* get() const noexcept { return block_; }

    static void* allocate(block* b, std::size_t n) {
        if (!b->in_use) {
            if (b->size < n) {
                ::operator delete (b->memory, std::align_val_t{alignment});
                b->memory = nullptr;
                b->size = 0;
                b->memory = ::operator new (n, std::align_val_t{alignment});
                b->size = n;
            }
            b->in_use = true;
            return b->memory;
        }
        return ::operator new (n, std::align_val_t{alignment});
    }

    static void deallocate(block* b, void* p) noexcept {
        if (p == b->memory && b->in_use) {
            b->in_use = false;
            if (!b->owner_alive) release(b);
            return;
        }
        ::operator delete (p, std::align_val_t{alignment});
    }

    // Every Asio operation is aligned for max_align_t at most; a cache line keeps the
    // slot's hot bytes to themselves.
    static constexpr std::size_t alignment = 64;

private:
    static void release(block* b) noexcept {
        ::operator delete (b->memory, std::align_val_t{alignment});
        delete b;
    }

    block* block_;
};

template <class T>
class slot_allocator {
public:
    using value_type = T;

    explicit slot_allocator(handler_slot& slot) noexcept : block_(slot.get()) {}
    template <class U>
    slot_allocator(const slot_allocator<U>& other) noexcept : block_(other.block_) {}

    T* allocate(std::size_t n) {
        static_assert(alignof(T) <= handler_slot::alignment, "over-aligned operation");
        return static_cast<T*>(handler_slot::allocate(block_, sizeof(T) * n));
    }
    void deallocate(T* p, std::size_t) noexcept { handler_slot::deallocate(block_, p); }

    template <class U>
    bool operator==(const slot_allocator<U>& other) const noexcept {
        return block_ == other.block_;
    }
    template <class U>
    bool operator!=(const slot_allocator<U>& other) const noexcept {
        return block_ != other.block_;
    }

private:
    template <class U>
    friend class slot_allocator;
    handler_slot::block* block_;
};

}  // namespace tradewire::net::detail
