package io.vipflip.config;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every duration a leased action depends on, derived in one place and checked together at config load
 * (docs/decisions.md 25). A lease is held across: confirmation probe and route re-read → route writes, each
 * SDK call (all attempts) ending before {@link #writeDeadline} → verify → record → release. A successor may take
 * the lease at {@code expiresAt} on its own clock; the holder's writes can no longer land by then, because the
 * holder stops waiting for them {@code skewMargin + writeSettle} before {@code expiresAt} on its clock.
 *
 * @param lease                  how long one acquisition holds the lease (at most; shortened to fit the invocation)
 * @param skewMargin             the clock skew tolerated between any two runs
 * @param writeSettle            how long after the SDK stops waiting for a write EC2 may still apply it
 * @param endMargin              kept free at the end of an invocation: release, hand-over, answer
 * @param watchFunctionTimeout   the watch-loop function's timeout as deployed
 * @param alarmFunctionTimeout   the alarm / instance-state function's timeout as deployed
 * @param manualFunctionTimeout  the operators' function's timeout as deployed
 */
public record TimingBudget(Duration lease, Duration skewMargin, Duration writeSettle, Duration endMargin,
                           Duration watchFunctionTimeout, Duration alarmFunctionTimeout,
                           Duration manualFunctionTimeout) {
    public static final int DEFAULT_SKEW_MARGIN_MILLIS = 2_000;
    public static final int DEFAULT_WRITE_SETTLE_MILLIS = 2_000;
    public static final int DEFAULT_END_MARGIN_MILLIS = 3_000;
    /** template.yaml: HealthCheckFunction's Timeout. */
    public static final int DEFAULT_WATCH_TIMEOUT_SECONDS = 300;
    /** template.yaml: the Globals Timeout, used by the alarm and the manual function. */
    public static final int DEFAULT_ALARM_TIMEOUT_SECONDS = 30;
    public static final int DEFAULT_MANUAL_TIMEOUT_SECONDS = 30;
    /** The SDK's apiCallTimeout for calls that are not route writes (all attempts and backoff included). */
    public static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(10);
    /** Reserved under the lease for the route re-read beside the confirmation probe. */
    public static final Duration REREAD_ALLOWANCE = Duration.ofSeconds(1);
    /** The shortest useful write window: one ReplaceRoute round trip with room for a retry. */
    public static final Duration MIN_WRITE_WINDOW = Duration.ofSeconds(1);
    /** EC2's mutating-action bucket (ReplaceRoute, CreateRoute): 50 tokens, refilled 5 per second (decision 34). */
    public static final int MUTATING_BURST = 50;
    public static final int MUTATING_REFILL_PER_SECOND = 5;
    /** The alarm burst's round spacing (at most; the probe interval when shorter). */
    public static final Duration BURST_INTERVAL = Duration.ofMillis(250);

    /** The defaults, for a given lease (tests and code that build configs by hand). */
    public static TimingBudget defaults(Duration lease) {
        return new TimingBudget(lease, Duration.ofMillis(DEFAULT_SKEW_MARGIN_MILLIS),
                Duration.ofMillis(DEFAULT_WRITE_SETTLE_MILLIS), Duration.ofMillis(DEFAULT_END_MARGIN_MILLIS),
                Duration.ofSeconds(DEFAULT_WATCH_TIMEOUT_SECONDS), Duration.ofSeconds(DEFAULT_ALARM_TIMEOUT_SECONDS),
                Duration.ofSeconds(DEFAULT_MANUAL_TIMEOUT_SECONDS));
    }

    /** The instant by which every route write under a lease must have ended on the holder's clock. */
    public Instant writeDeadline(Instant leaseExpiresAt) {
        return leaseExpiresAt.minus(skewMargin).minus(writeSettle);
    }

    /** The confirmation step: the probe, or the AZ observers' deadline when it is longer (issue 14). */
    private static Duration confirmation(GroupConfig group) {
        Duration probe = group.probe().timeout();
        return group.vantage() != null && group.vantage().quorum() && group.vantage().deadline().compareTo(probe) > 0
                ? group.vantage().deadline() : probe;
    }

    /** The shortest lease with which a flip of {@code group} can still write: confirm, re-read, one write, margins. */
    public Duration minimumLease(GroupConfig group) {
        return confirmation(group).plus(REREAD_ALLOWANCE).plus(MIN_WRITE_WINDOW).plus(writeSettle)
                .plus(skewMargin);
    }

    /**
     * The write window {@code writes} route writes need when EC2's mutating bucket is full at the start and nobody
     * else draws from it: the first {@link #MUTATING_BURST} at once, then {@link #MUTATING_REFILL_PER_SECOND} per
     * second — at least ⌈(N − 50) / 5⌉ s more; a quarter more than that, ⌈(N − 50) / 4⌉ s, for the phase of the
     * bucket's refill and the requests' own latency (decision 57).
     */
    public static Duration writeWindow(int writes) {
        int paced = Math.max(0, writes - MUTATING_BURST);
        int perSecond = MUTATING_REFILL_PER_SECOND * 4 / 5;
        return MIN_WRITE_WINDOW.plusSeconds((paced + perSecond - 1) / perSecond);
    }

    /** The lease a flip of {@code writes} route writes needs: confirm, re-read, its write window, margins. */
    public Duration leaseFor(GroupConfig group, int writes) {
        return confirmation(group).plus(REREAD_ALLOWANCE).plus(writeWindow(writes)).plus(writeSettle).plus(skewMargin);
    }

    /**
     * The lease for an action that starts now and must end by {@code mustEndBy}: the configured one, shortened to
     * fit; zero when not even {@link #minimumLease} fits (the action must not start).
     */
    public Duration leaseFor(GroupConfig group, Instant now, Instant mustEndBy) {
        return leaseFor(group, now, mustEndBy, 1);
    }

    /**
     * As {@link #leaseFor(GroupConfig, Instant, Instant)} for an action of {@code writes} route writes: the configured
     * lease, or longer when the writes need it (paced to EC2's mutating bucket), shortened to end by
     * {@code mustEndBy}. Writes that do not fit are left to the next holder, who re-reads and repairs.
     */
    public Duration leaseFor(GroupConfig group, Instant now, Instant mustEndBy, int writes) {
        Duration left = Duration.between(now, mustEndBy);
        Duration needed = leaseFor(group, writes);
        Duration wanted = needed.compareTo(this.lease) > 0 ? needed : this.lease;
        Duration lease = left.compareTo(wanted) < 0 ? left : wanted;
        return lease.compareTo(minimumLease(group)) < 0 ? Duration.ZERO : lease;
    }

    /** Time an alarm's confirmation burst may take before it can act: max(fall, rise) probe rounds. */
    static Duration alarmBurst(ProbeSettings probe) {
        Duration spacing = probe.interval().compareTo(BURST_INTERVAL) < 0 ? probe.interval() : BURST_INTERVAL;
        return probe.timeout().plus(spacing).multipliedBy(Math.max(probe.fall(), probe.rise()));
    }

    /** Every combination that cannot flip, each naming the field and the rule. Empty when the budget holds. */
    List<String> problems(List<GroupConfig> groups, String leaseField) {
        List<String> problems = new ArrayList<>(leaseProblems(leaseField));
        for (int i = 0; i < groups.size(); i++) {
            problems.addAll(groupProblems(groups.get(i), "groups[" + i + "].", leaseField));
        }
        return problems;
    }

    /** The rules on the lease alone. */
    List<String> leaseProblems(String leaseField) {
        Duration shortest = min(min(watchFunctionTimeout, alarmFunctionTimeout), manualFunctionTimeout);
        if (lease.plus(endMargin).compareTo(shortest) > 0) {
            return List.of(leaseField + ": " + lease.toMillis() + " ms is too long: a lease plus the end margin ("
                    + endMargin.toMillis() + " ms) must fit in the shortest function timeout (" + shortest.toSeconds()
                    + " s), or a function killed at its timeout locks the group until the lease expires");
        }
        return List.of();
    }

    /**
     * The rules on one group, its fields prefixed with {@code at} ("groups[0]." in a deployment document, "" in a
     * group's own parameter).
     */
    public List<String> groupProblems(GroupConfig group, String at, String leaseField) {
        List<String> problems = new ArrayList<>();
        if (group == null || group.probe() == null) {
            return problems;
        }
        String where = at.isEmpty() ? "this group" : at.substring(0, at.length() - 1);
        Duration minimum = minimumLease(group);
        if (lease.compareTo(minimum) < 0) {
            problems.add(leaseField + ": " + lease.toMillis() + " ms can never write routes for " + where
                    + ": a lease must cover the confirmation probe (" + confirmation(group).toMillis()
                    + " ms), the route re-read (" + REREAD_ALLOWANCE.toMillis() + " ms), one write ("
                    + MIN_WRITE_WINDOW.toMillis() + " ms), the write settle time (" + writeSettle.toMillis()
                    + " ms) and the skew margin (" + skewMargin.toMillis() + " ms): at least "
                    + minimum.toMillis() + " ms");
        }
        if (group.routeTables() != null && group.vips() != null && group.routeTables().tag().isEmpty()) {
            int writes = group.routeTables().ids().size() * group.vips().size();
            Duration needed = leaseFor(group, writes).plus(endMargin);
            Duration shortest = min(min(watchFunctionTimeout, alarmFunctionTimeout), manualFunctionTimeout);
            if (needed.compareTo(shortest) > 0) {
                problems.add(at + "routeTables.ids: " + writes + " route writes (tables × VIPs) need a lease of "
                        + leaseFor(group, writes).toMillis() + " ms under EC2's mutating-action throttling (" + MUTATING_BURST
                        + " at once, then " + MUTATING_REFILL_PER_SECOND + " per second); with the end margin that"
                        + " is more than the shortest function timeout (" + shortest.toSeconds() + " s): split the"
                        + " group, or raise the functions' timeouts");
            }
        }
        ProbeSettings probe = group.probe();
        Duration alarm = alarmBurst(probe).plus(minimum).plus(endMargin);
        if (alarm.compareTo(alarmFunctionTimeout) > 0) {
            String field = probe.fall() >= probe.rise() ? "fall" : "rise";
            problems.add(at + "probe." + field + ": an alarm's confirmation burst of max(fall, rise) = "
                    + Math.max(probe.fall(), probe.rise()) + " rounds × (timeoutMillis " + probe.timeout().toMillis()
                    + " + " + Math.min(probe.interval().toMillis(), BURST_INTERVAL.toMillis())
                    + " ms) plus the shortest lease and the end margin (" + alarm.toMillis()
                    + " ms) exceeds the alarm function's timeout (" + alarmFunctionTimeout.toSeconds() + " s)");
        }
        Duration manual = probe.timeout().multipliedBy(probe.rise()).plus(minimum).plus(endMargin);
        if (manual.compareTo(manualFunctionTimeout) > 0) {
            problems.add(at + "probe.rise: a cold operator request probes rise × timeoutMillis before acting; with"
                    + " the shortest lease and the end margin that is " + manual.toMillis()
                    + " ms, more than the manual function's timeout (" + manualFunctionTimeout.toSeconds() + " s)");
        }
        Duration watch = probe.interval().multipliedBy(probe.fall()).plus(probe.timeout()).plus(minimum)
                .plus(endMargin);
        if (watch.compareTo(watchFunctionTimeout) > 0) {
            problems.add(at + "probe.intervalMillis: fall × intervalMillis + timeoutMillis, the shortest lease and"
                    + " the end margin (" + watch.toMillis() + " ms) exceed the watch function's timeout ("
                    + watchFunctionTimeout.toSeconds() + " s): a failure could never be detected and flipped"
                    + " within one invocation");
        }
        return problems;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
