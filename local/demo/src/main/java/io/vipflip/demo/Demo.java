package io.vipflip.demo;

import io.vipflip.health.HealthTransition;
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
import java.util.concurrent.CountDownLatch;

/**
 * The README's first command: start the local world, run vipflip's watch loop (the health-check function's code
 * path) against it, kill -9 the active haproxy, show every table flip, bring the node back, show the failback.
 * Exits 0 when both happened, 1 otherwise. {@code --keep-running} then keeps the world as the {@link Sandbox}.
 */
public final class Demo {
    private static final Duration FLIP_DEADLINE = Duration.ofSeconds(15);
    private static final Duration FAILBACK_DEADLINE = Duration.ofSeconds(25);

    public static void main(String[] args) throws Exception {
        boolean keepRunning = List.of(args).contains("--keep-running");
        Timeline timeline = new Timeline(System.out);
        if (!keepRunning) {
            int exit;
            try (LocalWorld world = LocalWorld.start(LocalWorld.Settings.demo())) {
                exit = new Demo().run(world, timeline);
            }
            System.exit(exit);
        }
        // Kept running, the world becomes the sandbox (./sandbox): nodes in namespaces where possible, so that
        // every fault command works on it afterwards.
        java.nio.file.Path stateFile = SandboxState.path();
        Sandbox.refuseSecondSandbox(stateFile);
        SandboxState.removeStale(stateFile, timeline);
        LocalWorld world = LocalWorld.start(LocalWorld.Settings.demo(), io.vipflip.local.nodes.NodeNetwork.best());
        try {
            new Demo().run(world, timeline);
            printEnvironment(world);
        } catch (RuntimeException | InterruptedException e) {
            world.close();
            throw e;
        }
        Sandbox.open(world, timeline, stateFile).awaitStop();
    }

    int run(LocalWorld world, Timeline t) throws InterruptedException {
        t.say("local world up: EC2 %s, DynamoDB %s, nodes %s (port %d)", world.ec2().endpoint(),
                world.dynamo().endpoint(), world.nodes().realHaproxy() ? "real haproxy" : "plain listeners "
                        + "(haproxy not installed)", world.port());
        t.say("haproxy-a %s (eu-west-1a, priority 200), haproxy-b %s (eu-west-1b, priority 100)",
                world.nodes().address("haproxy-a"), world.nodes().address("haproxy-b"));
        t.say("VIP %s in %d route tables -> %s", LocalWorld.VIP, world.routes().size(), describe(world.routes()));
        Engine engine = world.engine(Clock.systemUTC());
        List<RunResult> notable = new java.util.concurrent.CopyOnWriteArrayList<>();
        // The health-check function's watch loop, with a sleeper that ends it between rounds when the demo is done.
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        WatchLoop watch = new WatchLoop(engine.orchestrator(), Clock.systemUTC(), d -> {
            Thread.sleep(d.toMillis());
            if (done.get()) {
                throw new InterruptedException("demo finished");
            }
        });
        Thread loop = Thread.ofPlatform().name("watch-loop").start(() -> watch
                .run(Duration.ofMinutes(2), r -> report(t, world, r, notable)));
        t.say("watch loop started: probe every 500 ms, fall 3, rise 2, failback after 5 s");

        Waits.await(() -> world.allOn("haproxy-a")
                && engine.orchestrator().health("web").map(h -> h.of("haproxy-a").isUp()).orElse(false),
                Duration.ofSeconds(5));
        sleep(1500);
        world.ec2().calls().clear();
        Duration killedAt = t.elapsed();
        world.nodes().kill("haproxy-a");
        t.say(">>> kill -9 haproxy-a (the active node)");
        boolean flipped = Waits.await(() -> world.allOn("haproxy-b"), FLIP_DEADLINE);
        Duration flipDone = t.elapsed();
        Waits.await(() -> !notable.isEmpty(), Duration.ofSeconds(2)); // let the watch loop report its decision first
        List<CallLog.Call> flipWrites = world.ec2().calls().all().stream().filter(CallLog.Call::isWrite).toList();
        for (CallLog.Call call : flipWrites) {
            t.say("    %s %s -> haproxy-b at +%s after the kill", call.action(), call.tableId(),
                    Timeline.stamp(t.sinceStart(call.nanoTime()).minus(killedAt)));
        }
        t.say(flipped ? "every table points at haproxy-b, %s after the kill" : "NO FLIP within %s",
                Timeline.stamp(flipped ? flipDone.minus(killedAt) : FLIP_DEADLINE));

        sleep(2000);
        Duration restartedAt = t.elapsed();
        world.nodes().restart("haproxy-a");
        t.say(">>> haproxy-a restarted");
        boolean failedBack = flipped && Waits.await(() -> world.allOn("haproxy-a"), FAILBACK_DEADLINE);
        Duration failbackDone = t.elapsed();
        t.say(failedBack ? "failback: every table points at haproxy-a again, %s after the restart"
                : "NO FAILBACK within %s", Timeline.stamp(failedBack ? failbackDone.minus(restartedAt) : FAILBACK_DEADLINE));
        Waits.await(() -> notable.size() >= 2, Duration.ofSeconds(2));
        done.set(true);
        loop.join(5000);

        summary(t, world, notable, flipped ? flipDone.minus(killedAt) : null,
                failedBack ? failbackDone.minus(restartedAt) : null);
        return flipped && failedBack ? 0 : 1;
    }

    private static void report(Timeline t, LocalWorld world, RunResult result, List<RunResult> notable) {
        for (HealthTransition h : result.transitions()) {
            t.say("health  %s %s -> %s  (%s)", h.node(), h.from(), h.to(), h.why());
        }
        if (result.outcome() != Outcome.NO_CHANGE) {
            notable.add(result);
            t.say("decide  %s: %s  [token %d, %s]", result.outcome(), result.decision().reason(), result.token(),
                    result.timingsMillis());
        }
    }

    private static void summary(Timeline t, LocalWorld world, List<RunResult> notable, Duration flip, Duration failback) {
        System.out.println();
        System.out.println("Summary");
        String row = "  %-34s | %s%n";
        System.out.printf(row, "event", "result");
        System.out.printf(row, "-".repeat(34), "-".repeat(60));
        System.out.printf(row, "kill -9 haproxy-a -> every table", flip == null ? "FAILED" : "on haproxy-b "
                + Timeline.stamp(flip) + " after the kill");
        System.out.printf(row, "restart haproxy-a -> failback", failback == null ? "FAILED" : "on haproxy-a "
                + Timeline.stamp(failback) + " after the restart (rise 2 + 5 s failback delay)");
        for (RunResult r : notable) {
            System.out.printf(row, r.outcome() + " by " + r.trigger() + ", token " + r.token(),
                    r.decision().reason() + " (" + r.writes().size() + " writes, " + r.timingsMillis().get("total") + " ms)");
        }
        System.out.printf(row, "route tables now", describe(world.routes()));
    }


    private static String describe(Map<String, String> routes) {
        List<String> parts = new ArrayList<>();
        routes.forEach((table, target) -> parts.add(table + "=" + LocalWorld.ENIS.entrySet().stream()
                .filter(e -> e.getValue().equals(target)).map(Map.Entry::getKey).findFirst().orElse(target)));
        return String.join(", ", parts);
    }

    private static void printEnvironment(LocalWorld world) {
        System.out.println();
        System.out.println("The local world stays up as the sandbox (Ctrl-C to stop). Point the AWS CLI or a function at it:");
        world.environment().forEach((k, v) -> System.out.println("  export " + k + "='" + v + "'"));
        System.out.println("  aws ec2 describe-route-tables --endpoint-url " + world.ec2().endpoint() + " --region "
                + LocalWorld.REGION);
        System.out.println("Control: " + world.ec2().endpoint() + "/_vipflip/calls, /_vipflip/instances/<id>/stop|start,"
                + " /_vipflip/faults (docs/local-world.md)");
    }


    private static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
