package io.vipflip.orchestrator;

import io.vipflip.policy.HistoryKind;
import io.vipflip.config.ConfigParameter;
import io.vipflip.config.ConfigParameters;
import io.vipflip.config.GroupParameters;
import io.vipflip.config.ParameterProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a container's groups in step with their parameters without a redeploy (issue 16): every {@code interval}
 * it reads the parameters under the root path, validates each group on its own, and applies what changed to the
 * orchestrator and the group control between rounds. An invalid new version of a running group is reported and
 * the last valid version keeps running. Changes applied by the watch loop ({@link #applyIfDue}) are recorded: each
 * added, changed or removed group gets a history event under its lease (other functions only refresh, so a change
 * is recorded once); a removed group's routes are left as they are. An event whose lease is busy (a flip in flight
 * elsewhere) is retried later.
 */
public final class ConfigUpdates implements WatchLoop.Updates, org.crac.Resource {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
    /** How soon a history event that met a busy lease is tried again. */
    static final Duration RETRY = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(ConfigUpdates.class);

    private record Pending(String group, HistoryKind kind, String trigger, String reason) {
    }

    private final GroupParameters layout;
    private final ConfigParameters store;
    private final Orchestrator orchestrator;
    private final GroupControl control;
    private final Clock clock;
    private final Duration interval;
    private final List<Pending> pending = new ArrayList<>();
    private GroupParameters.Loaded running;
    private Instant nextCheck;
    private Instant nextRetry = Instant.MAX;

    public ConfigUpdates(GroupParameters layout, ConfigParameters store, GroupParameters.Loaded loaded,
                         Orchestrator orchestrator, GroupControl control, Clock clock, Duration interval) {
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("VIPFLIP_CONFIG_REFRESH_SECONDS: must be at least 1 (got " + interval + ")");
        }
        this.layout = layout;
        this.store = store;
        this.running = loaded;
        this.orchestrator = orchestrator;
        this.control = control;
        this.clock = clock;
        this.interval = interval;
        this.nextCheck = clock.instant().plus(interval);
        loaded.problems().forEach(p -> LOG.error("configuration: {}", p.describe()));
    }

    /** Registers with the global CRaC context (Lambda runs its hooks under SnapStart); the engine keeps it referenced. */
    public ConfigUpdates registeredForRestore() {
        org.crac.Core.getGlobalContext().register(this);
        return this;
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends org.crac.Resource> context) {
        // Nothing to release.
    }

    /** The parameters read during init are as old as the snapshot: read them again before the next run. */
    @Override
    public synchronized void afterRestore(org.crac.Context<? extends org.crac.Resource> context) {
        nextCheck = clock.instant();
    }

    /** The running load: its groups, their parameters, and the problems found by the last read. */
    public synchronized GroupParameters.Loaded running() {
        return running;
    }

    @Override
    public synchronized Instant nextDue() {
        return nextCheck.isBefore(nextRetry) ? nextCheck : nextRetry;
    }

    /** The watch loop's check: applies what changed and records it in the groups' history. */
    @Override
    public synchronized boolean applyIfDue() {
        return applyIfDue(Instant.MAX);
    }

    /** As {@link #applyIfDue()}; each history write's lease ends by {@code mustEndBy} (the invocation's end). */
    @Override
    public synchronized boolean applyIfDue(Instant mustEndBy) {
        Instant now = clock.instant();
        boolean changed = false;
        if (!now.isBefore(nextCheck)) {
            changed = !reload(true, mustEndBy).isEmpty();
        }
        if (!pending.isEmpty() && !now.isBefore(nextRetry)) {
            recordPending(mustEndBy);
        }
        return changed;
    }

    /** The other functions' check, at the start of an invocation: applies what changed, records nothing. */
    public synchronized GroupParameters.Change refreshIfDue() {
        return clock.instant().isBefore(nextCheck) ? new GroupParameters.Change(List.of(), List.of(), List.of())
                : reload(false, Instant.MAX);
    }

    /**
     * Reads the parameters now and applies what changed (the manual function calls it when a request names a group
     * it does not know yet). A failed read changes nothing: the running groups keep running.
     */
    public synchronized GroupParameters.Change reload() {
        return reload(false, Instant.MAX);
    }

    private GroupParameters.Change reload(boolean recordHistory, Instant mustEndBy) {
        nextCheck = clock.instant().plus(interval);
        List<ConfigParameter> parameters;
        try {
            parameters = store.underPath(layout.root());
        } catch (RuntimeException e) {
            LOG.error("configuration: cannot read {} ({}); the {} running groups keep running", layout.root(),
                    e.toString(), running.config().groups().size());
            return new GroupParameters.Change(List.of(), List.of(), List.of());
        }
        GroupParameters.Loaded next = layout.reload(parameters, running);
        GroupParameters.Change change = GroupParameters.diff(running, next);
        GroupParameters.Loaded before = running;
        running = next;
        next.problems().forEach(p -> LOG.error("configuration: {}", p.describe()));
        if (!change.isEmpty()) {
            orchestrator.apply(next.config());
            control.apply(next.config());
            LOG.info("configuration: groups added {}, changed {}, removed {}", change.added(), change.changed(),
                    change.removed());
            if (recordHistory) {
                queue(change, before, next);
                recordPending(mustEndBy);
            }
        }
        return change;
    }

    private void queue(GroupParameters.Change change, GroupParameters.Loaded before, GroupParameters.Loaded after) {
        for (String group : change.added()) {
            ConfigParameter p = after.sources().get(group);
            pending.add(new Pending(group, HistoryKind.GROUP_ADDED, "config:" + p.name() + " " + p.revision(),
                    "group added from " + p.name() + " " + p.revision()));
        }
        for (String group : change.changed()) {
            ConfigParameter p = after.sources().get(group);
            pending.add(new Pending(group, HistoryKind.GROUP_CHANGED, "config:" + p.name() + " " + p.revision(),
                    "configuration " + p.revision() + " applied; lease, state and fencing token kept"));
        }
        for (String group : change.removed()) {
            ConfigParameter p = before.sources().get(group);
            pending.add(new Pending(group, HistoryKind.GROUP_REMOVED, "config:" + p.name() + " " + p.revision() + " removed",
                    p.name() + " is gone (last " + p.revision() + "): no longer watched; its routes are left as they are"));
        }
    }

    private void recordPending(Instant mustEndBy) {
        List<Pending> busy = new ArrayList<>();
        for (Pending p : pending) {
            try {
                GroupControl.Change result = control.recordConfiguration(p.group(), p.kind(), p.trigger(), p.reason(),
                        mustEndBy);
                if (result.outcome() == Outcome.LEASE_BUSY || result.outcome() == Outcome.LEASE_LOST
                        || result.outcome() == Outcome.NO_TIME) {
                    busy.add(p);
                }
            } catch (RuntimeException e) {
                LOG.warn("configuration: cannot record {} of group {} yet ({})", p.kind(), p.group(), e.toString());
                busy.add(p);
            }
        }
        pending.clear();
        pending.addAll(busy);
        nextRetry = busy.isEmpty() ? Instant.MAX : clock.instant().plus(RETRY);
    }

    /** History events still waiting for their group's lease. */
    public synchronized int pendingEvents() {
        return pending.size();
    }

    /** The problems of the last read, for answers and logs. */
    public synchronized List<ParameterProblem> problems() {
        return running.problems();
    }
}
