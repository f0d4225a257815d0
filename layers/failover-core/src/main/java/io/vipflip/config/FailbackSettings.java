package io.vipflip.config;

import java.time.Duration;

/** Automatic return to a higher-priority node once it has been healthy for {@code delay}; zero turns it off. */
public record FailbackSettings(Duration delay) {
    public boolean enabled() {
        return !delay.isZero();
    }
}
