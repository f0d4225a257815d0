package io.vipflip.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.history.HistoryEvent;
import io.vipflip.orchestrator.Orchestrator;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.policy.HistoryKind;
import io.vipflip.policy.TableBackoff;
import io.vipflip.policy.Trigger;
import io.vipflip.probe.TcpProber;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.route.Ec2RouteTables;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A route table vipflip may never write (EC2 answers UnauthorizedOperation, as for a table outside the functions'
 * IAM scope) must not be "repaired" every round: lease, write, history and notification every second (issue 11,
 * repair storms). Time is driven: an hour of watch rounds runs in seconds.
 */
class RepairStormIT {
    private static final Duration ROUND = Duration.ofSeconds(2);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final List<HistoryEvent> notified = new CopyOnWriteArrayList<>();

    private Orchestrator orchestrator(ReliabilityWorld world) {
        return new Orchestrator(world.config, new Ec2NodeResolver(world.ec2), new TcpProber(),
                new Ec2RouteTables(world.ec2), world.leases(), world.states(), clock, "fn", notified::add);
    }

    private RunResult round(Orchestrator orchestrator) {
        clock.advance(ROUND);
        return orchestrator.run("web", new Trigger.Scheduled());
    }

    private static long writesTo(ReliabilityWorld world, String table) {
        return world.endpoint.calls().all().stream().filter(c -> c.isWrite() && table.equals(c.tableId())).count();
    }

    /** a dies; the flip to b cannot write table 1, which stays on dead a: a repair that can never succeed. */
    private String flipWithOneTableRefused(ReliabilityWorld world, Orchestrator orchestrator) {
        round(orchestrator);
        String refused = world.tableIds().get(1);
        world.endpoint.faults().refuseWritesTo(refused, "UnauthorizedOperation");
        world.kill("a");
        round(orchestrator);
        assertEquals(ReliabilityWorld.ENI_B, world.routes().get(world.tableIds().get(0)), "the others flipped");
        assertEquals(ReliabilityWorld.ENI_A, world.routes().get(refused));
        return refused;
    }

    @Test
    void aTableThatCanNeverBeWritten_costsBoundedWritesAndNotificationsOverAnHour() {
        try (ReliabilityWorld world = new ReliabilityWorld(3, 1, 1)) {
            Orchestrator orchestrator = orchestrator(world);
            String refused = flipWithOneTableRefused(world, orchestrator);
            int notifiedAfterFlip = notified.size();
            int historyAfterFlip = world.history().size();

            Instant hourLater = clock.instant().plus(Duration.ofHours(1));
            RunResult last = null;
            while (clock.instant().isBefore(hourLater)) {
                last = round(orchestrator);
            }

            // Retries at +15 s, 30 s, 60 s, … doubling up to 15 min: 8 in the hour after the flip (1,800 rounds).
            long retries = writesTo(world, refused) - 1;
            assertTrue(retries >= 5 && retries <= 9, "retries in an hour: " + retries);
            assertEquals(0, notified.size() - notifiedAfterFlip, "entering back-off was announced once, with the flip");
            assertTrue(world.history().size() - historyAfterFlip <= 9, "one history entry per retry at most");
            assertEquals(ReliabilityWorld.ENI_A, world.routes().get(refused));
            TableBackoff backoff = last.backoff().get(refused);
            assertTrue(backoff.failures() >= 6, backoff.toString());
            assertTrue(backoff.error().startsWith("UnauthorizedOperation"), backoff.toString());
            assertTrue(notified.getLast().reason().contains("repair back-off entered: " + refused),
                    notified.getLast().reason());
        }
    }

    @Test
    void aTableThatBecomesWritable_isRepairedAtItsRetryTime_andThatIsAnnounced() {
        try (ReliabilityWorld world = new ReliabilityWorld(3, 1, 1)) {
            Orchestrator orchestrator = orchestrator(world);
            String refused = flipWithOneTableRefused(world, orchestrator);
            Instant retryAt = round(orchestrator).backoff().get(refused).retryAt();
            world.endpoint.faults().acceptWritesTo(refused); // the IAM policy was fixed

            while (clock.instant().isBefore(retryAt.minus(ROUND))) {
                assertFalse(round(orchestrator).backoff().isEmpty(), "not retried before its time");
            }
            assertEquals(ReliabilityWorld.ENI_A, world.routes().get(refused));
            round(orchestrator);
            round(orchestrator);

            assertTrue(world.allOn(ReliabilityWorld.ENI_B), world.routes().toString());
            HistoryEvent repaired = notified.getLast();
            assertEquals(HistoryKind.REPAIR, repaired.kind());
            assertTrue(repaired.reason().contains("repair back-off left: " + refused), repaired.reason());
            assertTrue(world.states().read("web").backoff().isEmpty());
        }
    }
}
