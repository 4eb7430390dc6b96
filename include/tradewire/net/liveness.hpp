// Detection of half-open connections. A TCP connection whose peer vanished (power loss,
// a NAT that dropped its mapping, a cable pulled) looks exactly like a quiet one: no
// error arrives until the next write times out minutes later. A trading feed cannot wait
// that long, so the stream watches received data: after `idle_timeout` without a byte it
// sends a Ping, and if still nothing arrives within `ping_timeout` it fails the
// connection with net::error::liveness_timeout (a reconnecting client then dials again).
//
// liveness_monitor is the decision logic alone, fed with times, so it is tested without
// sockets or sleeps; ws_stream drives it with one timer that fires at most once per idle
// period while data flows (receiving only records a timestamp).
#pragma once

#include <chrono>

namespace tradewire::net {

struct liveness_options {
    // Nothing received for this long: send a Ping. Zero disables the check.
    std::chrono::steady_clock::duration idle_timeout{0};
    // After that Ping, nothing received for this long: fail the connection.
    std::chrono::steady_clock::duration ping_timeout = std::chrono::seconds(5);

    [[nodiscard]] bool enabled() const noexcept { return idle_timeout.count() > 0; }
};

class liveness_monitor {
public:
    using clock = std::chrono::steady_clock;
    using time_point = clock::time_point;

    enum class action {
        none,       // wait until deadline()
        send_ping,  // send a Ping now, then wait until deadline()
        fail,       // the peer is gone: fail the connection
    };

    liveness_monitor() noexcept = default;
    explicit liveness_monitor(const liveness_options& options) noexcept : options_(options) {}

    [[nodiscard]] const liveness_options& options() const noexcept { return options_; }
    [[nodiscard]] bool enabled() const noexcept { return options_.enabled(); }

    // The connection opened (or reopened) at `now`.
    void start(time_point now) noexcept {
        last_receive_ = now;
        ping_sent_ = false;
    }

    // Bytes arrived at `now` (any bytes: data, control frames, part of a frame).
    void on_receive(time_point now) noexcept { last_receive_ = now; }

    // When the timer should fire next. With a Ping out, the answer is looked for after
    // idle_timeout as well when the Ping may wait longer than that (a server that pings
    // every 20 s and cuts after a minute without a Pong): an answered Ping then starts the
    // next idle period at once instead of at the end of the long deadline.
    [[nodiscard]] time_point deadline() const noexcept {
        if (!ping_sent_) return last_receive_ + options_.idle_timeout;
        const time_point fail_at = ping_time_ + options_.ping_timeout;
        const time_point look_at = ping_time_ + options_.idle_timeout;
        return !answer_looked_for_ && look_at < fail_at ? look_at : fail_at;
    }

    // The timer fired at `now`.
    action on_deadline(time_point now) noexcept {
        if (ping_sent_) {
            if (last_receive_ >= ping_time_) {
                ping_sent_ = false;  // the peer answered (or sent something): back to watching
            } else if (now >= ping_time_ + options_.ping_timeout) {
                return action::fail;
            } else if (now >= ping_time_ + options_.idle_timeout) {
                answer_looked_for_ = true;  // not yet: wait for the full ping_timeout
            }
            return action::none;
        }
        if (now >= last_receive_ + options_.idle_timeout) {
            ping_sent_ = true;
            answer_looked_for_ = false;
            ping_time_ = now;
            return action::send_ping;
        }
        return action::none;
    }

    [[nodiscard]] bool ping_outstanding() const noexcept { return ping_sent_; }

private:
    liveness_options options_{};
    time_point last_receive_{};
    time_point ping_time_{};
    bool ping_sent_ = false;
    bool answer_looked_for_ = false;  // the early look for the answer (see deadline()) is done
};

}  // namespace tradewire::net
