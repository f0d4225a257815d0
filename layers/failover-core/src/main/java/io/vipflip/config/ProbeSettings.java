package io.vipflip.config;

import io.vipflip.probe.HttpCheck;
import io.vipflip.probe.ProbeTarget;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How nodes are health-checked: a TCP connect to every port (and an optional HTTP check on one of them); a node is
 * UP for a round when all pass. Intervals follow HAProxy's {@code inter}/{@code fastinter}/{@code downinter}
 * (see {@link io.vipflip.health.ProbeCadence}).
 *
 * @param interval     time between rounds while every node is steadily UP ({@code inter})
 * @param fastInterval time between rounds while a node is on its way UP or DOWN, or not yet known ({@code fastinter})
 * @param downInterval time between rounds while a node is steadily DOWN ({@code downinter})
 * @param fall         consecutive failed rounds before a node is DOWN
 * @param rise         consecutive good rounds before a node is UP
 * @param watch        true: probe for the whole invocation; false: one burst of {@code fall} rounds
 */
public record ProbeSettings(List<Integer> ports, Duration timeout, Duration interval, Duration fastInterval,
                            Duration downInterval, int fall, int rise, boolean watch, Optional<HttpCheck> http) {
    public static final int DEFAULT_TIMEOUT_MILLIS = 300;
    public static final int DEFAULT_INTERVAL_MILLIS = 500;
    public static final int DEFAULT_FAST_INTERVAL_MILLIS = 200;
    public static final int DEFAULT_FALL = 3;
    public static final int DEFAULT_RISE = 2;

    public ProbeSettings {
        ports = List.copyOf(ports);
    }

    /** What to probe on a node at {@code address}: every port, and the HTTP check if the group has one. */
    public ProbeTarget target(String node, String address) {
        return new ProbeTarget(node, address, ports, http);
    }

    /** Settings without adaptive intervals (fastinter = downinter = inter, HAProxy's default) or HTTP check. */
    public ProbeSettings(List<Integer> ports, Duration timeout, Duration interval, int fall, int rise, boolean watch) {
        this(ports, timeout, interval, interval, interval, fall, rise, watch, Optional.empty());
    }
}
