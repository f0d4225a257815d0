package io.vipflip.orchestrator;

import static io.vipflip.orchestrator.RunWorld.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.policy.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An alarm's confirmation burst on a driven clock with scripted probes: how many rounds, how far apart, and what
 * ends it early — a stop, an interrupt (which the caller then still sees); and a watch loop's end on an interrupt.
 */
class AlarmBurstIT {
    private static final Trigger ALARM = new Trigger.Alarm("web-a-down", "a");
    private final RunWorld world = new RunWorld();
    private final List<Duration> pauses = new ArrayList<>();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private WatchLoop loop(WatchLoop.Sleeper sleeper) {
        return new WatchLoop(world.orchestrator(config(2, 3, "web")), world.clock, sleeper);
    }

    private WatchLoop.Sleeper advancing() {
        return d -> {
            pauses.add(d);
            world.clock.advance(d);
        };
    }

    @Test
    void aQuietBurst_runsMaxOfFallAndRiseRounds_250msApartWhateverTheInterval() {
        List<RunResult> heard = new ArrayList<>();

        List<RunResult> burst = loop(advancing()).burst("web", ALARM, Duration.ofSeconds(30), heard::add);

        assertEquals(3, burst.size(), "max(fall 3, rise 2)");
        assertEquals(burst, heard);
        assertTrue(burst.stream().allMatch(r -> r.outcome() == Outcome.NO_CHANGE), burst.toString());
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(250)), pauses,
                "between rounds only; the 1 s interval is capped at 250 ms");
        assertEquals(3, world.prober.rounds().size());
    }

    @Test
    void aStoppedLoop_runsOneRoundOfTheBurst() {
        WatchLoop loop = loop(advancing());
        loop.stop();

        assertEquals(1, loop.burst("web", ALARM, Duration.ofSeconds(30), r -> { }).size());
        assertEquals(List.of(), pauses);
    }

    @Test
    void anInterruptedPause_endsTheBurst_andTheCallerStillSeesTheInterrupt() {
        WatchLoop loop = loop(d -> {
            throw new InterruptedException("the invocation is going away");
        });

        List<RunResult> burst = loop.burst("web", ALARM, Duration.ofSeconds(30), r -> { });

        assertEquals(1, burst.size());
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is restored for the caller");
    }

    @Test
    void aWatchLoopInterruptedWhileWaiting_handsItsCountersOver_andTheCallerStillSeesTheInterrupt() {
        int[] waits = {0};
        WatchLoop loop = loop(d -> {
            if (++waits[0] == 3) {
                throw new InterruptedException("the invocation is going away");
            }
            world.clock.advance(d);
        });

        WatchLoop.Summary summary = loop.run(Duration.ofSeconds(60), r -> { });

        assertEquals(3, summary.rounds().get("web"), "a round before each of the three waits");
        assertTrue(Thread.interrupted(), "the interrupt is restored for the caller (and cleared here for the read)");
        assertTrue(world.states().read("web").health().orElseThrow().of("a").isUp(),
                "the counters are handed over before the loop ends");
    }
}
