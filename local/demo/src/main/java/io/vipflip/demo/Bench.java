package io.vipflip.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./bench failover [--trials N] [--ec2-latency-ms 50]}, {@code ./bench budget} (EC2 calls per second at 1, 10
 * and 50 groups) and {@code ./bench coldstart}: print the figures and
 * write docs/benchmarks.md. Never fails on a timing.
 */
public final class Bench {
    public static void main(String[] args) throws Exception {
        String what = args.length == 0 ? "failover" : args[0];
        int trials = intArg(args, "--trials", 20);
        int latency = intArg(args, "--ec2-latency-ms", 50);
        Path out = Path.of(stringArg(args, "--out", "docs/benchmarks.md"));
        if (what.equals("failover")) {
            int tables = intArg(args, "--tables", 3);
            List<FaultBench.Scenario> scenarios = new ArrayList<>();
            for (String name : stringArg(args, "--scenarios", "killed,lost,frozen").split(",")) {
                scenarios.add(FaultBench.Scenario.valueOf(name.trim().toUpperCase()));
            }
            List<FaultBench.Result> results = new FaultBench(Duration.ofMillis(latency), trials, tables)
                    .runAll(scenarios);
            String section = FaultBench.report(results, latency, trials, tables);
            System.out.println(section);
            Report.write(out, "faults", section);
        } else if (what.equals("groups")) {
            GroupsBench bench = new GroupsBench(Duration.ofMillis(latency), trials);
            List<GroupsBench.Result> results = new ArrayList<>();
            for (int groups : new int[] {1, 50}) {
                System.out.printf("case: %d groups, %d trials...%n", groups, trials);
                results.add(bench.run(groups));
            }
            String section = GroupsBench.report(results, latency, trials);
            System.out.println(section);
            Report.write(out, "groups", section);
        } else if (what.equals("quorum")) {
            int lambdaLatency = intArg(args, "--lambda-latency-ms", 20);
            List<QuorumBench.Result> results = new QuorumBench(Duration.ofMillis(latency),
                    Duration.ofMillis(lambdaLatency), trials).run();
            String section = QuorumBench.report(results, latency, lambdaLatency, trials);
            System.out.println(section);
            Report.write(out, "quorum", section);
        } else if (what.equals("cost")) {
            int tables = intArg(args, "--tables", 3);
            List<Integer> sizes = new ArrayList<>();
            for (String size : stringArg(args, "--sizes", "256,512,1024").split(",")) {
                sizes.add(Integer.parseInt(size.trim()));
            }
            List<FaultBench.Scenario> scenarios = new ArrayList<>();
            for (String name : stringArg(args, "--scenarios", "killed,lost,frozen").split(",")) {
                scenarios.add(FaultBench.Scenario.valueOf(name.trim().toUpperCase()));
            }
            List<CostBench.SizeResult> results = CostBench.run(sizes, Duration.ofMillis(latency), trials, tables, scenarios);
            String section = CostBench.report(results, latency, trials, tables);
            System.out.println(section);
            Report.write(out, "cost", section);
        } else if (what.equals("tables")) {
            FailoverBench bench = new FailoverBench(Duration.ofMillis(latency), trials);
            List<FailoverBench.Result> results = new ArrayList<>();
            for (String i : stringArg(args, "--intervals", "500,1000").split(",")) {
                int interval = Integer.parseInt(i.trim());
                for (String t : stringArg(args, "--tables-list", "2,20,100").split(",")) {
                    int tables = Integer.parseInt(t.trim());
                    System.out.printf("case: %d tables, interval %d ms, fall 3, EC2 latency %d ms, %d trials...%n",
                            tables, interval, latency, trials);
                    FailoverBench.Result result = bench.run(new FailoverBench.Case(tables, interval, 3));
                    results.add(result);
                    System.out.println(Report.failoverRow(result));
                }
            }
            String section = Report.failover(results, latency, trials);
            System.out.println(section);
            Report.write(out, "failover", section);
        } else if (what.equals("budget")) {
            ApiBudgetBench bench = new ApiBudgetBench(Duration.ofMillis(latency));
            List<ApiBudgetBench.Result> results = new ArrayList<>();
            for (int groups : new int[] {1, 10, 50}) {
                System.out.printf("case: %d groups x %d tables...%n", groups, ApiBudgetBench.TABLES_PER_GROUP);
                results.add(bench.run(groups));
            }
            String section = ApiBudgetBench.report(results, latency);
            System.out.println(section);
            Report.write(out, "budget", section);
        } else if (what.equals("coverage")) {
            CoverageBench.Options options = new CoverageBench.Options(intArg(args, "--days", 30),
                    Double.parseDouble(stringArg(args, "--lost", "0.01")), 30, 0.002, 10, 13,
                    Duration.ofMillis(10));
            CoverageBench bench = new CoverageBench(options);
            List<CoverageBench.Result> results = new ArrayList<>();
            results.add(bench.today());
            for (int timeout : new int[] {65, 150, 300}) {
                results.add(bench.handoff(Duration.ofSeconds(timeout)));
            }
            String section = CoverageBench.report(options, results);
            System.out.println(section);
            Report.write(out, "coverage", section);
        } else if (what.equals("coldstart")) {
            String section = new ColdStartBench(args).run();
            System.out.println(section);
            Report.write(out, "coldstart", section);
        } else {
            System.err.println("usage: bench failover|tables|groups|budget|coverage|cost|coldstart [--trials N] [--ec2-latency-ms MS]");
            System.exit(2);
        }
        System.exit(0);
    }

    static int intArg(String[] args, String name, int fallback) {
        return Integer.parseInt(stringArg(args, name, String.valueOf(fallback)));
    }

    static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    static String today() {
        return LocalDate.now().toString();
    }

    static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", JDK " + System.getProperty("java.version");
    }

    static void ensureParent(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
    }
}
