package io.vipflip.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.config.RouteTableSelector;
import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.history.HistoryEvent;
import io.vipflip.history.Notifier;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.lease.LeaseOwner;
import io.vipflip.policy.Trigger;
import io.vipflip.probe.TcpProber;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.route.RouteChange;
import io.vipflip.route.RouteSnapshot;
import io.vipflip.route.RouteTables;
import io.vipflip.route.RouteWriteOutcome;
import io.vipflip.testing.InMemoryRouteTables;
import io.vipflip.testing.Listeners;
import io.vipflip.testing.LocalDynamo;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The calls after a flip's writes — the verify read, the record, the notification — end in time (issue 11): the
 * read leaves the record room under the lease, the record lands while the lease holds on every clock, the
 * notification ends with the invocation. The clock stands still, so every bound is exact.
 */
class PostWriteBoundsIT {
    private static final String VIP = "192.168.100.10/32";
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private final Listeners listeners = new Listeners();
    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryRouteTables tables = new InMemoryRouteTables();
    private final List<Duration> verifyBounds = new ArrayList<>();
    private final List<Duration> recordTimeouts = new ArrayList<>();
    private final List<Instant> publishDeadlines = new ArrayList<>();
    private Orchestrator orchestrator;
    private int port;
    private Duration writeTakes = Duration.ZERO;

    @BeforeEach
    void world() {
        String table = LocalDynamo.freshTable();
        port = listeners.open("127.0.0.1");
        listeners.open("127.0.0.2", port);
        tables.route("rtb-00000001", VIP, "eni-0000000a");
        DeploymentConfig config = new ConfigParser().parse("""
                {"leaseMillis": 10000, "groups": [{"name": "web", "vips": ["%s"],
                  "nodes": [
                    {"name": "a", "instanceId": "i-0000000a", "eniId": "eni-0000000a", "probeAddress": "127.0.0.1"},
                    {"name": "b", "instanceId": "i-0000000b", "eniId": "eni-0000000b", "probeAddress": "127.0.0.2"}],
                  "routeTables": {"ids": ["rtb-00000001"]},
                  "probe": {"ports": [%d], "timeoutMillis": 200, "intervalMillis": 500, "fall": 2, "rise": 1}}]}
                """.formatted(VIP, port));
        DynamoDbClient dynamo = LocalDynamo.clientWith(LocalDynamo.recordTimeoutsInto(recordTimeouts));
        RouteTables bounded = new RouteTables() {
            public RouteSnapshot read(RouteTableSelector selector, List<String> vips) {
                return tables.read(selector, vips);
            }

            @Override
            public RouteSnapshot read(RouteTableSelector selector, List<String> vips, Duration within) {
                verifyBounds.add(within);
                return tables.read(selector, vips);
            }

            public RouteWriteOutcome write(RouteChange change, Duration within) {
                clock.advance(writeTakes);
                return tables.write(change, within);
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
        orchestrator = new Orchestrator(config, new Ec2NodeResolver(null), new TcpProber(), bounded,
                new DynamoLeaseStore(dynamo, table), new DynamoGroupStateStore(dynamo, table, Duration.ofDays(1)),
                clock, LeaseOwner.fixed("fn-1"), notifier);
    }

    @AfterEach
    void close() {
        listeners.close();
    }

    @Test
    void aFlipsVerifyRecordAndNotification_endInTime() {
        listeners.close("127.0.0.1", port);
        Instant mustEndBy = T0.plusSeconds(40);
        RunResult result = null;
        for (int round = 0; round < 3 && (result == null || result.outcome() != Outcome.FLIPPED); round++) {
            result = orchestrator.run("web", new Trigger.Scheduled(), false, mustEndBy);
        }

        assertEquals(Outcome.FLIPPED, result.outcome(), result.decision().reason());
        // Lease 10 s: the record must land by expiresAt − 2 s skew = 8 s; the verify read leaves it 1 s of that.
        assertEquals(List.of(Duration.ofSeconds(7)), verifyBounds);
        assertEquals(List.of(Duration.ofSeconds(8)), recordTimeouts);
        assertEquals(List.of(mustEndBy), publishDeadlines);
    }

    @Test
    void slowWrites_leaveTheVerifyReadAndTheRecordOnlyWhatRemainsOfTheLease() {
        writeTakes = Duration.ofSeconds(3); // the writes use 3 of the lease's 10 s
        listeners.close("127.0.0.1", port);
        RunResult result = null;
        for (int round = 0; round < 3 && (result == null || result.outcome() != Outcome.FLIPPED); round++) {
            result = orchestrator.run("web", new Trigger.Scheduled(), false, T0.plusSeconds(40));
        }

        assertEquals(Outcome.FLIPPED, result.outcome(), result.decision().reason());
        assertEquals(List.of(Duration.ofSeconds(4)), verifyBounds);
        assertEquals(List.of(Duration.ofSeconds(5)), recordTimeouts);
    }
}
