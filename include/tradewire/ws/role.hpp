// Endpoint roles (RFC 6455 §5.1, §5.3). A client masks every frame it sends with a
// fresh key and must fail on a masked frame from the server; a server sends unmasked
// frames and must fail on an unmasked frame from a client. The role is a policy of the
// message reader and the frame writer, checked by the `role` concept; the client's key
// source is itself a policy (any tradewire::random_source).
#pragma once

#include <tradewire/core/random.hpp>

#include <concepts>
#include <cstdint>
#include <type_traits>
#include <utility>

namespace tradewire::ws {

// A role says whether received frames must be masked and whether sent frames are; a
// role that sends masked frames supplies one fresh 32-bit key per frame.
template <class R>
concept role = requires {
    { R::receives_masked } -> std::convertible_to<bool>;
    { R::sends_masked } -> std::convertible_to<bool>;
    requires R::receives_masked != R::sends_masked;
} && (!R::sends_masked || requires(R& r) {
    { r.next_mask_key() } -> std::same_as<std::uint32_t>;
});

template <random_source Random = default_random>
class basic_client_role {
public:
    static constexpr bool receives_masked = false;  // a masked frame from the server is an error
    static constexpr bool sends_masked = true;

    basic_client_role() = default;
    explicit basic_client_role(Random random) noexcept(std::is_nothrow_move_constructible_v<Random>)
        : random_(std::move(random)) {}

    std::uint32_t next_mask_key() noexcept(noexcept(std::declval<Random&>().next())) {
        // A 64-bit source gives its high half: xoshiro256**'s strongest bits.
        if constexpr (sizeof(decltype(random_.next())) == 8) {
            return static_cast<std::uint32_t>(random_.next() >> 32);
        } else {
            return static_cast<std::uint32_t>(random_.next());
        }
    }

    Random& random() noexcept { return random_; }

private:
    Random random_;
};

using client_role = basic_client_role<>;

struct server_role {
    static constexpr bool receives_masked = true;  // an unmasked frame from a client is an error
    static constexpr bool sends_masked = false;
};

static_assert(role<client_role>);
static_assert(role<server_role>);

}  // namespace tradewire::ws
