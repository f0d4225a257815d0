package io.vipflip.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.history.DynamoWatcherStore;
import io.vipflip.history.WatcherRecord;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.probe.TcpProber;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.testing.InMemoryRouteTables;
import io.vipflip.testing.Listeners;
import io.vipflip.testing.LocalDynamo;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
/**
 * The watch loop with the hand-off (issue 13 §1): what a loop probes while it waits for its turn, hands over, takes
 * over, or meets a watcher item it cannot read or write. DynamoDB Local, TCP listeners, a driven clock.
 */
class WatchLoopHandoffIT {
    private static final WatcherTurn.Settings SETTINGS = WatcherTurn.Settings.DEFAULT;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final String table = LocalDynamo.freshTable();
    private final DynamoWatcherStore store = new DynamoWatcherStore(LocalDynamo.client(), table);
    private final Listeners listeners = new Listeners();

    @AfterEach
    void close() {
        listeners.close();
    }

    private WatcherTurn turn(String me, Duration budget) {
        return new WatcherTurn(store, me, clock.instant().plus(budget), SETTINGS);
    }

    /** When each round ran (on the driven clock), and the names errors were reported under. */
    private final class Heard implements WatchLoop.Listener {
        final List<Instant> rounds = new java.util.ArrayList<>();
        final List<String> errors = new java.util.ArrayList<>();

        @Override
        public void onRun(RunResult result) {
            rounds.add(clock.instant());
        }

        @Override
        public void onError(String group, RuntimeException error) {
            errors.add(group);
        }
    }



    /** A sleeper that moves the clock; 20 s after {@code started} the next invocation arrives and asks to take over. */
    private WatchLoop.Sleeper nextInvocationAsksAfter20s(WatchLoop.Handoff handoff, Instant started,
                                                        AtomicReference<WatcherTurn> asker) {
        return d -> {
            clock.advance(d);
            if (asker.get() == null && !clock.instant().isBefore(started.plusSeconds(20))) {
                WatcherTurn next = handoff.turn(clock.instant().plusSeconds(60));
                assertInstanceOf(WatcherTurn.Wait.class, next.step(clock.instant()));
                asker.set(next);
            }
        };
    }

    /** Two nodes listening on one port, and one route table on node a. */
    private int twoNodes(InMemoryRouteTables routes) {
        int port = listeners.open("127.0.0.1");
        listeners.open("127.0.0.2", port);
        routes.route("rtb-00000001", "192.168.100.10/32", "eni-0000000a");
        return port;
    }

    private Orchestrator orchestrator(String owner, InMemoryRouteTables routes, int port) {
        DeploymentConfig config = new ConfigParser().parse("""
                {"groups": [{"name": "web", "vips": ["192.168.100.10/32"],
                  "nodes": [
                    {"name": "a", "instanceId": "i-0000000a", "eniId": "eni-0000000a", "probeAddress": "127.0.0.1", "priority": 200},
                    {"name": "b", "instanceId": "i-0000000b", "eniId": "eni-0000000b", "probeAddress": "127.0.0.2", "priority": 100}],
                  "routeTables": {"ids": ["rtb-00000001"]},
                  "probe": {"ports": [%d], "timeoutMillis": 200, "intervalMillis": 500, "fall": 3, "rise": 2}}]}
                """.formatted(port));
        return new Orchestrator(config, new Ec2NodeResolver(null), new TcpProber(), routes,
                new DynamoLeaseStore(LocalDynamo.client(), table),
                new DynamoGroupStateStore(LocalDynamo.client(), table, Duration.ofDays(1)), clock, owner);
    }

    @Test
    void aWatchLoopAskedToHandOver_writesItsCountersAndCadence_stopsProbing_andTheNextLoopGoesOnWithoutAGap() {
        InMemoryRouteTables routes = new InMemoryRouteTables();
        int port = twoNodes(routes);
        WatchLoop.Handoff handoff = new WatchLoop.Handoff(store, () -> "env", SETTINGS);
        Orchestrator first = orchestrator("fn-1", routes, port);
        AtomicReference<WatcherTurn> asker = new AtomicReference<>();
        Instant started = clock.instant();
        // The next invocation arrives 20 s into the first one's minute and asks to take over.
        WatchLoop.Sleeper sleeper = nextInvocationAsksAfter20s(handoff, started, asker);
        WatchLoop.Summary summary = new WatchLoop(first, clock, sleeper, WatchLoop.Updates.NONE,
                java.util.Optional.of(handoff)).run(Duration.ofSeconds(65), r -> { });
        Instant stopped = clock.instant();

        assertTrue(Duration.between(started, stopped).compareTo(Duration.ofSeconds(22)) < 0,
                "stopped within a check (1 s) of the ask, not at its budget's end: " + Duration.between(started, stopped));
        assertTrue(summary.rounds().get("web") >= 38, "watched every 500 ms until then: " + summary.rounds());
        WatcherTurn.Watch taken = assertInstanceOf(WatcherTurn.Watch.class, asker.get().step(clock.instant()));
        Instant due = taken.handedRounds().get("web");
        assertTrue(!due.isBefore(stopped) && !due.isAfter(stopped.plusMillis(500)),
                "the next round is due within one interval of the last: " + due + " vs " + stopped);
        assertTrue(new DynamoGroupStateStore(LocalDynamo.client(), table, Duration.ofDays(1)).read("web").health()
                .orElseThrow().of("a").isUp(), "the counters were handed over with the watch");
    }

    @Test
    void aWatchLoopThatStartsWhileAnotherWatches_probesNothingUntilItIsHandedTheWatch() {
        InMemoryRouteTables routes = new InMemoryRouteTables();
        int port = twoNodes(routes);
        WatchLoop.Handoff handoff = new WatchLoop.Handoff(store, () -> "env", SETTINGS);
        WatcherTurn silentOwner = handoff.turn(clock.instant().plusSeconds(120)); // frozen: never checks again
        silentOwner.step(clock.instant());
        Instant started = clock.instant();
        List<Instant> rounds = new java.util.ArrayList<>();

        new WatchLoop(orchestrator("fn-2", routes, port), clock, clock::advance, WatchLoop.Updates.NONE,
                java.util.Optional.of(handoff)).run(Duration.ofSeconds(20), r -> rounds.add(clock.instant()));

        assertEquals(started.plus(SETTINGS.relieveWait()), rounds.getFirst(),
                "the first round comes when the relieve wait ends, not before");
        assertTrue(rounds.size() >= 20, rounds.size() + " rounds after taking over");
        assertTrue(store.read().orElseThrow().watchingUntil().isBefore(clock.instant().plusMillis(1)),
                "at its budget's end the loop freed the item");
    }

    @Test
    void aWatchLoopWhoseFirstReadOfTheItemFails_watchesAtOnce_joinsTheHandOff_andIsRelievedLikeAnyOwner() {
        InMemoryRouteTables routes = new InMemoryRouteTables();
        int port = twoNodes(routes);
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        io.vipflip.history.WatcherStore firstReadThrottled = new io.vipflip.history.WatcherStore() {
            @Override
            public java.util.Optional<WatcherRecord> read() {
                if (reads.getAndIncrement() == 0) {
                    throw new IllegalStateException("ProvisionedThroughputExceededException (injected)");
                }
                return store.read();
            }

            @Override
            public boolean write(long expectedVersion, WatcherRecord next) {
                return store.write(expectedVersion, next);
            }
        };
        WatchLoop.Handoff handoff = new WatchLoop.Handoff(store, () -> "env", SETTINGS);
        handoff.turn(clock.instant().plusSeconds(120)).step(clock.instant()); // an owner that never answers again
        Instant started = clock.instant();
        AtomicReference<WatcherTurn> asker = new AtomicReference<>();
        WatchLoop.Sleeper sleeper = nextInvocationAsksAfter20s(handoff, started, asker);
        Heard listener = new Heard();
        List<Instant> rounds = listener.rounds;
        List<String> errors = listener.errors;

        new WatchLoop(orchestrator("fn-3", routes, port), clock, sleeper, WatchLoop.Updates.NONE,
                java.util.Optional.of(new WatchLoop.Handoff(firstReadThrottled, () -> "env", SETTINGS)))
                .run(Duration.ofSeconds(60), listener);
        Instant stopped = clock.instant();

        assertEquals(List.of(WatchLoop.WATCHER), errors, "the failed read is reported once");
        assertEquals(started, rounds.getFirst(), "an unreadable item leaves no gap: the first round is at once");
        assertTrue(Duration.between(started, stopped).compareTo(Duration.ofSeconds(22)) < 0,
                "it took the watch from the silent owner, so the next invocation's ask relieved it within a check, "
                        + "not at its budget's end: " + Duration.between(started, stopped));
        assertInstanceOf(WatcherTurn.Watch.class, asker.get().step(clock.instant()), "the asker was handed the watch");
    }

    @Test
    void aLoopHandedTheWatch_runsEachGroupWhenThePreviousOwnerWouldHave_notAtOnce() {
        InMemoryRouteTables routes = new InMemoryRouteTables();
        int port = twoNodes(routes);
        WatchLoop.Handoff handoff = new WatchLoop.Handoff(store, () -> "env", SETTINGS);
        WatcherTurn owner = turn("env-0/owner", Duration.ofSeconds(120));
        owner.step(clock.instant());
        Instant started = clock.instant();
        Instant handedDue = started.plus(SETTINGS.pollEvery()).plusMillis(350);
        // The owner answers the loop's ask at its next check, handing over web's next round (and one of a group
        // this loop does not run, which it ignores).
        WatchLoop.Sleeper sleeper = d -> {
            clock.advance(d);
            if (owner.watching() && owner.step(clock.instant()) instanceof WatcherTurn.HandOver) {
                owner.handedOver(clock.instant(), Map.of("web", handedDue, "gone", started));
            }
        };
        List<Instant> rounds = new java.util.ArrayList<>();

        WatchLoop.Summary summary = new WatchLoop(orchestrator("fn-2", routes, port), clock, sleeper,
                WatchLoop.Updates.NONE, java.util.Optional.of(handoff)).run(Duration.ofSeconds(10),
                r -> rounds.add(clock.instant()));

        assertFalse(owner.watching());
        assertEquals(java.util.Set.of("web"), summary.rounds().keySet(), "a handed group it does not run is ignored");
        assertEquals(handedDue, rounds.getFirst(), "the handed-over cadence, not a round at once");
    }

    @Test
    void aWatcherItemThatCannotBeReadWhileWatching_orWrittenAtTheEnd_isReported_andTheLoopWatchesOn() {
        InMemoryRouteTables routes = new InMemoryRouteTables();
        int port = twoNodes(routes);
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean failedOnce = new java.util.concurrent.atomic.AtomicBoolean();
        io.vipflip.history.WatcherStore flaky = new io.vipflip.history.WatcherStore() {
            @Override
            public java.util.Optional<WatcherRecord> read() {
                reads.incrementAndGet();
                if (claimed.get() && !failedOnce.getAndSet(true)) { // the owner's first look after its claim
                    throw new IllegalStateException("ProvisionedThroughputExceededException (injected)");
                }
                return store.read();
            }

            @Override
            public boolean write(long expectedVersion, WatcherRecord next) {
                // The claim is the first write; a 10 s budget holds no heartbeat (every 10 s): the next is the release.
                if (claimed.getAndSet(true)) {
                    throw new IllegalStateException("InternalServerError (injected) at the release");
                }
                return store.write(expectedVersion, next);
            }
        };
        Heard listener = new Heard();
        List<Instant> rounds = listener.rounds;
        List<String> errors = listener.errors;
        Instant started = clock.instant();

        WatchLoop.Summary summary = new WatchLoop(orchestrator("fn-4", routes, port), clock, clock::advance,
                WatchLoop.Updates.NONE, java.util.Optional.of(new WatchLoop.Handoff(flaky, () -> "env", SETTINGS)))
                .run(Duration.ofSeconds(10), listener);

        assertEquals(List.of(WatchLoop.WATCHER, WatchLoop.WATCHER), errors, "the failed look and the failed release");
        assertEquals(0, summary.errors(), "no group's round failed");
        for (int i = 1; i < rounds.size(); i++) {
            Duration gap = Duration.between(rounds.get(i - 1), rounds.get(i));
            assertTrue(gap.compareTo(Duration.ofMillis(500)) <= 0, "no round later than the interval: " + gap + " at " + i);
        }
        assertEquals(started, rounds.getFirst());
        assertTrue(failedOnce.get());
        assertTrue(reads.get() > 5, "it went on looking at the item after the failure: " + reads.get());
        assertTrue(store.read().orElseThrow().watchingUntil().isAfter(clock.instant()),
                "the release failed: the item still names this loop until its budget ends");
    }

    @Test
    void inMinuteMode_thereIsNoHandOff_everyInvocationRunsItsBurst() {
        InMemoryRouteTables routes = new InMemoryRouteTables();
        int port = twoNodes(routes);
        DeploymentConfig config = new ConfigParser().parse("""
                {"groups": [{"name": "web", "vips": ["192.168.100.10/32"],
                  "nodes": [
                    {"name": "a", "instanceId": "i-0000000a", "eniId": "eni-0000000a", "probeAddress": "127.0.0.1", "priority": 200},
                    {"name": "b", "instanceId": "i-0000000b", "eniId": "eni-0000000b", "probeAddress": "127.0.0.2", "priority": 100}],
                  "routeTables": {"ids": ["rtb-00000001"]},
                  "probe": {"ports": [%d], "timeoutMillis": 200, "intervalMillis": 500, "fall": 3, "rise": 2, "watch": false}}]}
                """.formatted(port));
        Orchestrator orchestrator = new Orchestrator(config, new Ec2NodeResolver(null), new TcpProber(), routes,
                new DynamoLeaseStore(LocalDynamo.client(), table),
                new DynamoGroupStateStore(LocalDynamo.client(), table, Duration.ofDays(1)), clock, "fn");
        WatchLoop.Handoff handoff = new WatchLoop.Handoff(store, () -> "env", SETTINGS);
        handoff.turn(clock.instant().plusSeconds(120)).step(clock.instant()); // someone holds the watcher item
        Instant started = clock.instant();
        List<Instant> rounds = new java.util.ArrayList<>();

        WatchLoop.Summary summary = new WatchLoop(orchestrator, clock, clock::advance, WatchLoop.Updates.NONE,
                java.util.Optional.of(handoff)).run(Duration.ofSeconds(60), r -> rounds.add(clock.instant()));

        assertEquals(3, summary.rounds().get("web"));
        assertEquals(started, rounds.getFirst(), "the burst starts at once, waiting for no turn");
        assertTrue(store.read().orElseThrow().successor().isEmpty(), "and never asks for the watch");
    }

    @Test
    void aLoopThatLosesTheClaimOfTheFreeItem_readsAgainAtOnce_asks_andTakesOverASilentWinnerAfterTheRelieveWait() {
        InMemoryRouteTables routes = new InMemoryRouteTables();
        int port = twoNodes(routes);
        WatchLoop.Handoff competitor = new WatchLoop.Handoff(store, () -> "env-other", SETTINGS);
        java.util.concurrent.atomic.AtomicBoolean raced = new java.util.concurrent.atomic.AtomicBoolean();
        io.vipflip.history.WatcherStore racing = new io.vipflip.history.WatcherStore() {
            @Override
            public java.util.Optional<WatcherRecord> read() {
                return store.read();
            }

            @Override
            public boolean write(long expectedVersion, WatcherRecord next) {
                if (!raced.getAndSet(true)) {
                    // Another invocation claims the free item between our read and our claim, then freezes.
                    competitor.turn(clock.instant().plusSeconds(120)).step(clock.instant());
                }
                return store.write(expectedVersion, next);
            }
        };
        Instant started = clock.instant();
        List<Instant> rounds = new java.util.ArrayList<>();

        new WatchLoop(orchestrator("fn-6", routes, port), clock, clock::advance, WatchLoop.Updates.NONE,
                java.util.Optional.of(new WatchLoop.Handoff(racing, () -> "env", SETTINGS)))
                .run(Duration.ofSeconds(20), r -> rounds.add(clock.instant()));

        assertEquals(started.plus(SETTINGS.relieveWait()), rounds.getFirst(),
                "it asked at once after losing the claim, and took over when the relieve wait ended");
        assertTrue(rounds.size() >= 10, rounds.size() + " rounds");
    }

    @Test
    void aLoopWhoseLookAtTheItemFailsAtItsDeadline_neitherProbesNorWritesCounters() {
        InMemoryRouteTables routes = new InMemoryRouteTables();
        int port = twoNodes(routes);
        handoff().turn(clock.instant().plusSeconds(120)).step(clock.instant()); // an owner that never answers
        Instant deadline = clock.instant().plusSeconds(3); // before the relieve wait ends
        io.vipflip.history.WatcherStore unreadableAtTheDeadline = new io.vipflip.history.WatcherStore() {
            @Override
            public java.util.Optional<WatcherRecord> read() {
                if (!clock.instant().isBefore(deadline)) {
                    throw new IllegalStateException("ProvisionedThroughputExceededException (injected)");
                }
                return store.read();
            }

            @Override
            public boolean write(long expectedVersion, WatcherRecord next) {
                return store.write(expectedVersion, next);
            }
        };
        Heard listener = new Heard();

        WatchLoop.Summary summary = new WatchLoop(orchestrator("fn-7", routes, port), clock, clock::advance,
                WatchLoop.Updates.NONE, java.util.Optional.of(new WatchLoop.Handoff(unreadableAtTheDeadline,
                () -> "env", SETTINGS))).run(WatchLoop.SAFETY_MARGIN.plusSeconds(3), listener);

        assertEquals(List.of(WatchLoop.WATCHER), listener.errors);
        assertEquals(Map.of("web", 0), summary.rounds(), "no time left to watch: no round at the deadline");
        assertTrue(new DynamoGroupStateStore(LocalDynamo.client(), table, Duration.ofDays(1)).read("web").health()
                .isEmpty(), "no counters written over the owner's");
    }

    private WatchLoop.Handoff handoff() {
        return new WatchLoop.Handoff(store, () -> "env", SETTINGS);
    }

    @Test
    void aLoopInterruptedWhileItWaitsForItsTurn_probesNothing_andKeepsTheInterrupt() {
        InMemoryRouteTables routes = new InMemoryRouteTables();
        int port = twoNodes(routes);
        WatchLoop.Handoff handoff = new WatchLoop.Handoff(store, () -> "env", SETTINGS);
        handoff.turn(clock.instant().plusSeconds(120)).step(clock.instant()); // an owner that never answers
        WatchLoop.Sleeper interrupted = d -> {
            throw new InterruptedException("the runtime is shutting down");
        };
        List<RunResult> runs = new java.util.ArrayList<>();

        WatchLoop.Summary summary;
        boolean flagRestored;
        try {
            summary = new WatchLoop(orchestrator("fn-5", routes, port), clock, interrupted, WatchLoop.Updates.NONE,
                    java.util.Optional.of(handoff)).run(Duration.ofSeconds(60), runs::add);
        } finally {
            flagRestored = Thread.interrupted(); // clears it for the next test
        }

        assertTrue(flagRestored, "the interrupt is the caller's to see");
        assertEquals(Map.of("web", 0), summary.rounds());
        assertEquals(List.of(), runs);
        assertEquals("env", store.read().orElseThrow().successor().orElseThrow().owner().split("/")[0],
                "it had asked for the watch before the interrupt");
    }
}
