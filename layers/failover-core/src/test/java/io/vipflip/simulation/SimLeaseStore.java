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
 * The lease item in memory, with {@code DynamoLeaseStore}'s conditions (checked against it on DynamoDB Local by
 * {@code SimLeaseStoreConformanceIT}): a lease is taken when the item is absent, released or expired at the
 * caller's {@code now}, never by its own holder again; each acquisition increments the fencing token. It also
 * knows who believes it holds the lease (acquired, not released), and ignores releases from crashed processes
 * (they never send them).
 */
class SimLeaseStore implements LeaseStore {
    private LeaseRecord record;
    private final Map<String, Lease> believers = new LinkedHashMap<>();
    private final Set<String> crashed = new HashSet<>();
    private final SimWorld world;
    /** Runs after each acquisition (the simulation checks that one process at most may write). */
    Runnable afterAcquire = () -> { };

    SimLeaseStore(SimWorld world) {
        this.world = world;
    }

    /** The store's condition: may {@code owner} take the lease at {@code now} (its own clock)? */
    boolean free(String owner, Instant now) {
        // DynamoDB holds epoch milliseconds: attribute_not_exists(owner) OR expiresAt < :now
        return record == null || record.owner().isEmpty() || record.expiresAt().toEpochMilli() < now.toEpochMilli();
    }

    @Override
    public synchronized Optional<Lease> acquire(String group, String owner, Instant now, Duration duration) {
        world.raceDuringCall();
        if (!free(owner, now)) {
            return Optional.empty();
        }
        long token = record == null ? 1 : record.token() + 1;
        record = new LeaseRecord(group, Optional.of(owner), Instant.ofEpochMilli(now.plus(duration).toEpochMilli()), token);
        Lease lease = new Lease(group, owner, token, now.plus(duration));
        believers.put(owner, lease);
        afterAcquire.run();
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

    /**
     * Owners who believe they hold the lease and may still send a route write: their own clock is before their
     * lease's write deadline ({@code deadline} maps an expiry to it).
     */
    synchronized List<String> writers(java.util.function.UnaryOperator<Instant> deadline) {
        return believers.values().stream().filter(l -> world.clockOf(l.owner()).isBefore(deadline.apply(l.expiresAt())))
                .map(Lease::owner).toList();
    }

    /** The token {@code owner} believes it holds (0 when none). */
    synchronized long tokenOf(String owner) {
        Lease lease = believers.get(owner);
        return lease == null ? 0 : lease.token();
    }

    /**
     * Why a write of {@code landing} applied now lands outside its writer's lease, if it does: the lease item no
     * longer carries the writer's token, or it was released, or some other live process's clock has passed its
     * expiry (that process may take the lease and write).
     */
    synchronized Optional<String> outsideLease(SimWorld.Landing landing, Set<String> live) {
        if (record == null || record.token() != landing.token()) {
            return Optional.of("the lease is at token " + (record == null ? 0 : record.token()) + ", the write's is "
                    + landing.token());
        }
        if (record.owner().isEmpty()) {
            return Optional.of("the lease was released");
        }
        for (String other : live) {
            if (!other.equals(landing.writer()) && !crashed.contains(other)
                    && !world.clockOf(other).isBefore(record.expiresAt())) {
                return Optional.of(other + "'s clock (" + world.clockOf(other) + ") has passed the expiry "
                        + record.expiresAt());
            }
        }
        return Optional.empty();
    }

    synchronized boolean believes(String owner) {
        return believers.containsKey(owner);
    }

    /** A broken variant: the condition is dropped, so anyone takes the lease at any time. */
    static final class WithoutCondition extends SimLeaseStore {
        WithoutCondition(SimWorld world) {
            super(world);
        }

        @Override
        boolean free(String owner, Instant now) {
            return true;
        }
    }
}
