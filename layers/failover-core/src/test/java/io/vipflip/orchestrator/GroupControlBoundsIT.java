package io.vipflip.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.history.HistoryEvent;
import io.vipflip.policy.HistoryKind;
import io.vipflip.history.Notifier;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.lease.Lease;
import io.vipflip.lease.LeaseRecord;
import io.vipflip.lease.LeaseStore;
import io.vipflip.testing.LocalDynamo;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Pause, resume and configuration records end before the invocation does (issue 11): their lease is shortened to
 * the time left, their record call is bounded by the lease, their notification by the invocation's end.
 */
class GroupControlBoundsIT {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final DeploymentConfig CONFIG = new ConfigParser().parse("""
            {"leaseMillis": 10000,
             "groups": [{"name": "web", "vips": ["192.168.100.10/32"],
              "nodes": [{"name": "a", "instanceId": "i-0aaaaaaaaaaaaaaa1"}, {"name": "b", "instanceId": "i-0bbbbbbbbbbbbbbb2"}],
              "routeTables": {"tag": {"key": "vipflip:group", "value": "web"}}}]}
            """);
    private final MutableClock clock = new MutableClock(T0);
    private final List<Duration> leasesTaken = new ArrayList<>();
    private final List<Duration> recordTimeouts = new ArrayList<>();
    private final List<Instant> publishDeadlines = new ArrayList<>();
    private String table;
    private DynamoDbClient dynamo;
    private GroupControl control;

    @BeforeEach
    void setUp() {
        table = LocalDynamo.freshTable();
        // The real client, with an interceptor that sees each request's own call timeout.
        dynamo = LocalDynamo.clientWith(LocalDynamo.recordTimeoutsInto(recordTimeouts));
        LeaseStore real = new DynamoLeaseStore(dynamo, table);
        LeaseStore spy = new LeaseStore() {
            public Optional<Lease> acquire(String group, String owner, Instant now, Duration duration) {
                leasesTaken.add(duration);
                return real.acquire(group, owner, now, duration);
            }

            public boolean stillHeld(Lease lease, Instant now) {
                return real.stillHeld(lease, now);
            }

            public boolean release(Lease lease) {
                return real.release(lease);
            }

            public Optional<LeaseRecord> read(String group) {
                return real.read(group);
            }
        };
        Notifier notifier = new Notifier() {
            public void publish(HistoryEvent event) {
                publishDeadlines.add(Instant.MAX);
            }

            @Override
            public void publish(HistoryEvent event, Instant deadline) {
                publishDeadlines.add(deadline);
            }
        };
        control = new GroupControl(CONFIG, spy, new DynamoGroupStateStore(dynamo, table, Duration.ofDays(1)), clock,
                "test-owner", notifier);
    }

    private int items() {
        return dynamo.scan(b -> b.tableName(table)).count();
    }

    @Test
    void aPauseNearTheInvocationsEnd_takesALeaseThatEndsByIt_andBoundsItsCalls() {
        Instant mustEndBy = T0.plusSeconds(4);

        GroupControl.Change paused = control.pause("web", "maintenance", false, mustEndBy);

        assertEquals(Outcome.RECORDED, paused.outcome());
        assertEquals(List.of(Duration.ofSeconds(4)), leasesTaken, "the configured 10 s lease, shortened to fit");
        // The record lands while the lease holds on every clock: by expiresAt less the 2 s skew margin.
        assertEquals(List.of(Duration.ofSeconds(2)), recordTimeouts);
        assertEquals(List.of(mustEndBy), publishDeadlines);
    }

    @Test
    void withTimeToSpare_theConfiguredLeaseIsTaken() {
        control.resume("web", "done", false, T0.plusSeconds(30));

        assertEquals(List.of(Duration.ofSeconds(10)), leasesTaken);
        assertEquals(List.of(Duration.ofSeconds(8)), recordTimeouts);
    }

    @Test
    void whenTheShortestUsefulLeaseNoLongerFits_nothingIsTakenOrWritten() {
        // One second for three DynamoDB calls, plus the 2 s skew margin: 3 s at least.
        GroupControl.Change late = control.pause("web", "maintenance", false, T0.plusMillis(2_999));

        assertEquals(Outcome.NO_TIME, late.outcome());
        assertEquals(List.of(), leasesTaken);
        assertEquals(0, items());
        assertEquals(Outcome.RECORDED, control.pause("web", "maintenance", false, T0.plusSeconds(3)).outcome());
    }

    @Test
    void aConfigurationRecord_isBoundedTheSameWay() {
        GroupControl.Change late = control.recordConfiguration("web", HistoryKind.GROUP_CHANGED, "config:p 2", "why",
                T0.plusSeconds(2));
        GroupControl.Change inTime = control.recordConfiguration("web", HistoryKind.GROUP_CHANGED, "config:p 2", "why",
                T0.plusSeconds(5));

        assertEquals(Outcome.NO_TIME, late.outcome());
        assertEquals(Outcome.RECORDED, inTime.outcome());
        assertEquals(List.of(Duration.ofSeconds(5)), leasesTaken);
        assertEquals(List.of(Duration.ofSeconds(3)), recordTimeouts);
        assertTrue(publishDeadlines.equals(List.of(T0.plusSeconds(5))), publishDeadlines.toString());
    }

    @Test
    void aStateReadUnderTheLeaseThatWouldOutliveIt_isCutShort_andTheAnswerIsNoTime_withNothingWritten() {
        // DynamoDB answers reads 3 s late; the lease (4 s, less the 2 s skew margin) leaves 2 s for them.
        DynamoDbClient slowReads = LocalDynamo.clientWith(new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public void beforeTransmission(software.amazon.awssdk.core.interceptor.Context.BeforeTransmission context,
                                           software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                if (context.request() instanceof software.amazon.awssdk.services.dynamodb.model.GetItemRequest) {
                    try {
                        Thread.sleep(3_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        DynamoGroupStateStore states = new DynamoGroupStateStore(slowReads, table, Duration.ofDays(1));
        GroupControl slow = new GroupControl(CONFIG, new DynamoLeaseStore(dynamo, table), states, clock, "test-owner",
                Notifier.NONE);

        GroupControl.Change paused = slow.pause("web", "maintenance", false, T0.plusSeconds(4));

        assertEquals(Outcome.NO_TIME, paused.outcome());
        assertEquals(false, control.state("web").paused(), "nothing was written");
        assertTrue(control.lease("web").map(l -> l.expiresAt().toEpochMilli() == 0
                || !l.expiresAt().isAfter(T0)).orElse(true), "the lease was released: " + control.lease("web"));
    }
}
