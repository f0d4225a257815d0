package io.vipflip.config;

import java.time.Duration;
import java.util.List;

/**
 * How nodes are health-checked: a TCP connect to every port; a node is UP for a round when all accept.
 *
 * @param interval time between probe rounds in the watch loop
 * @param fall     consecutive failed rounds before a node is DOWN
 * @param rise     consecutive good rounds before a node is UP
 * @param watch    true: probe every interval for the whole invocation; false: one burst of {@code fall} rounds
 */
public record ProbeSettings(List<Integer> ports, Duration timeout, Duration interval, int fall, int rise,
                            boolean watch) {
    public static final int DEFAULT_TIMEOUT_MILLIS = 300;
    public static final int DEFAULT_INTERVAL_MILLIS = 1000;
    public static final int DEFAULT_FALL = 3;
    public static final int DEFAULT_RISE = 2;

    public ProbeSettings {
        ports = List.copyOf(ports);
    }
}
