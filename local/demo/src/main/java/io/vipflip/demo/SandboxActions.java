package io.vipflip.demo;

import io.vipflip.local.harness.LocalWorld;
import io.vipflip.local.nodes.Nodes;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.runtime.AutomationEvent;
import io.vipflip.runtime.Engine;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The faults a person injects into the running sandbox. Each says what it did and how to undo it, and puts a
 * {@code >>>} line on the timeline so the effect can be read next to its cause.
 */
final class SandboxActions {
    /** What a command did, and the command that undoes it (empty when there is nothing to undo). */
    record Answer(String did, String undo) {
        String text() {
            return undo.isEmpty() ? did : did + "\nundo: " + undo;
        }
    }

    private final LocalWorld world;
    private final Timeline timeline;
    private final Runnable stateChanged;

    SandboxActions(LocalWorld world, Timeline timeline, Runnable stateChanged) {
        this.world = world;
        this.timeline = timeline;
        this.stateChanged = stateChanged;
    }

    Answer node(String name, String action) {
        Nodes nodes = world.nodes();
        nodes.node(name); // names the nodes when this one does not exist
        Answer answer = switch (action) {
            case "kill" -> {
                String pid = nodes.node(name).pid().map(p -> " (pid " + p + ")").orElse("");
                nodes.kill(name);
                yield new Answer("killed " + name + " with kill -9" + pid + ": its port now refuses connections",
                        "./sandbox restart " + name);
            }
            case "restart" -> {
                nodes.restart(name);
                yield new Answer("started " + name + " (" + describe(name) + ")" + (nodes.lost(name)
                        ? "; it is still lost: ./sandbox reconnect " + name : ""), "");
            }
            case "freeze" -> {
                nodes.freeze(name);
                yield new Answer("froze " + name + " (SIGSTOP" + nodes.node(name).pid().map(p -> " to pid " + p)
                        .orElse("") + "): the kernel still completes TCP handshakes, so a TCP connect probe still "
                        + "says UP while no request is answered (a known limit of connect probes)",
                        "./sandbox thaw " + name);
            }
            case "thaw" -> {
                nodes.thaw(name);
                yield new Answer("thawed " + name + " (SIGCONT): it answers again", "");
            }
            case "lose" -> {
                nodes.lose(name);
                String ns = nodes.namespaceOf(name).map(n -> n.name()).orElseThrow();
                yield new Answer("lost " + name + ": an nft table in its namespace " + ns + " drops every packet on "
                        + "its side of the veth, without RST: probes time out (see it: ip netns exec " + ns
                        + " nft list ruleset)", "./sandbox reconnect " + name);
            }
            case "reconnect" -> {
                nodes.reconnect(name);
                yield new Answer("reconnected " + name + ": its drop rules are removed", "");
            }
            default -> throw new IllegalArgumentException("unknown node action '" + action
                    + "' (kill, restart, freeze, thaw, lose, reconnect)");
        };
        said(action + " " + name, answer);
        return answer;
    }

    /**
     * Stops or starts a node's EC2 instance: its state in the EC2 endpoint (a stopped instance's routes are
     * blackholes), its haproxy (a stopped instance serves nothing), then the EC2 Instance State-change
     * Notification EventBridge would send, delivered to the alarm function's code path in a fresh engine (its
     * own Lambda execution environment).
     */
    Answer instance(String name, String action) {
        LocalWorld.Instance instance = LocalWorld.INSTANCES.get(name);
        if (instance == null) {
            throw new IllegalArgumentException("no node '" + name + "' (nodes: " + String.join(", ",
                    world.nodes().names()) + ")");
        }
        timeline.say(">>> %s-instance %s: delivering the EC2 state change", action, name);
        Answer answer;
        if (action.equals("stop")) {
            // As EC2 does: "stopping" (EventBridge's first notification, the one vipflip acts on), then "stopped".
            world.ec2().world().setInstanceState(instance.id(), "stopping");
            world.nodes().kill(name);
            String alarmFunction = deliver(stateChange(instance.id(), "stopping"));
            world.ec2().world().setInstanceState(instance.id(), "stopped");
            answer = new Answer("stopped instance " + instance.id() + " (" + name + "): EC2 says stopping then "
                    + "stopped, routes to its ENI are blackholes, its haproxy is down; on the 'stopping' "
                    + "notification " + alarmFunction, "./sandbox start-instance " + name);
        } else if (action.equals("start")) {
            world.ec2().world().setInstanceState(instance.id(), "running");
            world.nodes().restart(name);
            answer = new Answer("started instance " + instance.id() + " (" + name + "): EC2 says running, haproxy is "
                    + "up; " + deliver(stateChange(instance.id(), "running")), "");
        } else {
            throw new IllegalArgumentException("unknown instance action '" + action + "' (stop, start)");
        }
        said(action + "-instance " + name, answer);
        return answer;
    }

    /** An EventBridge "EC2 Instance State-change Notification", shaped as events/instance-*.json. */
    static String stateChange(String instanceId, String state) {
        return """
                {"version": "0", "id": "%s", "detail-type": "EC2 Instance State-change Notification",
                 "source": "aws.ec2", "account": "123456789012", "time": "%s", "region": "%s",
                 "resources": ["arn:aws:ec2:%s:123456789012:instance/%s"],
                 "detail": {"instance-id": "%s", "state": "%s"}}
                """.formatted(java.util.UUID.randomUUID(), Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                LocalWorld.REGION, LocalWorld.REGION, instanceId, instanceId, state);
    }

    /** Delivers an event (alarm or instance state change) to the alarm function's code path. */
    Answer event(String json) {
        String result = deliver(json);
        Answer answer = new Answer(result, "");
        said("event", answer);
        return answer;
    }

    private String deliver(String json) {
        Engine alarmFunction = world.engine(Clock.systemUTC());
        // What AlarmFailoverHandler does with its input, minus the Lambda plumbing.
        AutomationEvent event = AutomationEvent.parse(json.getBytes(StandardCharsets.UTF_8));
        List<AutomationEvent.Target> targets = event.targets(alarmFunction.config());
        if (targets.isEmpty()) {
            return "the alarm function was sent the event and had nothing to do (not a stopping state / not ALARM)";
        }
        // Late, replayed or outdated events do nothing (issue 11), as in the function.
        io.vipflip.runtime.EventScreen.Screened screened = alarmFunction.events().screen(event, targets);
        if (screened.verdict() != io.vipflip.runtime.EventScreen.Verdict.ACT) {
            return "the alarm function dropped the event (" + screened.verdict() + "): " + screened.why();
        }
        targets = screened.targets();
        List<String> outcomes = new ArrayList<>();
        RunPrinter printer = new RunPrinter(timeline, "[alarm]");
        for (AutomationEvent.Target target : targets) {
            for (RunResult r : alarmFunction.watch().burst(target.group(), target.trigger(), printer::onRun)) {
                if (r.outcome() != io.vipflip.orchestrator.Outcome.NO_CHANGE) {
                    outcomes.add(r.outcome() + " (" + r.decision().reason() + ")");
                }
            }
        }
        return "the alarm function ran on the event: " + (outcomes.isEmpty() ? "no change" : String.join("; ", outcomes));
    }

    Answer ec2(String fault, java.util.function.Function<String, String> parameter) {
        var faults = world.ec2().faults();
        Answer answer = switch (fault) {
            case "latency" -> {
                long millis = Long.parseLong(required(parameter, "millis"));
                faults.latency(Duration.ofMillis(millis));
                yield new Answer("the EC2 endpoint now answers every call after " + millis + " ms",
                        "./sandbox ec2 latency 0   (or ./sandbox ec2 clear)");
            }
            case "throttle" -> {
                int calls = Integer.parseInt(required(parameter, "calls"));
                faults.throttleNext(calls);
                yield new Answer("the next " + calls + " EC2 calls fail with RequestLimitExceeded (HTTP 503), as "
                        + "EC2's throttling answers", "./sandbox ec2 clear");
            }
            case "server-errors" -> {
                int calls = Integer.parseInt(required(parameter, "calls"));
                faults.serverErrorsNext(calls);
                yield new Answer("the next " + calls + " EC2 calls fail with InternalError (HTTP 500)",
                        "./sandbox ec2 clear");
            }
            case "fail-writes" -> {
                String table = required(parameter, "table");
                if (!world.ec2().world().routeTableIds().contains(table)) {
                    throw new IllegalArgumentException("no route table '" + table + "' (tables: "
                            + String.join(", ", world.ec2().world().routeTableIds()) + ")");
                }
                String times = parameter.apply("times");
                int count = times == null ? -1 : Integer.parseInt(times);
                faults.failWritesTo(table, count);
                yield new Answer("route writes to " + table + " now fail with InternalError"
                        + (count < 0 ? " until cleared" : " " + count + " times"), "./sandbox ec2 clear");
            }
            case "clear" -> {
                faults.clear();
                yield new Answer("the EC2 endpoint has no faults any more", "");
            }
            default -> throw new IllegalArgumentException("unknown EC2 fault '" + fault
                    + "' (latency, throttle, server-errors, fail-writes, clear)");
        };
        said("ec2 " + fault, answer);
        return answer;
    }

    private static String required(java.util.function.Function<String, String> parameter, String name) {
        String value = parameter.apply(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }

    /** Every node's state and where each table points. */
    String status() {
        StringBuilder out = new StringBuilder();
        for (String name : world.nodes().names()) {
            out.append(String.format("%-10s %-16s %-8s instance %s%n", name, world.nodes().address(name),
                    describe(name), world.ec2().world().instanceState(LocalWorld.INSTANCES.get(name).id()).orElse("?")));
        }
        world.routes().forEach((table, eni) -> out.append(String.format("%s  %s -> %s%n", table, LocalWorld.VIP,
                RunPrinter.nodeOf(eni.replace(" (blackhole)", "")) + (eni.endsWith("(blackhole)") ? " (blackhole)" : ""))));
        return out.toString().stripTrailing();
    }

    private String describe(String name) {
        return world.nodes().describe(name);
    }

    private void said(String command, Answer answer) {
        timeline.say(">>> %s: %s", command, answer.did());
        stateChanged.run();
    }
}
