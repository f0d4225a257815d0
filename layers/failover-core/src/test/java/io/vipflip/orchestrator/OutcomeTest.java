package io.vipflip.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** An operator's answer says whether what was asked is done; an answer from a newer version names unknown outcomes. */
class OutcomeTest {

    @Test
    void unfinished_areTheOutcomesWhereWhatWasAskedIsNotDone() {
        Set<Outcome> unfinished = Arrays.stream(Outcome.values()).filter(Outcome::unfinished)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Outcome.class)));

        assertEquals(EnumSet.of(Outcome.REFUSED, Outcome.NO_HEALTHY_NODE, Outcome.LEASE_BUSY, Outcome.LEASE_LOST,
                Outcome.PARTIAL, Outcome.NO_TIME, Outcome.PARTITION_SUSPECTED, Outcome.TOO_FEW_VOTES), unfinished);
    }

    @Test
    void named_findsEachOutcome_andNothingForANameThisVersionDoesNotKnow() {
        Arrays.stream(Outcome.values()).forEach(o -> assertEquals(Optional.of(o), Outcome.named(o.name())));
        assertEquals(Optional.empty(), Outcome.named("FLIPPED_TWICE"));
        assertEquals(Optional.empty(), Outcome.named("flipped"));
    }
}
