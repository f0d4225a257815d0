package io.vipflip.demo;

import io.vipflip.local.harness.LocalWorld;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ./bench cost}: the three fault scenarios with the watch loop in its own JVM under each Lambda size's CPU
 * share and heap ({@link CappedWatchProcess}), and what watch mode then costs a month.
 */
final class CostBench {
    /** Billed seconds of the watch function per 30-day month (`./bench coverage`, hand-off, 300 s timeout). */
    static final double BILLED_SECONDS_PER_MONTH = 2_616_005;
    static final double LAMBDA_GB_SECOND = 0.0000133334;
    static final double REQUESTS = 43_200 * 0.20 / 1_000_000;
    /** One strongly consistent GetItem per round at 500 ms, plus the watcher item (decision 49), on demand. */
    static final double DYNAMODB = 2 * 86_400 * 30 * 0.125 / 1_000_000 + 0.36 + 0.20;

    record SizeResult(int memoryMb, List<FaultBench.Result> results, long peakRssKb, long throttledPeriods) {
    }

    static double lambdaDollars(int memoryMb) {
        return BILLED_SECONDS_PER_MONTH * memoryMb / 1024.0 * LAMBDA_GB_SECOND;
    }

    static List<SizeResult> run(List<Integer> sizes, Duration ec2Latency, int trials, int tables,
                                List<FaultBench.Scenario> scenarios) throws Exception {
        CappedWatchProcess.unavailable().ifPresent(why -> {
            throw new IllegalStateException("cannot emulate Lambda sizes: " + why);
        });
        List<SizeResult> out = new ArrayList<>();
        for (int mb : sizes) {
            System.out.printf("size %d MB: %.1f %% of one CPU, heap %d MB%n", mb, 100.0 * mb / CappedWatchProcess.ONE_VCPU_MB,
                    mb * 7 / 10);
            AtomicReference<CappedWatchProcess> process = new AtomicReference<>();
            List<FaultBench.Result> results = new FaultBench(ec2Latency, trials, tables).runAll(scenarios, world -> {
                try {
                    process.set(new CappedWatchProcess(mb, world.ec2().endpoint().toString(),
                            world.dynamo().endpoint().toString(), LocalWorld.REGION));
                    return process.get();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, true);
            out.add(new SizeResult(mb, results, process.get().peakRssKb(), process.get().throttledPeriods()));
        }
        return out;
    }

    static String report(List<SizeResult> sizes, int latencyMillis, int trials, int tables) {
        StringBuilder md = new StringBuilder();
        md.append(String.format("Measured %s on %s. `./bench cost --trials %d`: the failover scenarios of `./bench "
                        + "failover` (defaults, %d tables, EC2 %d ms per call, throttling on) with the watch loop in its own "
                        + "JVM under a CPU quota of size / 1,769 MB of one CPU (a cgroup), heap capped at 70 %% of the size "
                        + "(a peak RSS above the size means Lambda would end the invocation: that size does not fit), "
                        + "serial GC and tiered compilation stopped at level 1 as in Lambda's java21 runtime; one unmeasured "
                        + "warm-up trial per size (a warm container). Cost: %,.0f billed seconds a month (`./bench coverage`) "
                        + "× size × $%.10f per GB-s, plus requests; DynamoDB (rounds + watcher item) ≈ $%.2f whatever the size. "
                        + "The world (EC2, DynamoDB Local, haproxy) runs outside the quota.%n%n",
                Bench.today(), Bench.machine(), trials, tables, latencyMillis, BILLED_SECONDS_PER_MONTH,
                LAMBDA_GB_SECOND, DYNAMODB));
        md.append("| size | CPU share | scenario | trials | did not flip | p50 ms | p95 ms | max ms | goal | peak RSS | "
                + "throttled 100 ms periods | Lambda $ / month | with DynamoDB |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (SizeResult s : sizes) {
            for (FaultBench.Result r : s.results()) {
                List<Long> t = r.totals();
                md.append(String.format("| %d MB | %.1f %% | %s | %d | %d | %d | %d | %d | %s | %d MB | %d | $%.2f | $%.2f |%n",
                        s.memoryMb(), 100.0 * s.memoryMb() / CappedWatchProcess.ONE_VCPU_MB, r.scenario().name().toLowerCase(),
                        r.attempted(), r.attempted() - t.size(), Stats.percentile(t, 50), Stats.percentile(t, 95),
                        Stats.max(t), FaultBench.goal(r.scenario()), s.peakRssKb() / 1024, s.throttledPeriods(),
                        lambdaDollars(s.memoryMb()) + REQUESTS, lambdaDollars(s.memoryMb()) + REQUESTS + DYNAMODB));
            }
        }
        List<String> failures = sizes.stream().flatMap(s -> s.results().stream().flatMap(r -> r.failures().stream()
                .map(f -> s.memoryMb() + " MB " + r.scenario().name().toLowerCase() + " " + f))).toList();
        md.append(failures.isEmpty() ? "\nEvery trial flipped.\n" : "\nTrials that did not flip:\n");
        failures.forEach(f -> md.append("- ").append(f).append('\n'));
        return md.toString();
    }
}
