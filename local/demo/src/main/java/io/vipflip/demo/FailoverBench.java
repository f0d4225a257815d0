package io.vipflip.demo;

import io.vipflip.local.ec2.CallLog;
import io.vipflip.local.harness.LocalWorld;
import io.vipflip.orchestrator.Outcome;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.orchestrator.WatchLoop;
import io.vipflip.runtime.Engine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Failover time in the local world with real haproxy (or Java listeners where it is not installed; the report
 * says which) and an emulated EC2 latency: kill -9 the active node and
 * measure, from the EC2 endpoint's own call log (outside the engine), until the last route table points at the
 * survivor. Prints figures; never fails on a timing.
 */
final class FailoverBench {
    record Case(int tables, int intervalMillis, int fall) {
    }

    /**
     * One kill-to-flip measurement. {@code detectionMillis} is the total less the engine's own lease, confirm and
     * write timings, as measured: a negative value means the two clocks disagree, and is reported, not clamped.
     */
    record Trial(long totalMillis, long detectionMillis, long leaseMillis, long confirmMillis, long writesMillis,
                 long verifyMillis, long ec2Writes, long ec2Reads) {
        boolean negativeDetection() {
            return detectionMillis < 0;
        }
    }

    /**
     * A case's figures. {@code attempted} counts every kill; trials that never flipped within the wait are not in
     * {@code trials} (they have no time to measure) but are counted in {@code neverFlipped}, never dropped silently.
     */
    record Result(Case setup, boolean realHaproxy, int attempted, List<Trial> trials, int neverFlipped, double ec2CallsPerRound,
                  double describesPerRound, double dynamoCallsPerRound, long steadyWrites) {
        long negativeDetections() {
            return trials.stream().filter(Trial::negativeDetection).count();
        }
    }

    private final Duration ec2Latency;
    private final int trials;

    FailoverBench(Duration ec2Latency, int trials) {
        this.ec2Latency = ec2Latency;
        this.trials = trials;
    }

    Result run(Case setup) throws InterruptedException {
        try (LocalWorld world = LocalWorld.start(LocalWorld.Settings.bench(setup.tables(), setup.intervalMillis(),
                setup.fall(), ec2Latency))) {
            world.ec2().throttling().enabled(true); // EC2's token buckets (issue 13 §3): a 100-table flip meets them
            CallCounter dynamoCalls = new CallCounter();
            Engine engine = world.engine(Clock.systemUTC(), world.clients().dynamo(world.dynamo().endpoint(), dynamoCalls));
            List<RunResult> results = new CopyOnWriteArrayList<>();
            AtomicBoolean done = new AtomicBoolean();
            WatchLoop loop = new WatchLoop(engine.orchestrator(), Clock.systemUTC(), d -> {
                Thread.sleep(d.toMillis());
                if (done.get()) {
                    throw new InterruptedException("bench case finished");
                }
            });
            Thread thread = Thread.ofPlatform().name("watch-loop").start(() -> loop.run(Duration.ofHours(1), results::add));
            String active = "haproxy-a";
            awaitSteady(world, engine, active);

            // Steady state: what one quiet round costs.
            Thread.sleep(setup.intervalMillis() * 2L);
            world.ec2().calls().clear();
            dynamoCalls.reset();
            int before = results.size();
            Thread.sleep(setup.intervalMillis() * 10L);
            int rounds = Math.max(1, results.size() - before);
            List<CallLog.Call> steady = world.ec2().calls().all();
            double describes = steady.stream().filter(c -> c.action().equals("DescribeRouteTables")).count() / (double) rounds;
            double ec2PerRound = steady.size() / (double) rounds;
            double dynamoPerRound = dynamoCalls.count() / (double) rounds;
            long steadyWrites = steady.stream().filter(CallLog.Call::isWrite).count();

            List<Trial> measured = new ArrayList<>();
            int neverFlipped = 0;
            for (int i = 0; i < trials; i++) {
                String survivor = active.equals("haproxy-a") ? "haproxy-b" : "haproxy-a";
                awaitSteady(world, engine, active);
                Thread.sleep(2100); // the bench world's damping allows one flip per 2 s
                world.ec2().calls().clear();
                // Each flip starts with EC2's buckets full: flips are rare, and the previous trial's writes
                // would otherwise still be paid for (5 route writes per second refill).
                world.ec2().throttling().enabled(false).enabled(true);
                int seen = results.size();
                long killed = System.nanoTime();
                world.nodes().kill(active);
                boolean flipped = Waits.await(() -> world.allOn(survivor), Duration.ofSeconds(20));
                if (flipped) {
                    measured.add(trial(world, results, seen, killed));
                } else {
                    neverFlipped++;
                    System.err.printf("trial %d: %s was killed and the tables never all reached %s within 20 s: %s%n",
                            i, active, survivor, world.routes());
                }
                world.nodes().restart(active);
                active = survivor;
            }
            done.set(true);
            thread.join(10_000);
            return new Result(setup, world.nodes().realHaproxy(), trials, measured, neverFlipped, ec2PerRound, describes, dynamoPerRound,
                    steadyWrites);
        }
    }

    private static Trial trial(LocalWorld world, List<RunResult> results, int seen, long killedNanos)
            throws InterruptedException {
        Waits.await(() -> results.stream().skip(seen).anyMatch(r -> r.outcome() == Outcome.FLIPPED), Duration.ofSeconds(2));
        List<RunResult> runs = results.stream().skip(seen).toList();
        // Which runs acted, so a flip finished by a later repair (the first lease's window ended) shows as such.
        System.err.printf("trial runs that wrote: %s%n", runs.stream().filter(r -> !r.writes().isEmpty())
                .map(r -> r.outcome() + " " + r.writes().stream().filter(w -> w.succeeded()).count() + "/"
                        + r.writes().size() + " " + r.timingsMillis())
                .toList());
        List<CallLog.Call> calls = world.ec2().calls().all();
        long lastWrite = calls.stream().filter(c -> c.isWrite() && c.status() == 200)
                .mapToLong(CallLog.Call::nanoTime).max().orElse(System.nanoTime());
        long firstWrite = calls.stream().filter(c -> c.isWrite()).mapToLong(CallLog.Call::nanoTime).min().orElse(lastWrite);
        long total = (lastWrite - killedNanos) / 1_000_000;
        Map<String, Long> t = runs.stream().filter(r -> r.outcome() == Outcome.FLIPPED).findFirst()
                .map(RunResult::timingsMillis).orElse(Map.of());
        long lease = t.getOrDefault("lease", 0L);
        long confirm = t.getOrDefault("confirm", 0L);
        long writes = t.getOrDefault("writes", 0L);
        long flipReads = calls.stream().filter(c -> !c.isWrite() && c.nanoTime() >= firstWrite).count();
        return new Trial(total, total - lease - confirm - writes, lease, confirm, writes,
                t.getOrDefault("verify", 0L), calls.stream().filter(CallLog.Call::isWrite).count(), flipReads);
    }

    private static void awaitSteady(LocalWorld world, Engine engine, String active) throws InterruptedException {
        boolean steady = Waits.await(() -> world.allOn(active)
                && engine.orchestrator().health("web").map(h -> h.of("haproxy-a").isUp() && h.of("haproxy-b").isUp())
                .orElse(false), Duration.ofSeconds(30));
        if (!steady) {
            throw new IllegalStateException("the world did not settle with " + active + " active: " + world.routes());
        }
    }


}
