package io.vipflip.orchestrator;

import io.vipflip.policy.HistoryKind;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.history.GroupStateStore;
import io.vipflip.history.HistoryEvent;
import io.vipflip.lease.Lease;
import io.vipflip.lease.LeaseLostException;
import io.vipflip.lease.LeaseRecord;
import io.vipflip.lease.LeaseOwner;
import io.vipflip.lease.LeaseStore;
import io.vipflip.policy.GroupState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/** Operator actions that change a group's state but no route: pause and resume automation. And the status read. */
public final class GroupControl {
    /** How far back a configuration write is looked for before it is recorded (overlapping loops). */
    static final int CONFIG_DUPLICATE_WINDOW = 20;
    /** The shortest lease worth taking for a state-only change (before the skew margin): three DynamoDB calls. */
    static final Duration MIN_LEASE = Duration.ofSeconds(1);
    private volatile DeploymentConfig config;
    private final LeaseStore leases;
    private final GroupStateStore states;
    private final Clock clock;
    private final LeaseOwner owner;
    private final io.vipflip.history.Notifier notifier;

    public GroupControl(DeploymentConfig config, LeaseStore leases, GroupStateStore states, Clock clock, String owner,
                        io.vipflip.history.Notifier notifier) {
        this(config, leases, states, clock, LeaseOwner.fixed(owner), notifier);
    }

    public GroupControl(DeploymentConfig config, LeaseStore leases, GroupStateStore states, Clock clock,
                        LeaseOwner owner, io.vipflip.history.Notifier notifier) {
        this.notifier = notifier;
        this.config = config;
        this.leases = leases;
        this.states = states;
        this.clock = clock;
        this.owner = owner;
    }

    /** The groups that the next requests act on (see {@link Orchestrator#apply}). */
    public void apply(DeploymentConfig next) {
        config = next;
    }

    /**
     * Records a configuration change of {@code group} (added, changed, removed) in its history, under its lease,
     * changing no route and no state. {@code trigger} names the parameter write; a write already recorded (two
     * overlapping watch loops saw it) is not recorded twice. LEASE_BUSY when another run holds the lease.
     */
    public Change recordConfiguration(String group, HistoryKind kind, String trigger, String reason) {
        return recordConfiguration(group, kind, trigger, reason, Instant.MAX);
    }

    /**
     * As {@link #recordConfiguration(String, HistoryKind, String, String)} within an invocation whose leased actions must
     * end by {@code mustEndBy}: NO_TIME, changing nothing, when the shortest useful lease no longer fits.
     */
    public Change recordConfiguration(String group, HistoryKind kind, String trigger, String reason, Instant mustEndBy) {
        Duration leaseFor = leaseFor(clock.instant(), mustEndBy);
        if (leaseFor.isZero()) {
            GroupState unchanged = GroupState.initial();
            return new Change(group, Outcome.NO_TIME, 0, unchanged, unchanged, Optional.empty());
        }
        Optional<Lease> lease = leases.acquire(group, owner.get(), clock.instant(), leaseFor);
        if (lease.isEmpty()) {
            GroupState unchanged = states.read(group);
            return new Change(group, Outcome.LEASE_BUSY, 0, unchanged, unchanged, Optional.empty());
        }
        GroupState before = GroupState.initial();
        try {
            // Read under the lease: the state written back must be the latest, not one a flip has since replaced.
            // Both reads end while the lease holds; cut short, nothing is written (NO_TIME).
            boolean recorded;
            try {
                before = states.read(group, clock.instant(), recordBy(lease.get()));
                recorded = states.history(group, CONFIG_DUPLICATE_WINDOW, clock.instant(), recordBy(lease.get()))
                        .stream().anyMatch(e -> e.kind().equals(kind) && e.trigger().equals(trigger));
            } catch (ApiCallTimeoutException slow) {
                return new Change(group, Outcome.NO_TIME, lease.get().token(), before, before, Optional.empty());
            }
            if (recorded) {
                return new Change(group, Outcome.NO_CHANGE, lease.get().token(), before, before, Optional.empty());
            }
            Instant now = clock.instant();
            GroupState after = before.withToken(lease.get().token());
            HistoryEvent event = new HistoryEvent(group, now, lease.get().token(), kind, trigger, Optional.empty(),
                    Optional.empty(), reason, List.of(), Map.of());
            states.record(lease.get(), now, after, Optional.of(event), recordBy(lease.get()));
            notifier.publish(event, mustEndBy);
            return new Change(group, Outcome.RECORDED, lease.get().token(), before, after, Optional.of(event));
        } catch (LeaseLostException lost) {
            return new Change(group, Outcome.LEASE_LOST, lease.get().token(), before, before, Optional.empty());
        } finally {
            leases.release(lease.get(), clock.instant(), mustEndBy);
        }
    }

    /** What a pause or resume did. */
    public record Change(String group, Outcome outcome, long token, GroupState before, GroupState after,
                         Optional<HistoryEvent> event) {
    }

    public Change pause(String group, String reason, boolean dryRun) {
        return pause(group, reason, dryRun, Instant.MAX);
    }

    /** Pauses automation; the leased part ends by {@code mustEndBy} or is not started (NO_TIME). */
    public Change pause(String group, String reason, boolean dryRun, Instant mustEndBy) {
        return change(group, true, Optional.of(reason), HistoryKind.PAUSED, "manual:pause", reason, dryRun, mustEndBy);
    }

    public Change resume(String group, String reason, boolean dryRun) {
        return resume(group, reason, dryRun, Instant.MAX);
    }

    /** Resumes automation; the leased part ends by {@code mustEndBy} or is not started (NO_TIME). */
    public Change resume(String group, String reason, boolean dryRun, Instant mustEndBy) {
        return change(group, false, Optional.empty(), HistoryKind.RESUMED, "manual:resume", reason, dryRun, mustEndBy);
    }

    /**
     * The lease for a state-only change that starts at {@code now} and must end by {@code mustEndBy}: the configured
     * one, shortened to fit; zero when less than {@link #MIN_LEASE} fits. A Lambda timeout then never leaves the
     * group locked for a whole configured lease (issue 11).
     */
    Duration leaseFor(Instant now, Instant mustEndBy) {
        Duration configured = config.lease();
        if (mustEndBy.isAfter(now.plus(configured))) {
            return configured;
        }
        Duration left = Duration.between(now, mustEndBy);
        return left.compareTo(minLease()) < 0 ? Duration.ZERO : left;
    }

    /** Read, history read and record, each a DynamoDB round trip, before the skew margin. */
    private Duration minLease() {
        return MIN_LEASE.plus(config.timing().skewMargin());
    }

    /** A record must land while the lease holds on every clock: before expiresAt less the skew margin. */
    private Instant recordBy(Lease lease) {
        return lease.expiresAt().minus(config.timing().skewMargin());
    }

    private Change change(String group, boolean paused, Optional<String> pauseReason, HistoryKind kind, String trigger,
                          String reason, boolean dryRun, Instant mustEndBy) {
        if (config.group(group).isEmpty()) {
            throw new UnknownGroupException(group);
        }
        GroupState before = states.read(group);
        GroupState wanted = before.withPaused(paused, pauseReason);
        if (dryRun) {
            return new Change(group, Outcome.DRY_RUN, 0, before, wanted, Optional.empty());
        }
        Duration leaseFor = leaseFor(clock.instant(), mustEndBy);
        if (leaseFor.isZero()) {
            return new Change(group, Outcome.NO_TIME, 0, before, before, Optional.empty());
        }
        Optional<Lease> lease = leases.acquire(group, owner.get(), clock.instant(), leaseFor);
        if (lease.isEmpty()) {
            return new Change(group, Outcome.LEASE_BUSY, 0, before, before, Optional.empty());
        }
        try {
            GroupState current;
            try {
                current = states.read(group, clock.instant(), recordBy(lease.get())); // ends while the lease holds
            } catch (ApiCallTimeoutException slow) {
                return new Change(group, Outcome.NO_TIME, lease.get().token(), before, before, Optional.empty());
            }
            GroupState after = current.withPaused(paused, pauseReason).withToken(lease.get().token());
            Instant now = clock.instant();
            HistoryEvent event = new HistoryEvent(group, now, lease.get().token(), kind, trigger, Optional.empty(),
                    Optional.empty(), reason, List.of(), Map.of());
            states.record(lease.get(), now, after, Optional.of(event), recordBy(lease.get()));
            notifier.publish(event, mustEndBy);
            return new Change(group, Outcome.RECORDED, lease.get().token(), current, after, Optional.of(event));
        } catch (LeaseLostException lost) {
            return new Change(group, Outcome.LEASE_LOST, lease.get().token(), before, before, Optional.empty());
        } finally {
            leases.release(lease.get(), clock.instant(), mustEndBy);
        }
    }

    public GroupState state(String group) {
        return states.read(group);
    }

    public Optional<LeaseRecord> lease(String group) {
        return leases.read(group);
    }

    public List<HistoryEvent> history(String group, int limit) {
        return states.history(group, limit);
    }
}
