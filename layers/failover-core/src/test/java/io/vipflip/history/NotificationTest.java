package io.vipflip.history;

import io.vipflip.policy.HistoryKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.route.RouteWriteOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NotificationTest {
    private static final Instant AT = Instant.parse("2026-11-25T10:00:01.234Z");

    @Test
    void aFlipSaysGroupFromToTriggerReasonTablesAndToken() {
        HistoryEvent flip = new HistoryEvent("web", AT, 12, HistoryKind.FLIP, "schedule", Optional.of("haproxy-a"),
                Optional.of("haproxy-b"), "haproxy-a is DOWN; haproxy-b is healthy", List.of(
                new RouteWriteOutcome("rtb-1", "192.168.100.10/32", "eni-b", "ReplaceRoute", true, Optional.empty(), Duration.ofMillis(40)),
                new RouteWriteOutcome("rtb-2", "192.168.100.10/32", "eni-b", "ReplaceRoute", false,
                        Optional.of("InternalError: An internal error has occurred"), Duration.ofMillis(90))),
                Map.of("lease", 5L, "writes", 90L));

        Notification n = Notification.of(flip);

        assertEquals("vipflip web: flip haproxy-a -> haproxy-b", n.subject());
        assertEquals("""
                group web: flip haproxy-a -> haproxy-b (token 12)
                trigger: schedule
                reason: haproxy-a is DOWN; haproxy-b is healthy
                at: 2026-11-25T10:00:01.234Z
                tables: rtb-1 ok, rtb-2 FAILED InternalError: An internal error has occurred
                timings ms: lease=5 writes=90
                """, n.body());
    }

    @Test
    void refusalsAndPausesReadShort() {
        HistoryEvent none = new HistoryEvent("web", AT, 3, HistoryKind.NO_HEALTHY_NODE, "schedule", Optional.of("haproxy-a"),
                Optional.empty(), "haproxy-a is DOWN and no other node is healthy; changing nothing", List.of(), Map.of());
        HistoryEvent pause = new HistoryEvent("web", AT, 4, HistoryKind.PAUSED, "manual:pause", Optional.empty(), Optional.empty(),
                "VPC maintenance", List.of(), Map.of());

        assertEquals("vipflip web: no-healthy-node", Notification.of(none).subject());
        assertEquals("vipflip web: paused", Notification.of(pause).subject());
        assertTrue(Notification.of(pause).body().contains("reason: VPC maintenance\n"));
    }

    @Test
    void subjectsStayWithinSnsRules_andBodiesCarryNoControlCharacters() {
        HistoryEvent odd = new HistoryEvent("web", AT, 5, HistoryKind.REFUSED, "manual:failover", Optional.of("a"),
                Optional.of("b→\nc" + "x".repeat(200)), "line1\nline2\u0007" + "r".repeat(1000), List.of(), Map.of());

        Notification n = Notification.of(odd);

        assertTrue(n.subject().length() < 100);
        assertTrue(n.subject().chars().allMatch(c -> c >= 32 && c < 127), n.subject());
        assertTrue(n.body().contains("reason: line1 line2 "), n.body());
        assertTrue(n.body().length() < 1000, "a payload of unknown size is clipped");
    }
}
