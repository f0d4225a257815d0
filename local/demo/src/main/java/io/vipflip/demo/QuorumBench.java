package io.vipflip.demo;

import io.vipflip.config.ConfigParser;
import io.vipflip.lease.LeaseOwner;
import io.vipflip.local.ec2.CallLog;
import io.vipflip.local.harness.LocalObservers;
import io.vipflip.local.harness.LocalWorld;
import io.vipflip.local.lambda.LambdaEndpoint;
import io.vipflip.local.nodes.AzNetwork;
import io.vipflip.local.nodes.NodeNetwork;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.orchestrator.WatchLoop;
import io.vipflip.probe.ProbeTarget;
import io.vipflip.runtime.Engine;
import io.vipflip.vantage.BatchedVantagePoints;
import io.vipflip.vantage.LambdaVantagePoints;
import io.vipflip.vantage.VantagePoints;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the AZ quorum (issue 14) costs a real failover: kill -9 the active haproxy and measure, from the EC2
 * endpoint's own call log, until the last route table points at the survivor — with {@code vantage: local}, then
 * with {@code vantage: quorum} (three observer processes in three zone namespaces behind the local Lambda endpoint,
 * each invocation delayed by an emulated Lambda round trip). Needs root, ip and nft. Prints figures, never fails on
 * a timing.
 */
final class QuorumBench {
    record Result(String mode, List<Long> millis, int neverFlipped) {
        long p50() {
            return Stats.percentile(millis, 50);
        }

        long p95() {
            return Stats.percentile(millis, 95);
        }
    }

    private static final List<String> ZONES = List.of("az-a", "az-b", "az-c");
    private final Duration ec2Latency;
    private final Duration lambdaLatency;
    private final int trials;

    QuorumBench(Duration ec2Latency, Duration lambdaLatency, int trials) {
        this.ec2Latency = ec2Latency;
        this.lambdaLatency = lambdaLatency;
        this.trials = trials;
    }

    List<Result> run() throws InterruptedException {
        NodeNetwork.namespacesUnavailable().ifPresent(why -> {
            throw new IllegalStateException("the quorum benchmark needs network namespaces: " + why);
        });
        try (LocalWorld world = LocalWorld.start(LocalWorld.Settings.bench(3, 500, 3, ec2Latency), NodeNetwork.NAMESPACES);
             AzNetwork zones = AzNetwork.create(world.nodes(), ZONES);
             LambdaEndpoint lambda = LambdaEndpoint.start();
             LocalObservers observers = LocalObservers.start(zones, ZONES, lambda)) {
            observers.functionNames().forEach(f -> lambda.delay(f, lambdaLatency));
            var client = world.clients().lambda(lambda.uri());
            // As the deployed functions ask (Engine.fromEnvironment): batched, so its gather window is in the figure.
            VantagePoints vantage = new BatchedVantagePoints(new LambdaVantagePoints(client, observers.functionNames()));
            List<ProbeTarget> nodes = world.nodes().names().stream()
                    .map(n -> new ProbeTarget(n, world.nodes().address(n), List.of(world.port()))).toList();
            for (int i = 0; i < 5; i++) { // warm observers and client, as deployed ones are kept warm
                vantage.ask(nodes, Duration.ofMillis(250), Duration.ofSeconds(30));
            }
            List<Result> results = new ArrayList<>();
            for (String mode : List.of("local", "quorum")) {
                System.out.printf("case: vantage %s, %d trials...%n", mode, trials);
                results.add(measure(world, mode, vantage));
                world.reset();
            }
            client.close();
            return results;
        }
    }

    private Result measure(LocalWorld world, String mode, VantagePoints vantage) throws InterruptedException {
        String json = world.configJson().replace("\"name\": \"web\",",
                "\"name\": \"web\", \"vantage\": \"" + mode + "\", \"quorumDeadlineMillis\": 600,");
        Engine engine = Engine.create(new ConfigParser().parse(json), world.table(), world.ec2Client(),
                world.dynamoClient(), Clock.systemUTC(), LeaseOwner.fixed("bench-" + mode),
                io.vipflip.history.Notifier.NONE, vantage);
        List<RunResult> results = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        WatchLoop loop = new WatchLoop(engine.orchestrator(), Clock.systemUTC(), d -> {
            Thread.sleep(d.toMillis());
            if (done.get()) {
                throw new InterruptedException("bench case finished");
            }
        });
        Thread thread = Thread.ofPlatform().name("watch-" + mode).start(() -> loop.run(Duration.ofHours(1), results::add));
        List<Long> millis = new ArrayList<>();
        int never = 0;
        String active = "haproxy-a";
        for (int i = 0; i < trials; i++) {
            String survivor = active.equals("haproxy-a") ? "haproxy-b" : "haproxy-a";
            String was = active;
            Waits.await(() -> world.allOn(was) && engine.orchestrator().health("web")
                    .map(h -> h.of("haproxy-a").isUp() && h.of("haproxy-b").isUp()).orElse(false), Duration.ofSeconds(30));
            Thread.sleep(2100); // the bench world's damping allows one flip per 2 s
            world.ec2().calls().clear();
            long killed = System.nanoTime();
            world.nodes().kill(active);
            if (Waits.await(() -> world.allOn(survivor), Duration.ofSeconds(20))) {
                long lastWrite = world.ec2().calls().all().stream().filter(c -> c.isWrite() && c.status() == 200)
                        .mapToLong(CallLog.Call::nanoTime).max().orElse(System.nanoTime());
                millis.add((lastWrite - killed) / 1_000_000);
            } else {
                never++;
            }
            world.nodes().restart(active);
            active = survivor;
        }
        done.set(true);
        thread.join(10_000);
        return new Result(mode, millis, never);
    }

    /**
     * The observers' Lambda cost per month, arm64 on-demand prices: the keep-warm pings (every 5 minutes, each
     * observer) plus one invocation per observer per round that wants to flip.
     */
    static String report(List<Result> results, int ec2LatencyMillis, int lambdaLatencyMillis, int trials) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Kill -9 of the active haproxy until the last of 3 tables moved; interval "
                + "500 ms, fall 3, EC2 latency %d ms, each observer invocation delayed %d ms (a warm Lambda round trip), "
                + "3 observers in 3 zone namespaces, %d trials per mode.%n%n", ec2LatencyMillis, lambdaLatencyMillis, trials));
        out.append("| vantage | p50 ms | p95 ms | never flipped |\n|---|---|---|---|\n");
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d |%n", r.mode(), r.p50(), r.p95(), r.neverFlipped()));
        }
        if (results.size() == 2) {
            out.append(String.format(Locale.ROOT, "%nquorum p95 - local p95: %d ms (goal: within 300 ms)%n",
                    results.get(1).p95() - results.get(0).p95()));
        }
        // 3 observers x 8,640 pings (every 5 min) x ~20 ms at 512 MB, plus asks: 3 per flip-wanting round.
        double pings = 3 * 8_640;
        double gbSeconds = pings * 0.5 * 0.02;
        double cost = pings / 1_000_000 * 0.20 + gbSeconds * 0.0000133334;
        out.append(String.format(Locale.ROOT, "%nObserver Lambda cost per month (arm64, us-east-1 on-demand): keep-warm "
                + "%,.0f invocations, %.0f GB-s ≈ $%.3f; each round that wants to flip adds 3 invocations of about one "
                + "probe timeout at 512 MB (≈ $0.0000022 each): a one-hour partition asked every 500 ms ≈ 21,600 "
                + "invocations ≈ $0.05.%n", pings, gbSeconds, cost));
        return out.toString();
    }
}
