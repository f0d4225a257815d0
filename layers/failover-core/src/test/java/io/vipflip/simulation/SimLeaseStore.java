package io.vipflip.simulation;

import io.vipflip.lease.Lease;
import io.vipflip.lease.LeaseRecord;
import io.vipflip.lease.LeaseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The lease item in memory, with the DynamoDB store's conditions. It also knows who believes it holds the lease
 * (acquired, not released), and ignores releases from crashed processes (they never send them).
 */
final class SimLeaseStore implements LeaseStore {
    private LeaseRecord record;
    private final Map<String, Lease> believers = new LinkedHashMap<>();
    private final Set<String> crashed = new HashSet<>();
    private final SimWorld world;

    SimLeaseStore(SimWorld world) {
        this.world = world;
    }

    @Override
    public synchronized Optional<Lease> acquire(String group, String owner, Instant now, Duration duration) {
        boolean free = record == null || record.owner().isEmpty() || record.expiresAt().isBefore(now)
                || record.owner().get().equals(owner);
        if (!free) {
            return Optional.empty();
        }
        long token = record == null ? 1 : record.token() + 1;
        record = new LeaseRecord(group, Optional.of(owner), now.plus(duration), token);
        Lease lease = new Lease(group, owner, token, now.plus(duration));
        believers.put(owner, lease);
        return Optional.of(lease);
    }

    @Override
    public synchronized boolean stillHeld(Lease lease, Instant now) {
        return held(lease, now);
    }

    synchronized boolean held(Lease lease, Instant now) {
        return record != null && record.owner().filter(lease.owner()::equals).isPresent()
                && record.token() == lease.token() && record.expiresAt().isAfter(now);
    }

    @Override
    public synchronized boolean release(Lease lease) {
        if (crashed.contains(lease.owner())) {
            return false;
        }
        believers.remove(lease.owner());
        if (record != null && record.owner().filter(lease.owner()::equals).isPresent() && record.token() == lease.token()) {
            record = new LeaseRecord(lease.group(), Optional.empty(), Instant.EPOCH, record.token());
            return true;
        }
        return false;
    }

    @Override
    public synchronized Optional<LeaseRecord> read(String group) {
        return Optional.ofNullable(record);
    }

    synchronized void crash(String owner) {
        crashed.add(owner);
        believers.remove(owner);
    }

    /** Owners who believe they hold an unexpired lease right now. */
    synchronized List<String> validBelievers() {
        Instant now = world.clock.instant();
        return believers.values().stream().filter(l -> l.expiresAt().isAfter(now)).map(Lease::owner).toList();
    }

    synchronized boolean validFor(String owner) {
        Instant now = world.clock.instant();
        return record != null && record.owner().filter(owner::equals).isPresent() && record.expiresAt().isAfter(now);
    }

    synchronized boolean believes(String owner) {
        return believers.containsKey(owner);
    }
}
