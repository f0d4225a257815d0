package io.vipflip.local.ec2;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * EC2's request rate limiting, emulated: a token bucket per API action (per account and Region on AWS; per
 * endpoint here), sized by the action's category from the EC2 developer guide, "Request throttling for the
 * Amazon EC2 API" (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html). Each request takes a
 * token; an empty bucket answers {@code RequestLimitExceeded}; every whole second the bucket gets its refill
 * rate back, up to its capacity. Off unless enabled; time comes from an injectable nanosecond source.
 */
public final class ThrottleBuckets {
    /** A category's bucket: capacity (burst) and tokens added per second (sustained rate). */
    public record Size(String category, double capacity, double refillPerSecond) {
    }

    public static final Size NON_MUTATING = new Size("non-mutating", 100, 20);
    /** DescribeInstances, DescribeNetworkInterfaces, … when called with neither a filter nor pagination. */
    public static final Size UNFILTERED_NON_MUTATING = new Size("unfiltered and unpaginated non-mutating", 50, 10);
    public static final Size MUTATING = new Size("mutating", 50, 5);
    /** Uncategorized actions the endpoint serves, with their own sizes in the guide's table. */
    private static final Map<String, Size> UNCATEGORIZED = Map.of(
            "CreateNetworkInterface", new Size("CreateNetworkInterface", 100, 5),
            "ModifyNetworkInterfaceAttribute", new Size("ModifyNetworkInterfaceAttribute", 100, 5));
    private static final Set<String> SMALLER_WHEN_UNFILTERED = Set.of("DescribeInstances", "DescribeInstanceStatus",
            "DescribeNetworkInterfaces", "DescribeSecurityGroups", "DescribeSnapshots",
            "DescribeSpotInstanceRequests", "DescribeVolumes");
    private static final long SECOND = 1_000_000_000L;

    private static final class Bucket {
        final Size size;
        double tokens;
        long refilledAt;

        Bucket(Size size, long now) {
            this.size = size;
            this.tokens = size.capacity();
            this.refilledAt = now;
        }
    }

    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile boolean enabled;

    public ThrottleBuckets(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    public ThrottleBuckets enabled(boolean on) {
        this.enabled = on;
        if (!on) {
            buckets.clear(); // switched on again, every bucket starts full
        }
        return this;
    }

    public boolean enabled() {
        return enabled;
    }

    /** The category an action's request falls in. */
    public static Size sizeOf(String action, boolean filteredOrPaginated) {
        if (UNCATEGORIZED.containsKey(action)) {
            return UNCATEGORIZED.get(action);
        }
        if (SMALLER_WHEN_UNFILTERED.contains(action) && !filteredOrPaginated) {
            return UNFILTERED_NON_MUTATING;
        }
        boolean readOnly = action.startsWith("Describe") || action.startsWith("List") || action.startsWith("Search")
                || action.startsWith("Get");
        return readOnly ? NON_MUTATING : MUTATING;
    }

    /** Takes a token for one request; the error EC2 answers when the action's bucket is empty. */
    Optional<Ec2Error> take(String action, QueryParams params) {
        boolean filteredOrPaginated = !params.filters().isEmpty() || params.get("MaxResults").isPresent()
                || params.get("NextToken").isPresent();
        return take(action, filteredOrPaginated);
    }

    public Optional<Ec2Error> take(String action, boolean filteredOrPaginated) {
        if (!enabled || action.isEmpty()) {
            return Optional.empty();
        }
        Size size = sizeOf(action, filteredOrPaginated);
        String key = size == UNFILTERED_NON_MUTATING ? action + " (unfiltered)" : action;
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(size, now));
        synchronized (bucket) {
            long seconds = (now - bucket.refilledAt) / SECOND;
            if (seconds > 0) {
                bucket.tokens = Math.min(size.capacity(), bucket.tokens + seconds * size.refillPerSecond());
                bucket.refilledAt += seconds * SECOND;
            }
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Optional.empty();
            }
        }
        return Optional.of(new Ec2Error("RequestLimitExceeded", "Request limit exceeded.", 503));
    }
}
