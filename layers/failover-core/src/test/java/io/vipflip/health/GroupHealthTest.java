package io.vipflip.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a round picks the counters it builds on (moved here from the orchestrator). */
class GroupHealthTest {
    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

    private static NodeHealth up(Instant observed) {
        return new NodeHealth(HealthState.UP, 3, 0, Optional.of(T), Optional.of(observed));
    }

    @Test
    void withCountersOf_takesTheEarlierCountersForTheseNodesOnly() {
        GroupHealth fresh = GroupHealth.unknown(List.of("a", "b"));
        GroupHealth earlier = new GroupHealth(Map.of("a", up(T), "gone", up(T)));

        GroupHealth merged = fresh.withCountersOf(earlier);

        assertEquals(Map.of("a", up(T), "b", NodeHealth.unknown()), merged.nodes());
    }

    @Test
    void newestPerNode_keepsWhicheverWasObservedLast() {
        GroupHealth ours = new GroupHealth(Map.of("a", up(T.plusSeconds(5)), "b", up(T)));
        GroupHealth handed = new GroupHealth(Map.of("a", up(T), "b", up(T.plusSeconds(9))));

        GroupHealth newest = ours.newestPerNode(handed);

        assertEquals(up(T.plusSeconds(5)), newest.of("a"));
        assertEquals(up(T.plusSeconds(9)), newest.of("b"));
    }
}
