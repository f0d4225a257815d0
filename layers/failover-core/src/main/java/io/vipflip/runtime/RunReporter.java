package io.vipflip.runtime;

import io.vipflip.health.HealthTransition;
import io.vipflip.orchestrator.Outcome;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.orchestrator.WatchLoop;
import io.vipflip.route.RouteStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an invocation's runs into log lines (every health transition with its reason, every decision that is
 * not a quiet no-change) and into metrics, tallied per invocation so a one-minute watch loop writes one set of
 * figures: Heartbeat, Rounds, Failover, Repair, NoHealthyNode, Refused, LeaseContention, PartialWrite, Error,
 * NoNodeEverAnswered, NodeHealthy (0 if the node was DOWN at any round), ProbeLatency (the worst, ms),
 * FlipDuration (ms), TablesInRepairBackoff (the most route tables of the group in repair back-off). The counters the template alarms on are also written without a Group dimension, so one
 * alarm covers every group of a deployment.
 *
 * <p>The heartbeat says "every group was observed and decided at least once in this invocation": it is sent only
 * when at least one round completed and no group failed all its rounds, so an error that repeats every round
 * (AccessDenied, a table that cannot be read) lets the heartbeat alarm fire instead of hiding behind it.
 */
public final class RunReporter implements io.vipflip.orchestrator.WatchLoop.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(RunReporter.class);
    private final Map<String, Map<String, Double>> groupCounts = new LinkedHashMap<>();
    private final Map<String, Double> nodeHealthy = new LinkedHashMap<>();
    private final Map<String, Double> nodeLatency = new LinkedHashMap<>();
    private final Map<String, Double> backoffTables = new LinkedHashMap<>();
    private final List<MetricPoint> extra = new ArrayList<>();
    private final Set<String> completed = new LinkedHashSet<>();
    private final Set<String> failed = new LinkedHashSet<>();
    private final Set<String> neverAnswered = new LinkedHashSet<>();
    private final boolean heartbeat;
    private int watcherErrors;

    /** Counters the template alarms on: also written as a deployment-wide total (no dimension). */
    static final List<String> ALARMED_TOTALS = List.of("Failover", "NoHealthyNode", "Error", "NoNodeEverAnswered");
    private static final List<String> GROUP_COUNTERS = List.of("Rounds", "Failover", "Repair", "PartialWrite",
            "NoHealthyNode", "Refused", "LeaseContention", "Error", "NoNodeEverAnswered", "PartitionSuspected",
            "TooFewVotes");

    /** @param heartbeat true only for the scheduled function: its heartbeat going missing is what the alarm watches */
    public RunReporter(boolean heartbeat) {
        this.heartbeat = heartbeat;
    }

    @Override
    public void onRun(RunResult result) {
        for (HealthTransition t : result.transitions()) {
            LOG.info("node {} of group {}: {} -> {} ({})", t.node(), result.group(), t.from(), t.to(), t.why());
        }
        completed.add(result.group());
        Map<String, Double> counts = groupCounts.computeIfAbsent(result.group(), g -> new LinkedHashMap<>());
        counts.merge("Rounds", 1.0, Double::sum);
        if (noNodeEverAnswered(result) && neverAnswered.add(result.group())) {
            counts.put("NoNodeEverAnswered", 1.0);
            LOG.error("group {}: no node ever answered on its probe address and ports ({}): check the bind address"
                    + " and the security groups - HAProxy must listen on each node's probe address, not only on the"
                    + " VIP, and the nodes must accept the probe ports from the functions' security group"
                    + " (docs/deploy.md, What must listen where)", result.group(), lastProbes(result));
        }
        String counter = switch (result.outcome()) {
            case FLIPPED -> "Failover";
            case REPAIRED -> "Repair";
            case PARTIAL -> "PartialWrite";
            case NO_HEALTHY_NODE -> "NoHealthyNode";
            case REFUSED -> "Refused";
            case PARTITION_SUSPECTED -> "PartitionSuspected";
            case TOO_FEW_VOTES -> "TooFewVotes";
            case LEASE_BUSY, LEASE_LOST -> "LeaseContention";
            default -> null;
        };
        if (counter != null) {
            counts.merge(counter, 1.0, Double::sum);
        }
        if (result.outcome() == Outcome.FLIPPED || result.outcome() == Outcome.PARTIAL) {
            extra.add(new MetricPoint("FlipDuration", result.timingsMillis().getOrDefault("total", 0L), "Milliseconds",
                    Map.of("Group", result.group())));
        }
        if (result.outcome() != Outcome.NO_CHANGE) {
            String line = "group {}: {} ({}) trigger={} token={} writes={} timings={}";
            Object[] args = {result.group(), result.outcome(), result.decision().reason(), result.trigger(),
                    result.token(), result.writes().size(), result.timingsMillis()};
            if (result.outcome() == Outcome.FLIPPED || result.outcome() == Outcome.REPAIRED) {
                LOG.info(line, args);
            } else {
                LOG.warn(line, args);
            }
        }
        result.health().nodes().forEach((node, health) -> nodeHealthy.merge(result.group() + "/" + node,
                health.isUp() ? 1.0 : 0.0, Math::min));
        backoffTables.merge(result.group(), (double) result.backoff().size(), Math::max);
        result.probeMillis().forEach((node, millis) -> nodeLatency.merge(result.group() + "/" + node,
                millis.doubleValue(), Math::max));
    }

    /**
     * A round that failed: logged with its cause, counted as Error (the function itself did not fail). A failed read
     * or write of the watcher item is no group's round: the loop watched on (decision 58), so it counts apart, as
     * WatcherErrors, and neither withholds the heartbeat nor adds to the alarmed Error total.
     */
    @Override
    public void onError(String group, RuntimeException error) {
        if (group.equals(WatchLoop.WATCHER)) {
            LOG.warn("watcher item: {}; watching on", error.toString());
            watcherErrors++;
            return;
        }
        LOG.error("group {}: round failed, nothing written without a lease; retrying next round: {}", group,
                error.toString());
        failed.add(group);
        groupCounts.computeIfAbsent(group, g -> new LinkedHashMap<>()).merge("Error", 1.0, Double::sum);
    }

    /** The tallied metrics of this invocation; the heartbeat says the orchestrator ran at all. */
    public List<MetricPoint> metrics() {
        List<MetricPoint> points = new ArrayList<>();
        if (heartbeat && !completed.isEmpty() && completed.containsAll(failed)) {
            points.add(new MetricPoint("Heartbeat", 1, "Count", Map.of()));
        }
        groupCounts.forEach((group, counts) -> {
            for (String name : GROUP_COUNTERS) {
                points.add(new MetricPoint(name, counts.getOrDefault(name, 0.0), "Count", Map.of("Group", group)));
            }
        });
        if (!groupCounts.isEmpty()) {
            for (String name : ALARMED_TOTALS) {
                double total = groupCounts.values().stream().mapToDouble(c -> c.getOrDefault(name, 0.0)).sum();
                points.add(new MetricPoint(name, total, "Count", Map.of()));
            }
        }
        if (watcherErrors > 0) {
            points.add(new MetricPoint("WatcherErrors", watcherErrors, "Count", Map.of()));
        }
        nodeHealthy.forEach((key, value) -> points.add(new MetricPoint("NodeHealthy", value, "Count", dims(key))));
        nodeLatency.forEach((key, value) -> points.add(new MetricPoint("ProbeLatency", value, "Milliseconds", dims(key))));
        backoffTables.forEach((group, tables) -> points.add(new MetricPoint("TablesInRepairBackoff", tables, "Count",
                Map.of("Group", group))));
        points.addAll(extra);
        return points;
    }

    /**
     * Every node DOWN and no table routing the VIP anywhere: vipflip places the VIP as soon as one node is UP, so
     * no node of this group has ever answered since the routes were set up - a deployment mistake (the probe
     * address or port, the security groups), not an outage.
     */
    private static boolean noNodeEverAnswered(RunResult result) {
        return !result.health().nodes().isEmpty()
                && result.health().nodes().values().stream().allMatch(h -> h.isDown())
                && !result.before().isEmpty()
                && result.before().stream().allMatch(r -> r.status() == RouteStatus.MISSING);
    }

    /** What the probes last said, from the transitions of this run (empty when none changed in it). */
    private static String lastProbes(RunResult result) {
        List<String> seen = result.transitions().stream().map(t -> t.node() + ": " + t.why()).toList();
        return seen.isEmpty() ? "every node DOWN" : String.join("; ", seen);
    }

    private static Map<String, String> dims(String groupAndNode) {
        int slash = groupAndNode.indexOf('/');
        return Map.of("Group", groupAndNode.substring(0, slash), "Node", groupAndNode.substring(slash + 1));
    }
}
