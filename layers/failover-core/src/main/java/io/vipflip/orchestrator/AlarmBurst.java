package io.vipflip.orchestrator;

import io.vipflip.config.GroupConfig;
import io.vipflip.policy.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An alarm's confirmation burst: up to max(fall, rise) rounds a short interval apart, stopping at the first run that
 * is not a quiet no-change (a flip, a refusal, a busy lease). Enough for a suspect node to reach DOWN and, in a cold
 * container, for a survivor to reach UP.
 */
final class AlarmBurst {
    /**
     * The longest gap between a burst's rounds: an alarm is confirmed in seconds, whatever the group's cadence. The
     * budget's constant, so that the configuration's check of a burst's length matches the burst itself.
     */
    private static final Duration LONGEST_INTERVAL = io.vipflip.config.TimingBudget.BURST_INTERVAL;

    private final Orchestrator orchestrator;
    private final Clock clock;
    private final LoopPause pause;

    AlarmBurst(Orchestrator orchestrator, Clock clock, LoopPause pause) {
        this.orchestrator = orchestrator;
        this.clock = clock;
        this.pause = pause;
    }

    /** The burst for {@code group}, its leased actions ending within the invocation's {@code budget}. */
    List<RunResult> run(String group, Trigger trigger, Duration budget, Consumer<RunResult> listener) {
        Instant leasedActionsEndBy = clock.instant().plus(budget).minus(orchestrator.config().timing().endMargin());
        GroupConfig config = orchestrator.group(group);
        Duration interval = config.probe().interval().compareTo(LONGEST_INTERVAL) < 0
                ? config.probe().interval() : LONGEST_INTERVAL;
        List<RunResult> results = new ArrayList<>();
        int rounds = Math.max(config.probe().fall(), config.probe().rise());
        for (int round = 0; round < rounds; round++) {
            if (round > 0 && !pause.pause(interval)) {
                break;
            }
            RunResult result = orchestrator.run(group, trigger, false, leasedActionsEndBy);
            results.add(result);
            listener.accept(result);
            if (result.outcome() != Outcome.NO_CHANGE) {
                break;
            }
        }
        pause.restoreInterrupt();
        return results;
    }
}
