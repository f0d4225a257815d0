package io.vipflip.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipflip.policy.HistoryKind;
import io.vipflip.testing.LocalDynamo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * History reads back newest first on DynamoDB Local, however many digits each time has: Instant's own text drops a
 * zero fraction and prints 3, 6 or 9 digits, which sorted "…:00.5Z" before "…:00Z".
 */
class HistoryOrderIT {
    private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    private static HistoryEvent event(Instant at, long token) {
        return new HistoryEvent("web", at, token, HistoryKind.FLIP, "schedule", Optional.of("a"), Optional.of("b"),
                "a is DOWN", List.of(), Map.of());
    }

    @Test
    void eventsWithinOneSecond_readBackNewestFirst_whateverTheirPrecision() {
        DynamoGroupStateStore states = new DynamoGroupStateStore(LocalDynamo.client(), LocalDynamo.freshTable(),
                Duration.ofDays(1));
        List<Instant> written = List.of(T, T.plusMillis(500), T.plusNanos(123_456_000), T.plusNanos(123_456_789),
                T.plusSeconds(1), T.minusNanos(1));
        for (int i = 0; i < written.size(); i++) {
            states.recordAfterLeaseLost(event(written.get(i), i + 1));
        }

        List<Instant> read = states.history("web", 10).stream().map(HistoryEvent::at).toList();

        assertEquals(written.stream().sorted(java.util.Comparator.reverseOrder()).toList(), read);
    }

    @Test
    void eventsAtTheSameInstant_areOrderedByToken() {
        DynamoGroupStateStore states = new DynamoGroupStateStore(LocalDynamo.client(), LocalDynamo.freshTable(),
                Duration.ofDays(1));
        states.recordAfterLeaseLost(event(T, 9));
        states.recordAfterLeaseLost(event(T, 10));

        assertEquals(List.of(10L, 9L), states.history("web", 10).stream().map(HistoryEvent::token).toList());
    }
}
