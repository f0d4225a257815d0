package io.vipflip.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.aws.AwsClients;
import io.vipflip.config.GroupParameters;
import io.vipflip.config.SsmConfigParameters;
import io.vipflip.history.Notifier;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.lease.Lease;
import io.vipflip.local.ec2.Ec2Endpoint;
import io.vipflip.local.ssm.SsmEndpoint;
import io.vipflip.runtime.Engine;
import io.vipflip.testing.GroupDocs;
import io.vipflip.testing.LocalDynamo;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The checks of {@link ConfigUpdates} one by one, at chosen instants of a virtual clock: when a read happens, what
 * it applies to the orchestrator and the group control, when history is recorded and when a history event that met
 * a busy lease is tried again. The local Parameter Store (its call count says whether a check read), the local EC2
 * endpoint and DynamoDB Local; no round is run, so no node is probed.
 */
class ConfigUpdatesIT {
    private static final String ROOT = "/vipflip/it";
    private static final Duration REFRESH = Duration.ofSeconds(60);
    /** No round runs here, so nothing listens: the documents only need a port. */
    private static final int PORT = 9;
    private static final String READ = "GetParametersByPath";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final String table = LocalDynamo.freshTable();
    private final AwsClients clients = new AwsClients(Region.EU_WEST_1, Duration.ofSeconds(10));
    private SsmEndpoint ssm;
    private Ec2Endpoint ec2;

    @BeforeEach
    void start() {
        ssm = SsmEndpoint.start("eu-west-1", "123456789012");
        ec2 = Ec2Endpoint.start(GroupDocs.world(4));
    }

    @AfterEach
    void stop() {
        ssm.close();
        ec2.close();
    }

    private void put(int group, String document) {
        ssm.store().put(ROOT + "/groups/" + GroupDocs.name(group), document, Optional.of("String"), true, Optional.empty());
    }

    /** An engine on groups g00 .. g(count-1), read at the clock's current instant. */
    private Engine engine(int count) {
        for (int i = 0; i < count; i++) {
            put(i, GroupDocs.document(i, PORT));
        }
        return Engine.fromParameters(new GroupParameters(ROOT), new SsmConfigParameters(clients.ssm(ssm.endpoint())),
                REFRESH, table, clients.ec2(ec2.endpoint()), LocalDynamo.client(), clock, "it:" + table, Notifier.NONE);
    }

    private List<String> kinds(Engine engine, String group) {
        return engine.control().history(group, 20).stream().map(e -> e.kind().wire()).toList();
    }

    private static GroupParameters.Change nothing() {
        return new GroupParameters.Change(List.of(), List.of(), List.of());
    }

    @Test
    void anIntervalOfExactlyOneSecondIsAccepted_and999MillisIsRefusedNamingTheVariable() {
        Engine engine = engine(2);
        ConfigUpdates running = engine.updates().orElseThrow();
        SsmConfigParameters store = new SsmConfigParameters(clients.ssm(ssm.endpoint()));
        int reads = ssm.count(READ);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new ConfigUpdates(new GroupParameters(ROOT), store, running.running(), engine.orchestrator(),
                        engine.control(), clock, Duration.ofMillis(999)));
        assertTrue(refused.getMessage().startsWith("VIPFLIP_CONFIG_REFRESH_SECONDS: must be at least 1"),
                refused.getMessage());

        ConfigUpdates everySecond = new ConfigUpdates(new GroupParameters(ROOT), store, running.running(),
                engine.orchestrator(), engine.control(), clock, Duration.ofSeconds(1));
        assertEquals(reads, ssm.count(READ), "constructing reads nothing");
        assertEquals(clock.instant().plusSeconds(1), everySecond.nextDue());
        clock.advance(Duration.ofSeconds(1));
        put(2, GroupDocs.document(2, PORT));
        assertEquals(List.of("g02"), everySecond.refreshIfDue().added(), "checked one second later");
        assertEquals(reads + 1, ssm.count(READ));
    }

    @Test
    void reload_readsAtOnceBeforeTheCheckIsDue_andTheOrchestratorTheControlAndTheRunningLoadKnowTheAddedGroup() {
        Engine engine = engine(2);
        ConfigUpdates updates = engine.updates().orElseThrow();
        put(2, GroupDocs.document(2, PORT));
        int reads = ssm.count(READ);
        assertEquals(List.of("g00", "g01"), updates.running().config().groups().stream().map(g -> g.name()).toList());
        assertThrows(UnknownGroupException.class, () -> engine.control().pause("g02", "maintenance", false),
                "not known before the reload");

        GroupParameters.Change change = updates.reload();

        assertEquals(List.of("g02"), change.added());
        assertEquals(List.of(), change.changed());
        assertEquals(List.of(), change.removed());
        assertEquals(reads + 1, ssm.count(READ), "read now, a whole interval before the check is due");
        assertEquals(List.of("g00", "g01", "g02"),
                updates.running().config().groups().stream().map(g -> g.name()).toList());
        assertEquals(ROOT + "/groups/g02", updates.running().sources().get("g02").name());
        assertTrue(engine.config().group("g02").isPresent(), "the orchestrator runs it");
        assertEquals(List.of(), kinds(engine, "g02"), "a reload records no history");
        assertEquals(0, updates.pendingEvents());
        GroupControl.Change paused = engine.control().pause("g02", "maintenance", false);
        assertEquals(Outcome.RECORDED, paused.outcome(), "the group control knows it");
        assertEquals(List.of("paused"), kinds(engine, "g02"));
    }

    @Test
    void refreshIfDue_readsNothingBeforeTheCheckIsDue_andAtExactlyTheDueInstantAppliesTheChangeWithoutHistory() {
        Instant start = clock.instant();
        Engine engine = engine(2);
        ConfigUpdates updates = engine.updates().orElseThrow();
        put(2, GroupDocs.document(2, PORT));
        int reads = ssm.count(READ);

        clock.set(start.plus(REFRESH).minusMillis(1));
        assertEquals(nothing(), updates.refreshIfDue());
        assertEquals(reads, ssm.count(READ), "not due: nothing read");
        assertTrue(engine.config().group("g02").isEmpty());

        clock.set(start.plus(REFRESH));
        GroupParameters.Change change = updates.refreshIfDue();

        assertEquals(List.of("g02"), change.added());
        assertEquals(reads + 1, ssm.count(READ), "due: read once");
        assertTrue(engine.config().group("g02").isPresent(), "the orchestrator runs it");
        assertEquals(List.of(), kinds(engine, "g02"), "a refresh records no history: the watch loop does");
        assertEquals(0, updates.pendingEvents());
        assertEquals(Outcome.DRY_RUN, engine.control().pause("g02", "maintenance", true).outcome(),
                "the group control knows it");
        assertEquals(start.plus(REFRESH).plus(REFRESH), updates.nextDue(), "the next check is an interval later");
    }

    @Test
    void applyIfDue_isTrueWhenADueCheckAppliedAChange_andFalseWhenADueCheckFoundNothingChanged() {
        Engine engine = engine(2);
        ConfigUpdates updates = engine.updates().orElseThrow();
        int reads = ssm.count(READ);

        clock.advance(REFRESH);
        assertFalse(updates.applyIfDue(), "nothing changed");
        assertEquals(reads + 1, ssm.count(READ), "the check was due and read");

        put(1, GroupDocs.document(1, PORT, 5));
        clock.advance(REFRESH);
        assertTrue(updates.applyIfDue(), "g01 changed");
        assertEquals(5, engine.config().group("g01").orElseThrow().probe().fall());
        assertEquals(List.of("group-changed"), kinds(engine, "g01"), "the watch loop's check records the change");
    }

    /** Changes g01 while another run holds its lease; returns the instant of the check that met the busy lease. */
    private Instant changeWhileTheLeaseIsBusy(Engine engine, Lease[] held) {
        DynamoLeaseStore leases = new DynamoLeaseStore(LocalDynamo.client(), table);
        held[0] = leases.acquire("g01", "another-run", clock.instant(), Duration.ofSeconds(120)).orElseThrow();
        put(1, GroupDocs.document(1, PORT, 5));
        clock.advance(REFRESH);
        assertTrue(engine.updates().orElseThrow().applyIfDue(), "the change is applied");
        assertEquals(1, engine.updates().orElseThrow().pendingEvents(), "its history event waits for the lease");
        return clock.instant();
    }

    @Test
    void anEventThatMetABusyLease_makesItsRetryTimeDue_earlierThanTheNextCheck() {
        Instant start = clock.instant();
        Engine engine = engine(2);
        ConfigUpdates updates = engine.updates().orElseThrow();
        assertEquals(start.plus(REFRESH), updates.nextDue(), "nothing pending: the next check");

        Instant checked = changeWhileTheLeaseIsBusy(engine, new Lease[1]);

        assertEquals(checked.plus(ConfigUpdates.RETRY), updates.nextDue(), "the retry, before the check at "
                + checked.plus(REFRESH));
    }

    @Test
    void aPendingEventIsNotRetriedBeforeItsRetryTime_evenWithTheLeaseFree_andIsRecordedAtExactlyThatTime() {
        Engine engine = engine(2);
        ConfigUpdates updates = engine.updates().orElseThrow();
        Lease[] held = new Lease[1];
        Instant checked = changeWhileTheLeaseIsBusy(engine, held);
        new DynamoLeaseStore(LocalDynamo.client(), table).release(held[0]);

        clock.set(checked.plus(ConfigUpdates.RETRY).minusMillis(1));
        assertFalse(updates.applyIfDue());
        assertEquals(1, updates.pendingEvents(), "not retried before its time");
        assertEquals(List.of(), kinds(engine, "g01"));

        clock.set(checked.plus(ConfigUpdates.RETRY));
        assertFalse(updates.applyIfDue(), "a retry applies no change");
        assertEquals(0, updates.pendingEvents(), "retried at its time");
        assertEquals(List.of("group-changed"), kinds(engine, "g01"));
        assertEquals(checked.plus(REFRESH), updates.nextDue(), "nothing pending: the next check again");
    }
}
