package io.vipflip.health;

import io.vipflip.config.ProbeSettings;
import java.time.Duration;

/**
 * When a group's next round is due, with HAProxy's semantics per node: {@code inter} while steadily UP,
 * {@code fastinter} while going DOWN (UP with failed rounds), going UP (DOWN with passed rounds) or not yet
 * known, {@code downinter} while steadily DOWN. A group's rounds probe all its nodes, so the shortest wins.
 * Detection of a dead node then takes the time to its first failed round plus (fall - 1) x fastinter; fall
 * itself is unchanged.
 */
public final class ProbeCadence {
    private ProbeCadence() {
    }

    public static Duration next(ProbeSettings probe, GroupHealth health) {
        return health.nodes().values().stream().map(node -> of(probe, node)).min(Duration::compareTo)
                .orElse(probe.interval());
    }

    static Duration of(ProbeSettings probe, NodeHealth node) {
        return switch (node.state()) {
            case UNKNOWN -> probe.fastInterval();
            case UP -> node.failures() > 0 ? probe.fastInterval() : probe.interval();
            case DOWN -> node.passes() > 0 ? probe.fastInterval() : probe.downInterval();
        };
    }
}
