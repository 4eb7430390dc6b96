// A slot for one suspended composed operation. The WebSocket stream has a single write
// side shared by the caller's writes and by frames the stream sends on its own (a Pong
// answering a Ping, the Close reply, a liveness Ping); an operation that finds it busy
// parks here and is resumed (posted through its own executor) when it is its turn.
//
// The operation is stored in place when it fits (every handler tradewire's tests and
// tools use does), so parking allocates nothing; a larger one goes to the heap.
#pragma once

#include <asio/post.hpp>

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace tradewire::net::detail {

class parked_op {
public:
    static constexpr std::size_t inline_size = 320;

    parked_op() noexcept = default;
    parked_op(const parked_op&) = delete;
    parked_op& operator=(const parked_op&) = delete;
    ~parked_op() { reset(); }

    explicit operator bool() const noexcept { return object_ != nullptr; }

    // Takes the operation; the slot must be empty.
    template <class Op>
    void park(Op&& op) {
        using T = std::decay_t<Op>;
        if constexpr (fits<T>) {
            object_ = ::new (static_cast<void*>(storage_)) T(std::forward<Op>(op));
        } else {
            object_ = new T(std::forward<Op>(op));
        }
        resume_ = [](parked_op& slot) {
            T* stored = static_cast<T*>(slot.object_);
            T resumed(std::move(*stored));
            slot.destroy_object<T>(stored);
            asio::post(std::move(resumed));  // re-enters the operation with no arguments
        };
        discard_ = [](parked_op& slot) { slot.destroy_object<T>(static_cast<T*>(slot.object_)); };
    }

    // Posts the parked operation to its executor; the slot is empty afterwards (and may
    // take another operation before the posted one runs).
    void resume() {
        if (object_) resume_(*this);
    }

    // Destroys the parked operation without running it (the stream is going away).
    void reset() noexcept {
        if (object_) discard_(*this);
    }

private:
    template <class T>
    static constexpr bool fits = sizeof(T) <= inline_size && alignof(T) <= alignof(std::max_align_t);

    template <class T>
    void destroy_object(T* p) noexcept {
        if constexpr (fits<T>) {
            p->~T();
        } else {
            delete p;
        }
        object_ = nullptr;
        resume_ = nullptr;
        discard_ = nullptr;
    }

    alignas(std::max_align_t) unsigned char storage_[inline_size];
    void* object_ = nullptr;
    void (*resume_)(parked_op&) = nullptr;
    void (*discard_)(parked_op&) = nullptr;
};

}  // namespace tradewire::net::detail
