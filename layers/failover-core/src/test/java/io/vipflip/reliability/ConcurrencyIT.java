package io.vipflip.reliability;

import io.vipflip.policy.HistoryKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.history.HistoryEvent;
import io.vipflip.orchestrator.Orchestrator;
import io.vipflip.policy.Trigger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * 64 processes fire at once — schedule, alarm and manual reconcile mixed — against DynamoDB Local and the EC2
 * endpoint, for 200 rounds, while the active node dies every 20 rounds. Exactly one flip per needed change,
 * tokens strictly increasing, and the history agrees with the routes.
 */
class ConcurrencyIT {
    private static final int PROCESSES = 64;
    private static final int ROUNDS = 200;

    @Test
    void sixtyFourSimultaneousTriggers_flipExactlyOncePerChange() throws Exception {
        try (ReliabilityWorld world = new ReliabilityWorld(3, 1, 1);
             ExecutorService pool = Executors.newFixedThreadPool(PROCESSES)) {
            List<Orchestrator> processes = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                processes.add(world.orchestrator("p" + i, Clock.systemUTC()));
            }
            String active = "a";
            int changes = 0;
            for (int round = 0; round < ROUNDS; round++) {
                if (round > 0 && round % 20 == 0) {
                    String survivor = active.equals("a") ? "b" : "a";
                    if (changes > 0) {
                        world.revive(survivor); // it was killed at the previous change
                    }
                    world.kill(active);
                    active = survivor;
                    changes++;
                }
                CyclicBarrier start = new CyclicBarrier(PROCESSES);
                List<Future<?>> runs = new ArrayList<>();
                for (int i = 0; i < PROCESSES; i++) {
                    Orchestrator process = processes.get(i);
                    Trigger trigger = switch (i % 5) {
                        case 0 -> new Trigger.Alarm("status-" + active, active.equals("a") ? "b" : "a");
                        case 1 -> new Trigger.Reconcile("operator reconcile");
                        default -> new Trigger.Scheduled();
                    };
                    runs.add(pool.submit(() -> {
                        start.await();
                        return process.run("web", trigger);
                    }));
                }
                for (Future<?> run : runs) {
                    run.get();
                }
                if (round % 20 == 19) {
                    String eni = active.equals("a") ? ReliabilityWorld.ENI_A : ReliabilityWorld.ENI_B;
                    assertTrue(world.allOn(eni), "round " + round + ": " + world.routes());
                }
            }

            List<HistoryEvent> history = world.history();
            List<HistoryEvent> flips = history.stream().filter(e -> e.kind() == HistoryKind.FLIP).toList();
            assertEquals(changes, flips.size(), "exactly one flip per needed change: " + flips);
            long last = 0;
            for (HistoryEvent event : history) {
                assertTrue(event.token() > last, "tokens strictly increase: " + history);
                last = event.token();
            }
            assertEquals(active, flips.getLast().to().orElseThrow(), "history agrees with the routes");
            assertEquals(3L * changes, world.endpoint.calls().writes(), "no write beyond the flips");
        }
    }
}
