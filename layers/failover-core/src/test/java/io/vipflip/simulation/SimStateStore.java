package io.vipflip.simulation;

import io.vipflip.health.GroupHealth;
import io.vipflip.history.GroupStateStore;
import io.vipflip.history.HistoryEvent;
import io.vipflip.lease.Lease;
import io.vipflip.lease.LeaseLostException;
import io.vipflip.policy.GroupState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** State and history in memory; a record is refused unless the lease is still exactly the writer's. */
final class SimStateStore implements GroupStateStore {
    private final SimLeaseStore leases;
    private GroupState state = GroupState.initial();
    private final List<HistoryEvent> history = new ArrayList<>();

    SimStateStore(SimLeaseStore leases) {
        this.leases = leases;
    }

    @Override
    public synchronized GroupState read(String group) {
        return state;
    }

    @Override
    public synchronized void record(Lease lease, Instant now, GroupState next, Optional<HistoryEvent> event) {
        if (!leases.held(lease, now)) {
            throw new LeaseLostException(lease, "record state");
        }
        state = next;
        event.ifPresent(history::add);
    }

    @Override
    public synchronized void recordAfterLeaseLost(HistoryEvent event) {
        history.add(event);
    }

    @Override
    public synchronized void handOver(String group, GroupHealth health) {
        state = state.withHealth(health);
    }

    @Override
    public synchronized List<HistoryEvent> history(String group, int limit) {
        List<HistoryEvent> newestFirst = new ArrayList<>(history);
        java.util.Collections.reverse(newestFirst);
        return newestFirst.subList(0, Math.min(limit, newestFirst.size()));
    }

    synchronized List<HistoryEvent> all() {
        return List.copyOf(history);
    }
}
