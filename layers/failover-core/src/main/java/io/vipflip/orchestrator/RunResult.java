package io.vipflip.orchestrator;

import io.vipflip.health.GroupHealth;
import io.vipflip.health.HealthTransition;
import io.vipflip.history.HistoryEvent;
import io.vipflip.policy.Decision;
import io.vipflip.policy.TableBackoff;
import io.vipflip.route.RouteWriteOutcome;
import io.vipflip.route.VipRoute;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one run saw, decided and did: the routes before and after, each write's outcome, the fencing token
 * (0 when no lease was taken), the history entry, the timings in milliseconds, and each probed node's
 * latency in this run's observation round (its slowest port; a refused port counts its time to refusal), and the
 * route tables in repair back-off after the run, by table id.
 */
public record RunResult(String group, String trigger, Decision decision, Outcome outcome, long token,
                        List<VipRoute> before, List<VipRoute> after, List<RouteWriteOutcome> writes,
                        Optional<HistoryEvent> event, GroupHealth health, List<HealthTransition> transitions,
                        Map<String, Long> timingsMillis, Map<String, Long> probeMillis,
                        Map<String, TableBackoff> backoff) {
    /** A run that left no table in repair back-off. */
    public RunResult(String group, String trigger, Decision decision, Outcome outcome, long token,
                     List<VipRoute> before, List<VipRoute> after, List<RouteWriteOutcome> writes,
                     Optional<HistoryEvent> event, GroupHealth health, List<HealthTransition> transitions,
                     Map<String, Long> timingsMillis, Map<String, Long> probeMillis) {
        this(group, trigger, decision, outcome, token, before, after, writes, event, health, transitions,
                timingsMillis, probeMillis, Map.of());
    }

    public RunResult {
        backoff = Map.copyOf(backoff);
        before = List.copyOf(before);
        after = List.copyOf(after);
        writes = List.copyOf(writes);
        transitions = List.copyOf(transitions);
        timingsMillis = Map.copyOf(timingsMillis);
        probeMillis = Map.copyOf(probeMillis);
    }
}
