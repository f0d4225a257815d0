package io.vipflip.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vipflip.probe.NodeProbe;
import io.vipflip.probe.PortResult;
import io.vipflip.probe.ProbeRound;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeHealthTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    /** Feeds a pass/fail sequence (1 = passed) and returns the state after each round. */
    private static List<HealthState> run(String sequence, int rise, int fall) {
        NodeHealth health = NodeHealth.unknown();
        List<HealthState> states = new ArrayList<>();
        for (int i = 0; i < sequence.length(); i++) {
            health = health.observe(sequence.charAt(i) == '1', rise, fall, T0.plusSeconds(i));
            states.add(health.state());
        }
        return states;
    }

    @Test
    void startsUnknown_andNeedsRisePassesToBeUp() {
        assertEquals(List.of(HealthState.UNKNOWN, HealthState.UP, HealthState.UP), run("111", 2, 3));
    }

    @Test
    void needsFallConsecutiveFailuresToGoDown() {
        assertEquals(List.of(HealthState.UNKNOWN, HealthState.UP, HealthState.UP, HealthState.UP, HealthState.DOWN),
                run("11000", 2, 3));
    }

    @Test
    void aPassBetweenFailuresResetsTheFallCount() {
        assertEquals(HealthState.UP, run("11001001", 2, 3).getLast());
        assertEquals(HealthState.DOWN, run("110010001", 2, 3).get(7));
    }

    @Test
    void aDownNodeNeedsRiseConsecutivePassesToComeBack() {
        List<HealthState> states = run("000101011", 2, 3);
        assertEquals(HealthState.DOWN, states.get(2));
        assertEquals(HealthState.DOWN, states.get(6));
        assertEquals(HealthState.UP, states.get(8));
    }

    @Test
    void riseAndFallOfOneFollowEveryRound() {
        assertEquals(List.of(HealthState.UP, HealthState.DOWN, HealthState.UP), run("101", 1, 1));
    }

    @Test
    void upSinceIsWhenTheNodeBecameUp_notTheLatestRound() {
        NodeHealth health = NodeHealth.unknown();
        for (int i = 0; i < 5; i++) {
            health = health.observe(true, 2, 3, T0.plusSeconds(i));
        }
        assertEquals(Optional.of(T0.plusSeconds(1)), health.upSince());
    }

    @Test
    void groupHealthReportsEachTransitionWithItsReason() {
        GroupHealth health = GroupHealth.unknown(List.of("a", "b"));
        ProbeRound bothUp = round(true, true);
        ProbeRound aDown = round(false, true);

        GroupHealth.Update update = health.observe(bothUp, 1, 2, T0);
        assertEquals(2, update.transitions().size());
        update = update.health().observe(aDown, 1, 2, T0.plusSeconds(1));
        assertEquals(List.of(), update.transitions());
        update = update.health().observe(aDown, 1, 2, T0.plusSeconds(2));

        HealthTransition down = update.transitions().getFirst();
        assertEquals("a", down.node());
        assertEquals(HealthState.UP, down.from());
        assertEquals(HealthState.DOWN, down.to());
        assertEquals(true, down.why().contains("2 consecutive failed rounds"), down.why());
    }

    @Test
    void staleCountersAreForgotten() {
        GroupHealth health = GroupHealth.unknown(List.of("a", "b")).observe(round(true, true), 1, 2, T0).health();

        GroupHealth later = health.withoutStale(T0.plusSeconds(10), Duration.ofSeconds(3));

        assertEquals(HealthState.UP, health.of("a").state());
        assertEquals(HealthState.UNKNOWN, later.of("a").state());
    }

    @Test
    void anIllegalTransitionIsRejected() {
        assertThrows(HealthTransition.IllegalHealthTransitionException.class,
                () -> new HealthTransition("a", HealthState.UP, HealthState.UP, T0, "no change"));
        assertThrows(HealthTransition.IllegalHealthTransitionException.class,
                () -> new HealthTransition("a", HealthState.UNKNOWN, HealthState.UNKNOWN, T0, "no change"));
        assertThrows(HealthTransition.IllegalHealthTransitionException.class,
                () -> new HealthTransition("a", HealthState.DOWN, HealthState.DOWN, T0, "no change"));
        for (HealthState to : List.of(HealthState.UP, HealthState.DOWN)) {
            assertEquals(to, new HealthTransition("a", HealthState.UNKNOWN, to, T0, "first verdict").to());
        }
        assertEquals(HealthState.UNKNOWN, new HealthTransition("a", HealthState.DOWN, HealthState.UNKNOWN, T0, "stale").to());
    }

    @Test
    void aNodeMissingFromTheRound_countsAsFailed_andSaysItWasNotProbed() {
        GroupHealth health = GroupHealth.unknown(List.of("a", "b")).observe(round(true, true), 1, 1, T0).health();
        ProbeRound onlyB = new ProbeRound(Map.of("b", new NodeProbe("b", List.of(PortResult.open(80, Duration.ofMillis(1))))));

        GroupHealth.Update update = health.observe(onlyB, 1, 1, T0.plusSeconds(1));

        assertEquals(HealthState.DOWN, update.health().of("a").state());
        assertEquals(HealthState.UP, update.health().of("b").state());
        assertEquals(1, update.transitions().size());
        assertEquals(true, update.transitions().getFirst().why().endsWith("not probed"), update.transitions().toString());
    }

    @Test
    void forceDown_marksTheNodeDownAtOnce_withOneTransition_andNoneWhenAlreadyDown() {
        GroupHealth health = GroupHealth.unknown(List.of("a", "b")).observe(round(true, true), 1, 3, T0).health();

        GroupHealth.Update stopped = health.forceDown("a", T0.plusSeconds(1), "instance stopping");

        assertEquals(HealthState.DOWN, stopped.health().of("a").state());
        assertEquals(Optional.of(T0.plusSeconds(1)), stopped.health().of("a").observedAt());
        assertEquals(HealthState.UP, stopped.health().of("b").state(), "the others are untouched");
        assertEquals(List.of(new HealthTransition("a", HealthState.UP, HealthState.DOWN, T0.plusSeconds(1),
                "instance stopping")), stopped.transitions());
        assertEquals(List.of(), stopped.health().forceDown("a", T0.plusSeconds(2), "again").transitions());
        assertEquals(HealthState.DOWN, stopped.health().forceDown("a", T0.plusSeconds(2), "again").health().of("a").state());
    }

    private static ProbeRound round(boolean a, boolean b) {
        return new ProbeRound(Map.of(
                "a", new NodeProbe("a", List.of(a ? PortResult.open(80, Duration.ofMillis(1))
                        : PortResult.failed(80, Duration.ofMillis(1), "refused"))),
                "b", new NodeProbe("b", List.of(b ? PortResult.open(80, Duration.ofMillis(1))
                        : PortResult.failed(80, Duration.ofMillis(1), "refused")))));
    }
}
