package io.vipflip.local.ec2;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults the endpoint injects before serving a call: latency on every call, throttling (the next N calls or a
 * fraction of them), server errors, and failing writes to one route table.
 */
public final class Faults {
    private static final Map<String, Boolean> WRITES = Map.of("CreateRoute", true, "ReplaceRoute", true,
            "DeleteRoute", true);
    private volatile Duration latency = Duration.ZERO;
    private final AtomicInteger throttleNext = new AtomicInteger();
    private volatile double throttleFraction;
    private final AtomicInteger serverErrorsNext = new AtomicInteger();
    private final Map<String, AtomicInteger> failingTables = new ConcurrentHashMap<>();
    private final Map<String, String> refusingTables = new ConcurrentHashMap<>();
    private Random random = new Random(1);
    private volatile Duration slowWriteLatency = Duration.ZERO;
    private final AtomicInteger slowWritesNext = new AtomicInteger();
    private final AtomicInteger slowWritesStarted = new AtomicInteger();

    public Faults latency(Duration perCall) {
        this.latency = perCall;
        return this;
    }

    /**
     * The next {@code writes} route writes wait {@code latency} before they are applied, whether or not the caller
     * still waits for the answer (a request EC2 has received is applied even if the client gave up).
     */
    public Faults slowWrites(Duration latency, int writes) {
        this.slowWriteLatency = latency;
        slowWritesNext.set(writes);
        return this;
    }

    /** How many slowed writes have arrived so far (they are then in flight). */
    public int slowWritesStarted() {
        return slowWritesStarted.get();
    }

    public Faults throttleNext(int calls) {
        throttleNext.set(calls);
        return this;
    }

    /** Throttles this fraction of calls, chosen by a seeded random so a run can be replayed. */
    public synchronized Faults throttleFraction(double fraction, long seed) {
        this.throttleFraction = fraction;
        this.random = new Random(seed);
        return this;
    }

    public Faults serverErrorsNext(int calls) {
        serverErrorsNext.set(calls);
        return this;
    }

    /** Fails the next {@code times} writes to {@code tableId} (a negative count: until cleared). */
    public Faults failWritesTo(String tableId, int times) {
        failingTables.put(tableId, new AtomicInteger(times));
        return this;
    }

    /**
     * Refuses every write to {@code tableId} with the client error {@code code} (HTTP 400: EC2 applied nothing),
     * until cleared: a table vipflip may never write (UnauthorizedOperation, a target in another VPC, RouteLimitExceeded).
     */
    public Faults refuseWritesTo(String tableId, String code) {
        refusingTables.put(tableId, code);
        return this;
    }

    /** Writes to {@code tableId} are served again (the other faults stay). */
    public Faults acceptWritesTo(String tableId) {
        refusingTables.remove(tableId);
        failingTables.remove(tableId);
        return this;
    }

    public synchronized void clear() {
        latency = Duration.ZERO;
        throttleNext.set(0);
        throttleFraction = 0;
        serverErrorsNext.set(0);
        failingTables.clear();
        refusingTables.clear();
        slowWritesNext.set(0);
        slowWriteLatency = Duration.ZERO;
    }

    public Duration latency() {
        return latency;
    }

    /** The delay before serving {@code action}: the latency of every call, plus a slowed write's. */
    Duration latencyFor(String action) {
        if (WRITES.containsKey(action) && takeOne(slowWritesNext)) {
            slowWritesStarted.incrementAndGet();
            return latency.plus(slowWriteLatency);
        }
        return latency;
    }

    /** The error to answer instead of serving {@code action} on {@code tableId}, if a fault says so. */
    Optional<Ec2Error> before(String action, Optional<String> tableId) {
        if (takeOne(throttleNext) || throttledByChance()) {
            return Optional.of(new Ec2Error("RequestLimitExceeded", "Request limit exceeded.", 503));
        }
        if (takeOne(serverErrorsNext)) {
            return Optional.of(new Ec2Error("InternalError", "An internal error has occurred", 500));
        }
        if (WRITES.containsKey(action) && tableId.isPresent() && refusingTables.containsKey(tableId.get())) {
            return Optional.of(Ec2Error.client(refusingTables.get(tableId.get()),
                    "You are not authorized to perform this operation (injected for " + tableId.get() + ")"));
        }
        if (WRITES.containsKey(action) && tableId.isPresent()) {
            AtomicInteger remaining = failingTables.get(tableId.get());
            if (remaining != null && (remaining.get() < 0 || takeOne(remaining))) {
                return Optional.of(new Ec2Error("InternalError",
                        "An internal error has occurred (injected for " + tableId.get() + ")", 500));
            }
        }
        return Optional.empty();
    }

    private synchronized boolean throttledByChance() {
        return throttleFraction > 0 && random.nextDouble() < throttleFraction;
    }

    private static boolean takeOne(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0;
    }
}
