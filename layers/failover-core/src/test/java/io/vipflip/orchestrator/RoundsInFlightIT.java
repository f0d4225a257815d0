package io.vipflip.orchestrator;

import static io.vipflip.orchestrator.RunWorld.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.DeploymentConfig;
import io.vipflip.config.GroupConfig;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.route.NodeResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The watch loop's rounds in flight (issue 13 §4), each round started by a runner the test holds: a group is never
 * seen neither running nor ended, each end is handled once on the loop's thread (cadence, listener, notable runs,
 * errors), a crash ends the loop, and waits end when a round ends or the thread is interrupted.
 */
class RoundsInFlightIT {
    private final RunWorld world = new RunWorld();
    private final DeploymentConfig config = config(1, 1, "web");
    private final GroupConfig web = config.group("web").orElseThrow();
    /** The rounds started and not yet run: the test runs them when it chooses. */
    private final List<Runnable> held = new ArrayList<>();
    private final List<RunResult> heard = new CopyOnWriteArrayList<>();
    private final Map<String, RuntimeException> errorsHeard = new HashMap<>();
    private final WatchLoop.Listener listener = new WatchLoop.Listener() {
        @Override
        public void onRun(RunResult result) {
            heard.add(result);
        }

        @Override
        public void onError(String group, RuntimeException error) {
            errorsHeard.put(group, error);
        }
    };
    private final Map<String, Instant> nextDue = new HashMap<>(Map.of("web", Instant.EPOCH));
    private final List<RunResult> notable = new ArrayList<>();
    private final int[] errors = {0};

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private RoundsInFlight rounds(NodeResolver resolver) {
        return new RoundsInFlight(held::add, world.orchestrator(config, world.routes, resolver));
    }

    /** Runs the held round in a thread of its own once {@code waiter} waits (for a round's end, with a bound). */
    private Thread runOnceWaiting(Thread waiter) {
        Runnable round = held.removeFirst();
        return Thread.ofPlatform().start(() -> {
            while (waiter.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
            round.run();
        });
    }

    @Test
    void aRoundIsInFlightUntilItsEndIsHandled_thenItsCadenceAndListenerAreSet() {
        RoundsInFlight rounds = rounds(new Ec2NodeResolver(null));
        Instant started = world.clock.instant();

        rounds.start(web, started, Instant.MAX);
        assertTrue(rounds.contains("web"));
        assertFalse(rounds.isEmpty());
        held.removeFirst().run(); // ended, not yet handled by the loop's thread
        assertTrue(rounds.contains("web"), "ended but not handled: still in flight, never in neither state");
        Thread.currentThread().interrupt(); // a wait would now end at once, answering false
        assertTrue(rounds.awaitOne(Duration.ofSeconds(30)), "an end is waiting: no wait");
        Thread.interrupted();
        rounds.drain(nextDue, notable, errors, listener);

        assertFalse(rounds.contains("web"));
        assertTrue(rounds.isEmpty());
        assertEquals(1, heard.size());
        // both nodes just became UP with no failure: the next round at the plain interval from the round's start
        assertEquals(started.plus(web.probe().interval()), nextDue.get("web"));
        assertEquals(List.of(), notable, "a quiet round is not notable");
        assertEquals(0, errors[0]);
    }

    @Test
    void aRoundThatChangedSomething_isNotable() {
        RoundsInFlight rounds = rounds(new Ec2NodeResolver(null));
        world.prober.down("a");

        rounds.start(web, world.clock.instant(), Instant.MAX);
        held.removeFirst().run();
        rounds.drain(nextDue, notable, errors, listener);

        assertEquals(Outcome.FLIPPED, notable.getFirst().outcome());
        assertEquals(heard, notable);
    }

    @Test
    void aFailedRound_isCountedAndHeard_andTheLoopGoesOn() {
        IllegalStateException unreachable = new IllegalStateException("EC2 unreachable");
        RoundsInFlight rounds = rounds(group -> { throw unreachable; });

        rounds.start(web, world.clock.instant(), Instant.MAX);
        held.removeFirst().run();
        rounds.drain(nextDue, notable, errors, listener);

        assertEquals(1, errors[0]);
        assertSame(unreachable, errorsHeard.get("web"));
        assertEquals(List.of(), heard);
        assertEquals(Instant.EPOCH, nextDue.get("web"), "no result, no new cadence");
        assertTrue(rounds.isEmpty());
    }

    @Test
    void aCrashedRound_endsTheLoopWhenHandled_andInlineAtOnce() {
        AssertionError crash = new AssertionError("out of memory");
        RoundsInFlight pooled = rounds(group -> { throw crash; });
        pooled.start(web, world.clock.instant(), Instant.MAX);
        held.removeFirst().run();

        assertSame(crash, assertThrows(AssertionError.class, () -> pooled.drain(nextDue, notable, errors, listener)));

        RoundsInFlight inline = new RoundsInFlight(WatchLoop.RoundRunner.INLINE,
                world.orchestrator(config, world.routes, group -> { throw crash; }));
        assertSame(crash, assertThrows(AssertionError.class, () -> inline.start(web, world.clock.instant(), Instant.MAX)));
        assertTrue(inline.isEmpty(), "the crashed group is not left in flight");
    }

    @Test
    @Timeout(60) // a guard: without the wake-up below the wait would last its whole bound
    void aRoundsEnd_wakesTheLoopWaitingForIt() throws InterruptedException {
        RoundsInFlight rounds = rounds(new Ec2NodeResolver(null));
        rounds.start(web, world.clock.instant(), Instant.MAX);
        Thread round = runOnceWaiting(Thread.currentThread());

        assertTrue(rounds.awaitOne(Duration.ofMinutes(10)));
        round.join();
        rounds.drain(nextDue, notable, errors, listener);
        assertEquals(1, heard.size());
    }

    @Test
    @Timeout(60)
    void anInterruptedWait_saysSo_andWaitingForAllStillHandlesEveryRound() throws InterruptedException {
        RoundsInFlight rounds = rounds(new Ec2NodeResolver(null));
        rounds.start(web, world.clock.instant(), Instant.MAX);
        Thread.currentThread().interrupt();
        assertFalse(rounds.awaitOne(Duration.ofSeconds(30)), "interrupted while nothing had ended");

        // The round ends only once the loop waits again, after its interrupted first wait.
        Thread round = runOnceWaiting(Thread.currentThread());
        Thread.currentThread().interrupt();
        boolean uninterrupted = rounds.awaitAll(nextDue, notable, errors, listener);
        round.join();

        assertFalse(uninterrupted);
        assertEquals(1, heard.size(), "the round in flight was still waited for and handled");
        assertTrue(rounds.isEmpty());
    }

    @Test
    @Timeout(60)
    void waitingForAll_whenUninterrupted_saysSo() throws InterruptedException {
        RoundsInFlight rounds = rounds(new Ec2NodeResolver(null));
        rounds.start(web, world.clock.instant(), Instant.MAX);
        Thread round = runOnceWaiting(Thread.currentThread());

        assertTrue(rounds.awaitAll(nextDue, notable, errors, listener));
        round.join();
        assertEquals(1, heard.size());
    }
}
