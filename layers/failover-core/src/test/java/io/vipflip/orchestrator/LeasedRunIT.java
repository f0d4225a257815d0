package io.vipflip.orchestrator;

import static io.vipflip.orchestrator.RunWorld.ENI_A;
import static io.vipflip.orchestrator.RunWorld.ENI_B;
import static io.vipflip.orchestrator.RunWorld.TABLES;
import static io.vipflip.orchestrator.RunWorld.VIP;
import static io.vipflip.orchestrator.RunWorld.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.RouteTableSelector;
import io.vipflip.history.HistoryEvent;
import io.vipflip.policy.HistoryKind;
import io.vipflip.policy.Trigger;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.route.RouteChange;
import io.vipflip.route.RouteSnapshot;
import io.vipflip.route.RouteTables;
import io.vipflip.route.RouteWriteOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The leased half of a run on a driven clock (issue 12): what it confirms, how long each step took, what it
 * records and announces, and what a lease lost at the record leaves behind.
 */
class LeasedRunIT {
    private final RunWorld world = new RunWorld();

    /** The in-memory tables, each write answered by {@code answer} (the table itself changes only when it says). */
    private RouteTables writesAnswered(Function<RouteChange, RouteWriteOutcome> answer) {
        return new RouteTables() {
            @Override
            public RouteSnapshot read(RouteTableSelector selector, List<String> vips) {
                return world.routes.read(selector, vips);
            }

            @Override
            public RouteWriteOutcome write(RouteChange change, Duration within) {
                return answer.apply(change);
            }
        };
    }

    private Orchestrator orchestrator(RouteTables tables) {
        return world.orchestrator(config(1, 1, "web"), tables, new Ec2NodeResolver(null));
    }

    @Test
    void aFlip_confirmsTheActiveNodeAndItsTarget_timesEachStep_andAnnouncesWhatItRecorded() {
        world.prober.roundTakes(Duration.ofMillis(40));
        world.routes.beforeRead(() -> world.clock.advance(Duration.ofMillis(15)));
        Orchestrator orchestrator = orchestrator(writesAnswered(change -> {
            world.clock.advance(Duration.ofMillis(25));
            return world.routes.write(change, Duration.ofSeconds(1));
        }));
        world.round(orchestrator);
        world.prober.down("a").forget();

        RunResult flip = world.round(orchestrator);

        assertEquals(Outcome.FLIPPED, flip.outcome(), flip.toString());
        assertEquals(List.of(List.of("a", "b"), List.of("a", "b")), world.prober.rounds(),
                "the observation round, then the confirmation of the active node and the target");
        // detection: one probe round (40); confirm: the probe and the re-read beside it, each advancing the driven
        // clock (40 + 15); writes: three of 25 ms; verify: one read (15)
        assertEquals(Map.of("detection", 40L, "lease", 0L, "confirm", 55L, "writes", 75L, "verify", 15L,
                "total", 185L), flip.timingsMillis());
        HistoryEvent recorded = world.history().getFirst();
        assertEquals(HistoryKind.FLIP, recorded.kind());
        assertEquals(flip.decision().reason(), recorded.reason(), "no back-off changed: nothing appended");
        assertEquals(flip.timingsMillis(), recorded.timingsMillis(), "history has the same figures, total included");
        assertEquals(List.of(recorded.token()), world.announced.stream().map(HistoryEvent::token).toList());
        assertEquals(recorded.reason(), world.announced.getFirst().reason());
    }

    @Test
    void anOperatorsRequestThatChangesNothing_isRecorded_andOneRefused_isARefusal() {
        Orchestrator orchestrator = orchestrator(world.routes);
        world.round(orchestrator);

        RunResult already = orchestrator.run("web", new Trigger.ManualFailover("a", "drill", false));
        world.prober.down("b");
        world.round(orchestrator);
        RunResult refused = orchestrator.run("web", new Trigger.ManualFailover("b", "drill", false));

        assertEquals(Outcome.RECORDED, already.outcome(), already.toString());
        assertEquals(Outcome.REFUSED, refused.outcome(), refused.toString());
        assertEquals(List.of(HistoryKind.REFUSED, HistoryKind.PINNED),
                world.history().stream().map(HistoryEvent::kind).toList());
        assertEquals("a", world.states().read("web").pin().orElseThrow().node(), "the request that changed nothing pinned a");
        TABLES.forEach(t -> assertEquals(ENI_A, world.routes.target(t, VIP)));
    }

    @Test
    void aLeaseLostAtTheRecord_afterWritesThatLanded_leavesTheFlipInHistory_andAnnouncesIt() {
        RunResult result = flipTakenOverAtTheVerifyRead(world.routes);

        assertEquals(Outcome.LEASE_LOST, result.outcome(), result.toString());
        TABLES.forEach(t -> assertEquals(ENI_B, world.routes.target(t, VIP)));
        List<HistoryEvent> history = world.history();
        assertEquals(1, history.size(), history.toString());
        assertEquals(HistoryKind.FLIP, history.getFirst().kind());
        assertEquals(List.of(history.getFirst().reason()), world.announced.stream().map(HistoryEvent::reason).toList());
    }

    @Test
    void aLeaseLostAtTheRecord_afterWritesAllRefused_leavesNothing() {
        RunResult result = flipTakenOverAtTheVerifyRead(writesAnswered(change ->
                RouteWriteOutcome.failed(change, "ReplaceRoute", "InvalidParameterValue", Duration.ZERO)));

        assertEquals(Outcome.LEASE_LOST, result.outcome(), result.toString());
        TABLES.forEach(t -> assertEquals(ENI_A, world.routes.target(t, VIP)));
        assertEquals(List.of(), world.history(), "no route changed: a stale holder records nothing");
        assertEquals(List.of(), world.announced);
    }

    /** A quiet round, then a flip away from a (down) whose lease is taken over while it verifies its writes. */
    private RunResult flipTakenOverAtTheVerifyRead(RouteTables tables) {
        Orchestrator orchestrator = orchestrator(tables);
        world.round(orchestrator);
        takenOverAtTheVerifyRead();
        world.prober.down("a");
        return world.round(orchestrator);
    }

    /**
     * Another process takes the lease over while the run verifies its writes (the run's third read: the drift
     * read of the first round, the re-read under the lease, the verify read). Its clock is more than a lease ahead of ours:
     * the quickest way to a take-over that our record, still within its own deadline, then finds.
     */
    private void takenOverAtTheVerifyRead() {
        world.routes.beforeRead(() -> {
            if (world.routes.reads() == 3) {
                world.leases().acquire("web", "fn-other", world.clock.instant().plusSeconds(11), Duration.ofSeconds(10))
                        .orElseThrow();
            }
        });
    }
}
