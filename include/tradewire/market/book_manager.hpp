// book_manager: the synced books of one venue connection, keyed by symbol.
//
// A flat map (sorted symbols, books behind stable pointers): adding a book allocates,
// routing a message does not. The venue adapter hands every book event to it and gets
// the book's sync_result back; a problem in one book (gap, checksum mismatch) resyncs
// that book alone while the others keep flowing.
#pragma once

#include <tradewire/core/symbol.hpp>
#include <tradewire/market/error.hpp>
#include <tradewire/market/events.hpp>
#include <tradewire/market/synced_book.hpp>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace tradewire::market {

template <book_sync_policy Sync, book_checksum Checksum = no_checksum>
class book_manager {
public:
    using book_type = synced_book<Sync, Checksum>;

    // `defaults` and `prototype` configure books created by add(symbol).
    explicit book_manager(const book_sync_options& defaults = {}, Sync prototype = Sync{},
                          Checksum checksum = Checksum{})
        : defaults_(defaults), prototype_(std::move(prototype)), checksum_(std::move(checksum)) {}

    // The book for `s`, created with the default options if absent.
    book_type& add(const symbol& s) { return add(s, defaults_); }

    book_type& add(const symbol& s, const book_sync_options& options) {
        const auto it = std::lower_bound(keys_.begin(), keys_.end(), s);
        const auto i = static_cast<std::size_t>(it - keys_.begin());
        if (it != keys_.end() && *it == s) return *books_[i];
        keys_.insert(it, s);
        books_.insert(books_.begin() + static_cast<std::ptrdiff_t>(i),
                      std::make_unique<book_type>(options, prototype_, checksum_));
        last_ = i;
        return *books_[i];
    }

    bool remove(const symbol& s) {
        const std::size_t i = index_of(s);
        if (i == npos) return false;
        keys_.erase(keys_.begin() + static_cast<std::ptrdiff_t>(i));
        books_.erase(books_.begin() + static_cast<std::ptrdiff_t>(i));
        last_ = 0;
        return true;
    }

    book_type* find(const symbol& s) noexcept {
        const std::size_t i = index_of(s);
        return i == npos ? nullptr : books_[i].get();
    }
    const book_type* find(const symbol& s) const noexcept {
        const std::size_t i = index_of(s);
        return i == npos ? nullptr : books_[i].get();
    }

    // Routes an event to its book; error::unknown_book (ignored) when none is kept.
    sync_result on_snapshot(const book_snapshot& e) {
        if (book_type* b = find(e.symbol)) return b->on_snapshot(e);
        return unknown();
    }
    sync_result on_delta(const book_delta& e) {
        if (book_type* b = find(e.symbol)) return b->on_delta(e);
        return unknown();
    }

    // Every book out of sync (e.g. the connection dropped): each needs a new snapshot.
    void request_resync_all(std::error_code reason = error::resync_requested) {
        for (auto& b : books_) b->request_resync(reason);
    }

    std::size_t size() const noexcept { return keys_.size(); }
    bool empty() const noexcept { return keys_.empty(); }
    const symbol& symbol_at(std::size_t i) const noexcept { return keys_[i]; }
    book_type& book_at(std::size_t i) noexcept { return *books_[i]; }
    const book_type& book_at(std::size_t i) const noexcept { return *books_[i]; }

    // Calls f(symbol, book) for each book, in symbol order.
    template <class F>
    void for_each(F&& f) {
        for (std::size_t i = 0; i < keys_.size(); ++i) f(std::as_const(keys_[i]), *books_[i]);
    }

private:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    static sync_result unknown() noexcept {
        sync_result r;
        r.reason = error::unknown_book;
        return r;
    }

    std::size_t index_of(const symbol& s) const noexcept {
        // Streams tend to repeat a symbol: try the last hit first.
        if (last_ < keys_.size() && keys_[last_] == s) return last_;
        const auto it = std::lower_bound(keys_.begin(), keys_.end(), s);
        if (it == keys_.end() || !(*it == s)) return npos;
        last_ = static_cast<std::size_t>(it - keys_.begin());
        return last_;
    }

    book_sync_options defaults_;
    Sync prototype_;
    Checksum checksum_;
    std::vector<symbol> keys_;
    std::vector<std::unique_ptr<book_type>> books_;
    mutable std::size_t last_ = 0;
};

}  // namespace tradewire::market
