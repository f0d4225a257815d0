package io.vipflip.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vipflip.history.HistoryEvent;
import io.vipflip.history.Json;
import io.vipflip.lease.LeaseRecord;
import io.vipflip.orchestrator.GroupControl;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.policy.ActiveNode;
import io.vipflip.policy.GroupState;
import io.vipflip.policy.Observation;
import io.vipflip.route.ResolvedNode;
import io.vipflip.route.RouteSnapshot;
import io.vipflip.route.VipRoute;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON answers of the functions: what was decided and done, per table before → after, token, history entry. */
public final class Answers {
    private static final ObjectMapper JSON = Json.mapper();

    private Answers() {
    }

    public static ObjectNode run(String action, RunResult result) {
        ObjectNode answer = JSON.createObjectNode().put("action", action).put("group", result.group())
                .put("outcome", result.outcome().name()).put("decision", result.decision().kind().wire())
                .put("reason", result.decision().reason()).put("trigger", result.trigger()).put("token", result.token());
        ArrayNode tables = answer.putArray("tables");
        boolean planned = result.outcome() == io.vipflip.orchestrator.Outcome.DRY_RUN
                && result.decision() instanceof io.vipflip.policy.Decision.RouteWrite;
        for (VipRoute before : result.before()) {
            String after = planned
                    ? ((io.vipflip.policy.Decision.RouteWrite) result.decision()).changes().stream()
                            .filter(c -> c.tableId().equals(before.tableId()) && c.vip().equals(before.vip()))
                            .map(c -> c.targetEni() + " (planned)").findFirst().orElse(before.describeTarget())
                    : result.after().stream()
                            .filter(r -> r.tableId().equals(before.tableId()) && r.vip().equals(before.vip()))
                            .findFirst().orElse(before).describeTarget();
            tables.addObject().put("table", before.tableId()).put("vip", before.vip())
                    .put("before", before.describeTarget()).put("after", after);
        }
        answer.set("writes", JSON.valueToTree(result.writes()));
        result.event().ifPresent(e -> answer.set("event", JSON.valueToTree(e)));
        answer.set("timingsMillis", JSON.valueToTree(result.timingsMillis()));
        return answer;
    }

    public static ObjectNode change(String action, GroupControl.Change change) {
        ObjectNode answer = JSON.createObjectNode().put("action", action).put("group", change.group())
                .put("outcome", change.outcome().name()).put("token", change.token())
                .put("pausedBefore", change.before().paused()).put("pausedAfter", change.after().paused());
        change.event().ifPresent(e -> answer.set("event", JSON.valueToTree(e)));
        return answer;
    }

    /**
     * A group at a glance: the active node, every table's target, each node's health and probe latency and its
     * ENI's source/destination check, the lease, pause and pin, and the latest history.
     */
    public static ObjectNode status(RunResult probe, List<ResolvedNode> nodes, GroupState state,
                                    Optional<LeaseRecord> lease, List<HistoryEvent> history,
                                    Map<String, Optional<Boolean>> sourceDestCheck) {
        RouteSnapshot routes = new RouteSnapshot(probe.after(), List.of());
        Observation view = new Observation(java.time.Instant.EPOCH, nodes, probe.health(), routes, Map.of());
        ObjectNode answer = JSON.createObjectNode().put("action", "status").put("group", probe.group());
        answer.put("activeNode", ActiveNode.of(view).orElse(null));
        ArrayNode tables = answer.putArray("tables");
        for (VipRoute route : routes.routes()) {
            tables.addObject().put("table", route.tableId()).put("vip", route.vip()).put("target", route.describeTarget())
                    .put("state", route.status().name().toLowerCase(java.util.Locale.ROOT))
                    .put("node", route.eniId().flatMap(view::nodeByEni).map(ResolvedNode::name).orElse(null));
        }
        ArrayNode nodeList = answer.putArray("nodes");
        for (ResolvedNode node : nodes) {
            ObjectNode entry = nodeList.addObject().put("name", node.name()).put("instanceId", node.instanceId())
                    .put("eni", node.eniId().orElse(null)).put("priority", node.priority())
                    .put("health", probe.health().of(node.name()).state().name());
            java.util.Optional.ofNullable(probe.probeMillis().get(node.name()))
                    .ifPresent(ms -> entry.put("probeLatencyMillis", ms));
            sourceDestCheck.getOrDefault(node.name(), Optional.empty()).ifPresent(check -> {
                entry.put("sourceDestCheck", check);
                if (check) {
                    entry.put("warning", "source/destination check is enabled on " + node.eniId().orElse("?")
                            + ": the overlay VIP cannot reach this node");
                }
            });
        }
        answer.put("paused", state.paused());
        state.pauseReason().ifPresent(r -> answer.put("pauseReason", r));
        state.pin().ifPresent(p -> answer.set("pin", JSON.valueToTree(p)));
        ArrayNode backoff = answer.putArray("repairBackoff");
        state.backoff().forEach((table, b) -> backoff.addObject().put("table", table).put("failures", b.failures())
                .put("since", b.since().toString()).put("retryAt", b.retryAt().toString()).put("error", b.error()));
        lease.ifPresent(l -> answer.set("lease", JSON.createObjectNode().put("owner", l.owner().orElse(null))
                .put("expiresAt", l.expiresAt().toString()).put("token", l.token())));
        answer.set("history", JSON.valueToTree(history));
        return answer;
    }

    public static byte[] bytes(ObjectNode answer) {
        try {
            return JSON.writeValueAsBytes(answer);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
