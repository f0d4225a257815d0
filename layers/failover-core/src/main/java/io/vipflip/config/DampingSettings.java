package io.vipflip.config;

import java.time.Duration;

/** Limits on automatic flips, so a flapping node cannot make the VIP bounce. Manual failovers are not damped. */
public record DampingSettings(Duration minTimeBetweenFlips, int maxFlipsPerHour) {
}
