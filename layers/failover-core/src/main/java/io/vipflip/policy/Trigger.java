package io.vipflip.policy;

/** Why the orchestrator runs: automation (schedule, alarm, instance state) or an operator's request. */
public sealed interface Trigger {

    /** A short label for history and metrics. */
    String label();

    default boolean automatic() {
        return !(this instanceof ManualFailover || this instanceof ManualFailback);
    }

    /**
     * An operator is waiting for the answer: the run must be judged on known health, so a cold container probes
     * back to back until rise/fall can speak. A reconcile obeys the automatic rules (damping) but is such a
     * request (issue 11: a cold reconcile answered "waiting for the health of …" and never repaired).
     */
    default boolean operatorRequest() {
        return !automatic() || this instanceof Reconcile;
    }

    /** The EventBridge schedule: one watch round. */
    record Scheduled() implements Trigger {
        public String label() {
            return "schedule";
        }
    }

    /** A CloudWatch alarm on a node went to ALARM; vipflip confirms with a probe burst before acting. */
    record Alarm(String alarmName, String node) implements Trigger {
        public String label() {
            return "alarm:" + alarmName;
        }
    }

    /** EC2 reported a node's instance stopping/stopped/shutting-down/terminated: authoritative, no probe needed. */
    record InstanceStopped(String instanceId, String node, String state) implements Trigger {
        public String label() {
            return "instance:" + instanceId + ":" + state;
        }
    }

    /** An operator asked to reconcile: repair drift now, with the usual rules. */
    record Reconcile(String reason) implements Trigger {
        public String label() {
            return "manual:reconcile";
        }
    }

    /** An operator moves the group to {@code target} and pins it there; {@code force} skips the health check. */
    record ManualFailover(String target, String reason, boolean force) implements Trigger {
        public String label() {
            return "manual:failover";
        }
    }

    /** An operator clears the pin and returns the group to its highest-priority healthy node. */
    record ManualFailback(String reason) implements Trigger {
        public String label() {
            return "manual:failback";
        }
    }
}
