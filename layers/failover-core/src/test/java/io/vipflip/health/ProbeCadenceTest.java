package io.vipflip.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipflip.config.ProbeSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** HAProxy's interval table: inter when steadily UP, fastinter in transition or unchecked, downinter when DOWN. */
class ProbeCadenceTest {
    private static final Duration INTER = Duration.ofMillis(1000);
    private static final Duration FAST = Duration.ofMillis(200);
    private static final Duration DOWN = Duration.ofMillis(3000);
    private static final ProbeSettings PROBE = new ProbeSettings(List.of(80), Duration.ofMillis(100), INTER, FAST, DOWN,
            3, 2, true, Optional.empty());
    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void steadilyUp_usesInter() {
        assertEquals(INTER, ProbeCadence.of(PROBE, after(NodeHealth.unknown(), true, true)));
    }

    @Test
    void upWithAFailedRound_goingDown_usesFastinter_untilItIsDown() {
        NodeHealth up = after(NodeHealth.unknown(), true, true);
        NodeHealth oneFailure = after(up, false);
        NodeHealth twoFailures = after(oneFailure, false);
        NodeHealth down = after(twoFailures, false);

        assertEquals(FAST, ProbeCadence.of(PROBE, oneFailure));
        assertEquals(FAST, ProbeCadence.of(PROBE, twoFailures));
        assertEquals(HealthState.DOWN, down.state(), "fall is still 3 rounds");
        assertEquals(DOWN, ProbeCadence.of(PROBE, down));
    }

    @Test
    void downWithAPassedRound_goingUp_usesFastinter() {
        NodeHealth down = after(NodeHealth.unknown(), false, false, false);
        NodeHealth rising = after(down, true);

        assertEquals(HealthState.DOWN, rising.state());
        assertEquals(FAST, ProbeCadence.of(PROBE, rising));
        assertEquals(INTER, ProbeCadence.of(PROBE, after(rising, true)), "rise 2: UP again");
    }

    @Test
    void unchecked_usesFastinter() {
        assertEquals(FAST, ProbeCadence.of(PROBE, NodeHealth.unknown()));
    }

    @Test
    void aGroupIsProbedAtTheShortestIntervalAnyOfItsNodesNeeds() {
        NodeHealth up = after(NodeHealth.unknown(), true, true);
        NodeHealth down = after(NodeHealth.unknown(), false, false, false);

        assertEquals(INTER, ProbeCadence.next(PROBE, group(up, up)));
        assertEquals(INTER, ProbeCadence.next(PROBE, group(up, down)), "a dead standby does not speed up the group");
        assertEquals(DOWN, ProbeCadence.next(PROBE, group(down, down)));
        assertEquals(FAST, ProbeCadence.next(PROBE, group(down, after(up, false))));
        assertEquals(INTER, ProbeCadence.next(PROBE, new GroupHealth(Map.of())));
    }

    private static GroupHealth group(NodeHealth a, NodeHealth b) {
        Map<String, NodeHealth> nodes = new LinkedHashMap<>();
        nodes.put("a", a);
        nodes.put("b", b);
        return new GroupHealth(nodes);
    }

    private static NodeHealth after(NodeHealth start, boolean... rounds) {
        NodeHealth health = start;
        for (boolean passed : rounds) {
            health = health.observe(passed, PROBE.rise(), PROBE.fall(), T);
        }
        return health;
    }
}
