package io.vipflip.policy;

import io.vipflip.route.RouteChange;
import java.util.List;
import java.util.Optional;

/** The policy's verdict for one run. Only {@link Flip} and {@link Repair} write routes. */
public sealed interface Decision {
    String reason();

    /** What this decision is, for history, metrics and answers. */
    DecisionKind kind();

    /** A decision that changes routes. */
    sealed interface RouteWrite extends Decision {
        String target();

        List<RouteChange> changes();
    }

    record NoOp(String reason) implements Decision {
        public DecisionKind kind() {
            return DecisionKind.NO_OP;
        }
    }

    /** Move the VIP from {@code from} (absent when no node held it) to {@code target}. */
    record Flip(Optional<String> from, String target, List<RouteChange> changes, String reason) implements RouteWrite {
        public Flip {
            changes = List.copyOf(changes);
        }

        public DecisionKind kind() {
            return DecisionKind.FLIP;
        }
    }

    /** Keep {@code target} active, and fix tables that drifted (point elsewhere, blackholed, or missing). */
    record Repair(String target, List<RouteChange> changes, String reason) implements RouteWrite {
        public Repair {
            changes = List.copyOf(changes);
        }

        public DecisionKind kind() {
            return DecisionKind.REPAIR;
        }
    }

    /** No node is healthy: change nothing, alert. */
    record NoHealthyNode(String reason) implements Decision {
        public DecisionKind kind() {
            return DecisionKind.NO_HEALTHY_NODE;
        }
    }

    /** Automation is paused for the group. */
    record Paused(String reason) implements Decision {
        public DecisionKind kind() {
            return DecisionKind.PAUSED;
        }
    }

    /** A change was needed or asked for but a rule forbids it now (damping, unhealthy target, failed confirmation). */
    record Refused(String reason) implements Decision {
        public DecisionKind kind() {
            return DecisionKind.REFUSED;
        }
    }

    /**
     * Tables in repair back-off point at the active node again (fixed by hand, or by a flip's write): record that
     * they left it. Writes no route.
     */
    record BackoffEnded(List<String> tables, String reason) implements Decision {
        public BackoffEnded {
            tables = List.copyOf(tables);
        }

        public DecisionKind kind() {
            return DecisionKind.BACKOFF_ENDED;
        }
    }

    /**
     * An automatic flip away from the active node that the AZ vantage points did not back (issue 14): nothing
     * changes, the next round asks again.
     */
    record NoQuorum(QuorumRule.Verdict verdict, String reason) implements Decision {
        public DecisionKind kind() {
            return verdict.kind();
        }
    }
}
