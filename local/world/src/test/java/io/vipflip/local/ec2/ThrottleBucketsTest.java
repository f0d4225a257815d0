package io.vipflip.local.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** EC2's token buckets on a driven clock: a burst of the capacity, then the refill rate per whole second. */
class ThrottleBucketsTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(42 * SECOND);
    private final ThrottleBuckets buckets = new ThrottleBuckets(now::get).enabled(true);

    @Test
    void describeRouteTables_burstsTo100_thenRefills20PerSecond() {
        assertEquals(100, granted("DescribeRouteTables", 150), "the burst: a full non-mutating bucket");

        now.addAndGet(SECOND - 1);
        assertEquals(0, granted("DescribeRouteTables", 5), "nothing comes back before a whole second");
        now.addAndGet(1);
        assertEquals(20, granted("DescribeRouteTables", 50), "one second: 20 tokens");
        now.addAndGet(10 * SECOND);
        assertEquals(100, granted("DescribeRouteTables", 150), "the bucket never holds more than its capacity");
    }

    @Test
    void routeWrites_areMutating_50Then5PerSecond() {
        assertEquals(50, granted("ReplaceRoute", 80));
        now.addAndGet(2 * SECOND);
        assertEquals(10, granted("ReplaceRoute", 80));
        assertEquals(ThrottleBuckets.MUTATING, ThrottleBuckets.sizeOf("CreateRoute", true));
        assertEquals(ThrottleBuckets.MUTATING, ThrottleBuckets.sizeOf("DeleteRoute", true));
    }

    @Test
    void everyActionHasItsOwnBucket() {
        assertEquals(100, granted("DescribeRouteTables", 100));
        assertEquals(50, granted("ReplaceRoute", 50));
        assertEquals(50, granted("CreateRoute", 60), "CreateRoute is not charged for ReplaceRoute's calls");
        assertEquals(100, granted("DescribeInstances", 100), "nor DescribeInstances for DescribeRouteTables'");
    }

    @Test
    void unfilteredUnpaginatedDescribeInstances_drawsFromTheSmallerBucket() {
        assertEquals(ThrottleBuckets.UNFILTERED_NON_MUTATING, ThrottleBuckets.sizeOf("DescribeInstances", false));
        assertEquals(ThrottleBuckets.NON_MUTATING, ThrottleBuckets.sizeOf("DescribeRouteTables", false));
        int unfiltered = 0;
        for (int i = 0; i < 80; i++) {
            unfiltered += buckets.take("DescribeInstances", false).isEmpty() ? 1 : 0;
        }
        assertEquals(50, unfiltered);
        now.addAndGet(SECOND);
        assertEquals(10, countGranted(() -> buckets.take("DescribeInstances", false).isEmpty(), 30));
        assertEquals(100, granted("DescribeInstances", 120), "filtered requests use the standard bucket");
    }

    @Test
    void answersRequestLimitExceeded_asEc2Does() {
        granted("ReplaceRoute", 50);

        Ec2Error error = buckets.take("ReplaceRoute", true).orElseThrow();

        assertEquals("RequestLimitExceeded", error.code());
        assertEquals(503, error.status());
    }

    @Test
    void offUnlessEnabled_andFullAgainWhenReenabled() {
        ThrottleBuckets off = new ThrottleBuckets(now::get);
        for (int i = 0; i < 500; i++) {
            assertTrue(off.take("ReplaceRoute", true).isEmpty());
        }
        assertFalse(off.enabled());
        granted("ReplaceRoute", 50);
        buckets.enabled(false).enabled(true);
        assertEquals(50, granted("ReplaceRoute", 60));
    }

    private int granted(String action, int requests) {
        return countGranted(() -> buckets.take(action, true).isEmpty(), requests);
    }

    private static int countGranted(java.util.function.BooleanSupplier take, int requests) {
        int granted = 0;
        for (int i = 0; i < requests; i++) {
            granted += take.getAsBoolean() ? 1 : 0;
        }
        return granted;
    }
}
