package io.vipflip.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.TimingBudget;
import io.vipflip.local.ec2.CallLog;
import io.vipflip.local.ec2.Ec2Endpoint;
import io.vipflip.testing.LocalEc2;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Route writes against the local EC2 endpoint with EC2's token buckets on (mutating actions: 50 tokens, 5 per
 * second), the buckets and the writer's pacing on one driven clock, through the production SDK client (issue 13 §3,
 * docs/decisions.md 57).
 */
class PacedRouteWritesIT {
    private static final String VIP = "192.168.100.10/32";
    private static final String ENI_A = "eni-0aaaaaaaaaaaaaaa1";
    private static final String ENI_B = "eni-0bbbbbbbbbbbbbbb2";
    private static final long MILLI = 1_000_000L;
    private final AtomicLong now = new AtomicLong();
    private Ec2Endpoint endpoint;
    private Ec2Client ec2;

    private Ec2RouteTables start(int tables) {
        endpoint = Ec2Endpoint.start(LocalEc2.world(tables), 0, now::get);
        endpoint.throttling().enabled(true);
        ec2 = LocalEc2.client(endpoint.endpoint());
        return new Ec2RouteTables(ec2);
    }

    @AfterEach
    void stop() {
        if (ec2 != null) {
            ec2.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private static List<RouteChange> toB(int tables) {
        return IntStream.range(0, tables).mapToObj(i -> new RouteChange(LocalEc2.tableId(i), VIP, ENI_B,
                new VipRoute(LocalEc2.tableId(i), VIP, RouteStatus.ACTIVE, Optional.of(ENI_A), Optional.empty())))
                .toList();
    }

    /** Sleeping jumps the driven clock: for one writer at a time, whose sends are never reordered. */
    private final ParallelRouteWriter.Ticker jumping = new ParallelRouteWriter.Ticker() {
        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void sleepUntil(long nanoTime) {
            now.accumulateAndGet(nanoTime, Math::max);
        }
    };

    /** Sleeping waits for the driven clock, which a driver thread moves on in small steps while the writes run. */
    private final ParallelRouteWriter.Ticker driven = new ParallelRouteWriter.Ticker() {
        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void sleepUntil(long nanoTime) throws InterruptedException {
            while (now.get() < nanoTime) {
                Thread.sleep(1);
            }
        }
    };

    private void drainMutatingBucket(Ec2RouteTables tables) {
        // 50 writes at one instant of the driven clock take the bucket's 50 tokens.
        List<RouteWriteOutcome> drained = new ParallelRouteWriter(tables, jumping).writeAll(toB(50), Duration.ofSeconds(30));
        assertTrue(drained.stream().allMatch(RouteWriteOutcome::succeeded), drained.toString());
        endpoint.calls().clear();
    }

    @Test
    void aHundredTableFlip_landsEveryWriteWithinItsWindow_pacedToTheMutatingBucket() throws Exception {
        Ec2RouteTables tables = start(100);
        AtomicBoolean done = new AtomicBoolean();
        Thread driver = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
                now.addAndGet(2 * MILLI);
            }
        });
        List<RouteWriteOutcome> outcomes;
        try {
            // The window a lease gives 100 writes (decision 57): the burst, then paced at the refill rate.
            outcomes = new ParallelRouteWriter(tables, driven).writeAll(toB(100), TimingBudget.writeWindow(100));
        } finally {
            done.set(true);
            driver.join();
        }

        assertTrue(outcomes.stream().allMatch(RouteWriteOutcome::succeeded), outcomes.stream()
                .filter(o -> !o.succeeded()).map(o -> o.tableId() + ": " + o.error()).toList().toString());
        assertTrue(IntStream.range(0, 100).allMatch(i -> ENI_B.equals(endpoint.world().target(LocalEc2.tableId(i), VIP))),
                "every table points at the survivor");
        List<CallLog.Call> calls = endpoint.calls().all();
        long throttled = calls.stream().filter(c -> c.error().equals("RequestLimitExceeded")).count();
        assertTrue(throttled > 0, "the flip met the bucket: 100 writes, 50 tokens");
        assertEquals(100, calls.stream().filter(c -> c.action().equals("ReplaceRoute") && c.error().isEmpty()).count());
    }

    @Test
    void aThrottledWrite_isOneAttempt_notAFailureOfTheTable_andNotApplied() {
        Ec2RouteTables tables = start(51);
        drainMutatingBucket(tables);
        RouteChange change = toB(51).get(50);

        RouteWriteOutcome outcome = tables.write(change, Duration.ofSeconds(5));

        assertTrue(outcome.throttled(), outcome.toString());
        assertFalse(outcome.succeeded());
        assertFalse(outcome.mayHaveLanded(), "EC2 throttles before it applies anything");
        assertEquals(1, endpoint.calls().count("ReplaceRoute"), "the SDK's retries are off for route writes");
        assertEquals(ENI_A, endpoint.world().target(change.tableId(), VIP));
    }

    @Test
    void aWriteThrottledUntilItsWindowEnds_sendsNothingAfterIt_andSaysItWasThrottled() {
        Ec2RouteTables tables = start(51);
        drainMutatingBucket(tables);
        endpoint.throttling().enabled(true);
        long started = now.get();
        // Within 900 ms of driven time no token comes back (the bucket refills each whole second).
        RouteWriteOutcome outcome = new ParallelRouteWriter(tables, jumping)
                .writeAll(List.of(toB(51).get(50)), Duration.ofMillis(900)).get(0);

        assertTrue(outcome.throttled() && !outcome.succeeded() && !outcome.mayHaveLanded(), outcome.toString());
        List<CallLog.Call> sends = endpoint.calls().all();
        assertTrue(sends.size() > 1, "sent again while the window lasted: " + sends);
        assertTrue(sends.size() <= 7, "one send per 160 ms of the window at most: " + sends);
        assertTrue(now.get() < started + 900 * MILLI, "the writer never waited past its window");
    }

    @Test
    void aThrottledWrite_isSentAgain_andLandsOnceTheBucketRefills() {
        Ec2RouteTables tables = start(51);
        drainMutatingBucket(tables);

        RouteWriteOutcome outcome = new ParallelRouteWriter(tables, jumping)
                .writeAll(List.of(toB(51).get(50)), Duration.ofSeconds(5)).get(0);

        assertTrue(outcome.succeeded(), outcome.toString());
        assertEquals(ENI_B, endpoint.world().target(LocalEc2.tableId(50), VIP));
        assertTrue(endpoint.calls().all().stream().anyMatch(c -> c.error().equals("RequestLimitExceeded")));
    }

    @Test
    void aWriteWithLessThanOneRoundTripLeft_isNotSent_soNoCopyOfItCanLandAfterTheWindow() {
        Ec2RouteTables tables = start(1);
        RouteChange change = toB(1).getFirst();

        RouteWriteOutcome late = tables.write(change, io.vipflip.aws.CallBound.MIN_CALL.minusMillis(1));
        RouteWriteOutcome inTime = tables.write(change, io.vipflip.aws.CallBound.MIN_CALL.plusSeconds(1));

        assertFalse(late.sent(), "not sent with less than " + io.vipflip.aws.CallBound.MIN_CALL + " left");
        assertFalse(late.mayHaveLanded(), "so it keeps no lease");
        assertTrue(inTime.succeeded());
        assertEquals(1, endpoint.calls().all().stream().filter(CallLog.Call::isWrite).count(),
                "only the write sent in time reached EC2");
    }

    @Test
    void aSendThatSucceedsAfterAnUnansweredOne_stillMayHaveLanded_soTheLeaseIsKept() {
        RouteChange change = toB(1).getFirst();
        RouteWriteOutcome resent = RouteWriteOutcome.ok(change, "ReplaceRoute", Duration.ofMillis(5))
                .after(Duration.ofMillis(900), true);

        assertTrue(resent.succeeded());
        assertTrue(resent.mayHaveLanded(), "the unanswered copy may still be applied later");
    }
}
