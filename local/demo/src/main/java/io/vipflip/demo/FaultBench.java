package io.vipflip.demo;

import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.local.ec2.CallLog;
import io.vipflip.local.harness.LocalWorld;
import io.vipflip.local.nodes.NodeNetwork;
import io.vipflip.runtime.Engine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * {@code ./bench failover}: the three ways an active node fails, with the DEFAULT configuration (only the probe port
 * is given; the HTTP check is added for the frozen case), {@code tables} route tables, real haproxy in network
 * namespaces, an emulated EC2 latency and EC2's throttling buckets on. Each trial is a fresh deployment (a new
 * table: the default damping would otherwise refuse the next flips), the health-check function's own watch loop
 * ({@link Engine#watch}, hand-off included), a random delay of 0–1 s once both nodes are UP (so the fault is not
 * locked to the probe phase), then the fault on the active node. Time: from the fault being in effect (the call
 * that injects it returned) to the last successful route write, read from the EC2 endpoint's call log. A trial
 * whose tables do not all reach the survivor within 20 s is reported with what the world looked like.
 */
final class FaultBench {
    enum Scenario {
        KILLED("process killed (kill -9: connections refused)", false),
        LOST("node lost (packets dropped in its namespace, no RST: connects time out)", false),
        FROZEN("process frozen (SIGSTOP: handshakes complete; HTTP check on)", true);

        final String description;
        final boolean httpCheck;

        Scenario(String description, boolean httpCheck) {
            this.description = description;
            this.httpCheck = httpCheck;
        }
    }

    record Result(Scenario scenario, int attempted, List<Long> totals, List<String> failures) {
    }

    /** Where the watch loop runs: in this JVM, or in a JVM of its own with a Lambda size's CPU share. */
    interface Loop extends AutoCloseable {
        void start(String table, String configJson) throws Exception;

        boolean steady();

        void stop() throws InterruptedException;

        @Override
        default void close() {
        }
    }

    /** The health-check function's watch loop ({@link Engine#watch}, hand-off included) in this JVM. */
    static final class InProcessLoop implements Loop {
        private final LocalWorld world;
        private Engine engine;
        private Thread thread;

        InProcessLoop(LocalWorld world) {
            this.world = world;
        }

        @Override
        public void start(String table, String configJson) {
            engine = Engine.create(new ConfigParser().parse(configJson), table, world.ec2Client(),
                    world.dynamoClient(), Clock.systemUTC(), "bench:" + UUID.randomUUID());
            Engine running = engine;
            thread = Thread.ofPlatform().name("watch-loop").start(() ->
                    running.watch().run(Duration.ofMinutes(5), r -> { }));
        }

        @Override
        public boolean steady() {
            return engine.orchestrator().health("web").map(h -> h.of("haproxy-a").isUp()
                    && h.of("haproxy-b").isUp()).orElse(false);
        }

        @Override
        public void stop() throws InterruptedException {
            engine.watch().stop(); // an interrupt alone can be lost in an SDK call: the loop would outlive its trial
            thread.join(10_000);
        }
    }

    private final Duration ec2Latency;
    private final int trials;
    private final int tables;
    private final Random random = new Random(42);
    private Loop loop;

    FaultBench(Duration ec2Latency, int trials, int tables) {
        this.ec2Latency = ec2Latency;
        this.trials = trials;
        this.tables = tables;
    }

    List<Result> runAll(List<Scenario> scenarios) throws Exception {
        return runAll(scenarios, InProcessLoop::new, false);
    }

    /** Runs the scenarios with the loop {@code loops} makes (once, for all of them); a warm-up trial first if asked. */
    List<Result> runAll(List<Scenario> scenarios, java.util.function.Function<LocalWorld, Loop> loops, boolean warmUp)
            throws Exception {
        List<Result> results = new ArrayList<>();
        NodeNetwork network = NodeNetwork.best();
        try (LocalWorld world = LocalWorld.start(LocalWorld.Settings.bench(tables, 500, 3, ec2Latency), network);
             Loop loop = loops.apply(world)) {
            this.loop = loop;
            if (warmUp) {
                // A warm container: the JVM's first rounds (class loading, JIT) are not part of a failover.
                trial(world, Scenario.KILLED, new ConfigParser().parse(defaultsConfig(world.port(), false)),
                        defaultsConfig(world.port(), false), -1, new ArrayList<>(), new ArrayList<>());
            }
            for (Scenario scenario : scenarios) {
                if (scenario == Scenario.LOST && network != NodeNetwork.NAMESPACES) {
                    results.add(new Result(scenario, 0, List.of(), List.of("not run: "
                            + NodeNetwork.namespacesUnavailable().orElse("no namespaces"))));
                    continue;
                }
                System.out.printf("scenario: %s, %d tables, %d trials...%n", scenario.description, tables, trials);
                Result result = run(world, scenario);
                System.out.println(row(result));
                results.add(result);
            }
        }
        return results;
    }

    /** The default configuration: only what has no default (the port), plus the HTTP check when asked. */
    static String defaultsConfig(int port, boolean httpCheck) {
        return """
                {"groups": [{"name": "web", "vips": ["%s"],
                  "nodes": [{"name": "haproxy-a", "instanceId": "i-0aaaaaaaaaaaaaaa1", "priority": 200},
                            {"name": "haproxy-b", "instanceId": "i-0bbbbbbbbbbbbbbb2", "priority": 100}],
                  "routeTables": {"tag": {"key": "vipflip:group", "value": "web"}},
                  "probe": {"ports": [%d]%s}}]}
                """.formatted(LocalWorld.VIP, port, httpCheck ? ", \"http\": {\"path\": \"/healthz\"}" : "");
    }

    private Result run(LocalWorld world, Scenario scenario) throws Exception {
        String json = defaultsConfig(world.port(), scenario.httpCheck);
        DeploymentConfig config = new ConfigParser().parse(json);
        List<Long> totals = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            trial(world, scenario, config, json, i, totals, failures);
        }
        return new Result(scenario, trials, totals, failures);
    }

    private void trial(LocalWorld world, Scenario scenario, DeploymentConfig config, String json, int i,
                       List<Long> totals, List<String> failures) throws Exception {
        world.reset(); // nodes running and reachable, routes on haproxy-a, a fresh table
        world.ec2().faults().latency(ec2Latency);
        world.ec2().throttling().enabled(true);
        try {
            loop.start(world.table(), json);
        } catch (RuntimeException e) {
            failures.add("trial " + i + ": the watch loop could not start: " + e.getMessage());
            return;
        }
        try {
            boolean steady = Waits.await(() -> world.allOn("haproxy-a") && loop.steady(), Duration.ofSeconds(60));
            if (!steady) {
                failures.add("trial " + i + ": never steady (both UP, routes on haproxy-a): " + world.routes());
                return;
            }
            Thread.sleep(random.nextInt(1000));
            world.ec2().calls().clear();
            switch (scenario) {
                case KILLED -> world.nodes().kill("haproxy-a");
                case LOST -> world.nodes().lose("haproxy-a");
                case FROZEN -> world.nodes().freeze("haproxy-a");
            }
            long faulted = System.nanoTime();
            boolean flipped = Waits.await(() -> world.allOn("haproxy-b"), Duration.ofSeconds(20));
            if (!flipped) {
                failures.add("trial " + i + ": tables never all reached haproxy-b within 20 s: " + world.routes()
                        + "; EC2 calls: " + world.ec2().calls().all().size());
                return;
            }
            long lastWrite = world.ec2().calls().all().stream().filter(c -> c.isWrite() && c.status() == 200)
                    .mapToLong(CallLog.Call::nanoTime).max().orElse(System.nanoTime());
            totals.add((lastWrite - faulted) / 1_000_000);
        } finally {
            loop.stop();
        }
    }

    static String row(Result r) {
        List<Long> t = r.totals();
        return String.format("| %s | %d | %d | %s | %s | %s | %s |", r.scenario().description, r.attempted(),
                r.attempted() - t.size(), ms(Stats.percentile(t, 50)), ms(Stats.percentile(t, 95)), ms(Stats.max(t)),
                goal(r.scenario()));
    }

    private static String ms(long value) {
        return value < 0 ? "–" : String.valueOf(value);
    }

    static String goal(Scenario s) {
        return switch (s) {
            case KILLED -> "p95 ≤ 1200";
            case LOST -> "p95 ≤ 2000";
            case FROZEN -> "p95 ≤ 2500";
        };
    }

    static String report(List<Result> results, int latencyMillis, int trials, int tables) {
        StringBuilder md = new StringBuilder();
        md.append(String.format("Measured %s on %s. `./bench failover --trials %d`: the DEFAULT configuration (%s), "
                        + "%d route tables found by tag, real haproxy nodes each in its own network namespace, EC2 latency "
                        + "%d ms per call with EC2's throttling buckets on. Each trial: a fresh deployment, the "
                        + "health-check function's watch loop, a random 0–1 s wait once both nodes are UP, then the fault on "
                        + "the active node; time from the fault being in effect to the last successful route write (the EC2 "
                        + "endpoint's call log). Every trial is counted: one that did not flip within 20 s is listed below "
                        + "the table, never dropped.%n%n",
                Bench.today(), Bench.machine(), trials,
                "inter 500 ms, fastinter 200 ms, timeout 300 ms, fall 3, rise 2", tables, latencyMillis));
        md.append("| scenario | trials | did not flip | p50 ms | p95 ms | max ms | goal |\n|---|---|---|---|---|---|---|\n");
        results.forEach(r -> md.append(row(r)).append('\n'));
        List<String> failures = results.stream().flatMap(r -> r.failures().stream()
                .map(f -> r.scenario().name().toLowerCase() + " " + f)).toList();
        md.append(failures.isEmpty() ? "\nEvery trial flipped.\n" : "\nTrials that did not flip:\n");
        failures.forEach(f -> md.append("- ").append(f).append('\n'));
        return md.toString();
    }
}
