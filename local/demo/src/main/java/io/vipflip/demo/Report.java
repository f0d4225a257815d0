package io.vipflip.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Formats benchmark results and writes them into their section of docs/benchmarks.md. */
final class Report {
    private Report() {
    }

    static String failoverRow(FailoverBench.Result r) {
        List<Long> totals = r.trials().stream().map(FailoverBench.Trial::totalMillis).toList();
        return String.format("| %d | %d ms | %d of %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %.1f (%.1f Describe) | %.1f | %d | %.0f + %.0f |",
                r.setup().tables(), r.setup().intervalMillis(), r.trials().size(), r.attempted(), r.neverFlipped(),
                Stats.percentile(totals, 50), Stats.percentile(totals, 95), Stats.max(totals),
                p50(r, FailoverBench.Trial::detectionMillis), r.negativeDetections(), p50(r, FailoverBench.Trial::leaseMillis),
                p50(r, FailoverBench.Trial::writesMillis), p50(r, FailoverBench.Trial::verifyMillis),
                r.ec2CallsPerRound(), r.describesPerRound(), r.dynamoCallsPerRound(), r.steadyWrites(),
                median(r, FailoverBench.Trial::ec2Writes), median(r, FailoverBench.Trial::ec2Reads));
    }

    static String failover(List<FailoverBench.Result> results, int latencyMillis, int trials) {
        StringBuilder md = new StringBuilder();
        boolean haproxy = results.stream().allMatch(FailoverBench.Result::realHaproxy);
        md.append(String.format("Measured %s on %s. Local world with %s, EC2 latency %d ms per call, fall 3, "
                + "%d trials per case; time from `kill -9` of the active node to the last successful route write, "
                + "read from the EC2 endpoint's call log. A trial whose tables never all reached the survivor within 20 s "
                + "has no time and is counted under *never flipped*; detection is the total less the engine's lease, "
                + "confirm and write timings, and a negative one (the two clocks disagree) is counted, not clamped.%n%n",
                Bench.today(), Bench.machine(),
                haproxy ? "real haproxy nodes" : "Java listeners standing in for haproxy (not installed)", latencyMillis,
                trials));
        md.append("| tables | interval | trials measured | never flipped | p50 ms | p95 ms | max ms | detection p50 | "
                + "negative detections | lease p50 | writes p50 | verify p50 | EC2 calls / steady round | "
                + "DynamoDB calls / round | writes in steady state | "
                + "failover EC2 calls (writes + reads after the first write) |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        results.forEach(r -> md.append(failoverRow(r)).append('\n'));
        return md.toString();
    }

    private static long p50(FailoverBench.Result r, java.util.function.ToLongFunction<FailoverBench.Trial> f) {
        return Stats.percentile(r.trials().stream().map(t -> f.applyAsLong(t)).toList(), 50);
    }

    private static double median(FailoverBench.Result r, java.util.function.ToLongFunction<FailoverBench.Trial> f) {
        return p50(r, f);
    }

    /** Replaces the section between its markers, keeping the rest of the file (written by hand). */
    static void write(Path file, String name, String section) throws IOException {
        String start = "<!-- bench:" + name + ":start -->";
        String end = "<!-- bench:" + name + ":end -->";
        Bench.ensureParent(file);
        String text = Files.exists(file) ? Files.readString(file) : "";
        String block = start + "\n" + section + "\n" + end;
        int a = text.indexOf(start);
        int b = text.indexOf(end);
        text = a >= 0 && b > a ? text.substring(0, a) + block + text.substring(b + end.length()) : text + "\n" + block + "\n";
        Files.writeString(file, text);
    }
}
