package io.vipflip.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The hand-off's timing rules (issue 13 §1): a successor waits for at least two of the owner's looks before taking
 * over without a hand-over, and an owner is called gone only after two missed heartbeats — at exactly two, allowed.
 */
class WatcherTurnSettingsTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    private static WatcherTurn.Settings settings(Duration checkEvery, Duration relieveWait, Duration heartbeatEvery,
                                                 Duration staleAfter) {
        return new WatcherTurn.Settings(checkEvery, Duration.ofMillis(100), relieveWait, heartbeatEvery, staleAfter);
    }

    @Test
    void exactlyTwoLooksAndTwoHeartbeats_areEnough() {
        WatcherTurn.Settings edge = settings(SECOND, SECOND.multipliedBy(2), SECOND.multipliedBy(10),
                SECOND.multipliedBy(20));

        assertEquals(SECOND.multipliedBy(2), edge.relieveWait());
        assertEquals(SECOND.multipliedBy(20), edge.staleAfter());
    }

    @Test
    void aRelieveWaitShorterThanTwoLooks_isRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> settings(SECOND, Duration.ofMillis(1_999), SECOND.multipliedBy(10), SECOND.multipliedBy(30)));

        assertEquals("relieveWait must cover at least two of the owner's checks", refused.getMessage());
    }

    @Test
    void aStaleAfterShorterThanTwoHeartbeats_isRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> settings(SECOND, SECOND.multipliedBy(5), SECOND.multipliedBy(10), Duration.ofMillis(19_999)));

        assertEquals("staleAfter must cover at least two heartbeats", refused.getMessage());
    }
}
