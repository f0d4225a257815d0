package io.vipflip.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.policy.Trigger;
import io.vipflip.probe.Prober;
import io.vipflip.probe.TcpProber;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.testing.InMemoryRouteTables;
import io.vipflip.testing.Listeners;
import io.vipflip.testing.LocalDynamo;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watch loop on a virtual clock: watch mode, minute mode, the hand-over, and an alarm's burst. */
class WatchLoopIT {
    private final Listeners listeners = new Listeners();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final InMemoryRouteTables routes = new InMemoryRouteTables();
    private final String table = LocalDynamo.freshTable();
    private int port;

    @AfterEach
    void close() {
        listeners.close();
    }

    private Orchestrator orchestrator(boolean watch) {
        return orchestrator(watch, new TcpProber());
    }

    private Orchestrator orchestrator(boolean watch, Prober prober) {
        port = listeners.open("127.0.0.1");
        listeners.open("127.0.0.2", port);
        List.of("rtb-00000001", "rtb-00000002").forEach(t -> routes.route(t, "192.168.100.10/32", "eni-0000000a"));
        DeploymentConfig config = new ConfigParser().parse("""
                {"groups": [{"name": "web", "vips": ["192.168.100.10/32"],
                  "nodes": [
                    {"name": "a", "instanceId": "i-0000000a", "eniId": "eni-0000000a", "probeAddress": "127.0.0.1", "priority": 200},
                    {"name": "b", "instanceId": "i-0000000b", "eniId": "eni-0000000b", "probeAddress": "127.0.0.2", "priority": 100}],
                  "routeTables": {"ids": ["rtb-00000001", "rtb-00000002"]},
                  "probe": {"ports": [%d], "timeoutMillis": 200, "intervalMillis": 500, "fall": 3, "rise": 2, "watch": %s}}]}
                """.formatted(port, watch));
        return new Orchestrator(config, new Ec2NodeResolver(null), prober, routes,
                new DynamoLeaseStore(LocalDynamo.client(), table),
                new DynamoGroupStateStore(LocalDynamo.client(), table, Duration.ofDays(1)), clock, "fn");
    }

    @Test
    void watchMode_probesEveryIntervalUntilTheBudgetMinusTheMargin_readingRoutesOnlyForDrift() {
        WatchLoop loop = new WatchLoop(orchestrator(true), clock, clock::advance);
        int readsBefore = routes.reads();

        WatchLoop.Summary summary = loop.run(Duration.ofSeconds(13), r -> { });

        assertEquals(21, summary.rounds().get("web"), "until 13 s - 3 s margin: 0 and 0.2 s (fastinter until rise), then every 500 ms");
        assertEquals(1, routes.reads() - readsBefore, "one drift read (every 30 s), not one per round");
        assertEquals(List.of(), routes.writes());
    }

    @Test
    void stop_endsTheLoopAtItsNextStep_evenWhenTheInterruptItSendsIsSwallowed() {
        // An SDK call that an interrupt aborts clears the flag; this sleeper does the same to every interrupt.
        WatchLoop[] loop = new WatchLoop[1];
        loop[0] = new WatchLoop(orchestrator(true), clock, d -> {
            clock.advance(d);
            Thread.interrupted();
        });
        java.util.List<Instant> rounds = new java.util.ArrayList<>();

        WatchLoop.Summary summary = loop[0].run(Duration.ofSeconds(60), r -> {
            rounds.add(clock.instant());
            if (rounds.size() == 5) {
                loop[0].stop();
            }
        });
        Thread.interrupted(); // the loop hands the interrupt back to its caller

        assertEquals(5, summary.rounds().get("web"), "no round after stop()");
        assertTrue(clock.instant().isBefore(rounds.getLast().plusSeconds(1)), "it did not wait out its budget");
    }

    @Test
    void minuteMode_runsOneBurstOfFallRounds() {
        WatchLoop loop = new WatchLoop(orchestrator(false), clock, clock::advance);

        WatchLoop.Summary summary = loop.run(Duration.ofSeconds(60), r -> { });

        assertEquals(3, summary.rounds().get("web"));
    }

    @Test
    void theNextInvocationPicksUpTheHandedOverCounters_soDetectionDoesNotRestart() {
        Orchestrator first = orchestrator(true);
        new WatchLoop(first, clock, clock::advance).run(WatchLoop.SAFETY_MARGIN.plusSeconds(2), r -> { });
        listeners.close("127.0.0.1", port);
        // Two failed rounds at the end of this invocation (the second at fastinter, 200 ms), handed over...
        new WatchLoop(first, clock, clock::advance).run(WatchLoop.SAFETY_MARGIN.plusMillis(200), r -> { });

        // ...so a brand-new container needs only the third to act.
        Orchestrator next = new Orchestrator(first.config(), new Ec2NodeResolver(null), new TcpProber(), routes,
                new DynamoLeaseStore(LocalDynamo.client(), table),
                new DynamoGroupStateStore(LocalDynamo.client(), table, Duration.ofDays(1)), clock, "fn-2");
        clock.advance(Duration.ofMillis(200));
        RunResult result = next.run("web", new Trigger.Scheduled());

        assertEquals(Outcome.FLIPPED, result.outcome(), result.decision().reason());
    }

    @Test
    void anAlarmBurst_stopsAtTheFirstActingRound() {
        Orchestrator orchestrator = orchestrator(true);
        WatchLoop loop = new WatchLoop(orchestrator, clock, clock::advance);
        loop.run(WatchLoop.SAFETY_MARGIN.plusSeconds(1), r -> { });
        listeners.close("127.0.0.1", port);
        List<RunResult> seen = new ArrayList<>();

        List<RunResult> burst = loop.burst("web", new Trigger.Alarm("a-status", "a"), seen::add);

        assertEquals(3, burst.size(), "fall (3) rounds: the third flips");
        assertEquals(Outcome.FLIPPED, burst.getLast().outcome());
        assertEquals(burst, seen);
        assertTrue(routes.writes().size() == 2);
    }

    @Test
    void anAlarmBurst_whoseRoundsAreEachSlowerThanTheEvidenceMaxAge_stillConfirmsAndFlips() {
        // A CPU-starved container: every probe round takes 2 s, more than 3 x the 500 ms interval.
        TcpProber real = new TcpProber();
        Orchestrator orchestrator = orchestrator(true, (targets, timeout) -> {
            clock.advance(Duration.ofSeconds(2));
            return real.probe(targets, timeout);
        });
        WatchLoop loop = new WatchLoop(orchestrator, clock, clock::advance);
        loop.burst("web", new Trigger.Scheduled(), r -> { });
        listeners.close("127.0.0.1", port);

        List<RunResult> burst = loop.burst("web", new Trigger.Alarm("a-status", "a"), r -> { });

        assertEquals(Outcome.FLIPPED, burst.getLast().outcome(), burst.getLast().decision().reason());
        assertEquals(3, burst.size(), "rounds back to back are consecutive evidence: fall (3) rounds");
    }

    @Test
    void aGapWithNoRoundLongerThanTheEvidenceMaxAge_startsTheCountersAfresh() {
        Orchestrator orchestrator = orchestrator(true);
        WatchLoop loop = new WatchLoop(orchestrator, clock, clock::advance);
        loop.run(WatchLoop.SAFETY_MARGIN.plusSeconds(1), r -> { });
        listeners.close("127.0.0.1", port);
        clock.advance(Duration.ofMillis(200));
        assertEquals(Outcome.NO_CHANGE, orchestrator.run("web", new Trigger.Scheduled()).outcome());
        clock.advance(Duration.ofMillis(200));
        assertEquals(Outcome.NO_CHANGE, orchestrator.run("web", new Trigger.Scheduled()).outcome());

        clock.advance(Duration.ofMillis(1600)); // nobody watched for more than 3 x the 500 ms interval
        RunResult third = orchestrator.run("web", new Trigger.Scheduled());

        assertEquals(Outcome.NO_CHANGE, third.outcome(), "two failures before the gap do not count toward fall");
        assertTrue(!third.health().of("a").isDown(), third.health().toString());
    }

    /**
     * A round that ends after the deadline leaves its group due before it (the round took longer than the
     * interval): the loop must end, not spin until the Lambda timeout. It spun before (found by
     * DocumentUpdatesIT's real-clock run).
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aRoundEndingAfterTheDeadline_endsTheLoop() {
        Prober tcp = new TcpProber();
        Prober slow = (targets, timeout) -> {
            var round = tcp.probe(targets, timeout);
            clock.advance(Duration.ofMillis(1_700)); // longer than the 500 ms interval
            return round;
        };
        WatchLoop loop = new WatchLoop(orchestrator(true, slow), clock, clock::advance);
        Instant start = clock.instant();

        WatchLoop.Summary summary = loop.run(Duration.ofSeconds(13), r -> { });

        assertTrue(summary.rounds().get("web") >= 1);
        assertTrue(!clock.instant().isAfter(start.plusSeconds(13)), "ended by the invocation's end: " + clock.instant());
    }
}
