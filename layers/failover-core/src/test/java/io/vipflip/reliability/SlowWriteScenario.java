package io.vipflip.reliability;

import io.vipflip.history.HistoryEvent;
import io.vipflip.local.ec2.CallLog;
import io.vipflip.orchestrator.Orchestrator;
import io.vipflip.orchestrator.Outcome;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.policy.Trigger;
import io.vipflip.route.RouteWriteOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * A holder whose route writes stay in flight at EC2 past its write bound, and a successor that wants to write
 * while they do. Nodes a (dead), b, c. The holder flips a → b, but EC2 applies each of its writes only
 * {@link #SLOW_WRITE} after receiving it, whether or not the holder still waits. Once those writes are in flight,
 * b dies: the successor (its own owner and clock) wants c and tries every 100 ms until it flips.
 *
 * <p>Real clocks, but nothing here asserts a duration: the budget is chosen so that, on a correct lease, the
 * holder's writes land at least a second before any successor may act, whatever the machine's speed
 * (lease 10 s, skew margin 1 s, settle 4 s: writes cut at expiresAt − 5 s, landing by expiresAt − 1 s at the
 * latest as long as the holder sends within 1 s of taking the lease). The guards only stop a hung test.
 */
final class SlowWriteScenario {
    static final String TIMING = "\"leaseMillis\": 10000, \"timing\": {\"skewMarginMillis\": 1000,"
            + " \"writeSettleMillis\": 4000},";
    static final Duration SLOW_WRITE = Duration.ofSeconds(7);
    static final int TABLES = 2;
    private static final Duration GUARD = Duration.ofSeconds(60);

    record Result(RunResult holder, List<RunResult> successor, Map<String, String> routes,
                  List<HistoryEvent> history, List<CallLog.Call> landedWrites) {

        /** Per table: how many writes EC2 applied, and how many history says were (or may have been) applied. */
        Map<String, List<Integer>> landedVersusHistory() {
            Map<String, List<Integer>> counts = new HashMap<>();
            landedWrites.forEach(c -> counts.computeIfAbsent(c.tableId(), t -> new ArrayList<>(List.of(0, 0)))
                    .set(0, counts.get(c.tableId()).get(0) + 1));
            for (HistoryEvent event : history) {
                for (RouteWriteOutcome o : event.outcomes()) {
                    if (o.succeeded() || o.mayHaveLanded()) {
                        counts.computeIfAbsent(o.tableId(), t -> new ArrayList<>(List.of(0, 0)))
                                .set(1, counts.get(o.tableId()).get(1) + 1);
                    }
                }
            }
            return counts;
        }
    }

    static ReliabilityWorld world() {
        return new ReliabilityWorld(TABLES, 1, 1, TIMING, true);
    }

    static Result run(ReliabilityWorld world, Clock holderClock, Clock successorClock) throws Exception {
        Orchestrator holder = world.orchestrator("holder", holderClock);
        Orchestrator successor = world.orchestrator("successor", successorClock);
        world.kill("a");
        world.endpoint.calls().clear();
        world.endpoint.faults().slowWrites(SLOW_WRITE, TABLES);
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<RunResult> holding = pool.submit(() -> holder.run("web", new Trigger.Scheduled()));
            await(() -> world.endpoint.faults().slowWritesStarted() == TABLES, "the holder's writes reach EC2");
            world.kill("b");
            List<RunResult> successorRuns = new ArrayList<>();
            await(() -> {
                successorRuns.add(successor.run("web", new Trigger.Scheduled()));
                return successorRuns.getLast().outcome() == Outcome.FLIPPED;
            }, "the successor flips");
            RunResult held = holding.get();
            // Every write EC2 received is applied in the end: wait for the holder's slow ones too.
            await(() -> landed(world).size() >= 2 * TABLES, "the holder's writes land");
            return new Result(held, successorRuns, world.routes(), world.history(), landed(world));
        }
    }

    private static List<CallLog.Call> landed(ReliabilityWorld world) {
        return world.endpoint.calls().all().stream().filter(c -> c.isWrite() && c.status() == 200).toList();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("gave up waiting: " + what);
            }
            Thread.sleep(100);
        }
    }

    private SlowWriteScenario() {
    }
}
