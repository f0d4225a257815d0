package io.vipflip.orchestrator;

import io.vipflip.policy.HistoryKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.aws.AwsClients;
import io.vipflip.config.GroupParameters;
import io.vipflip.config.ParameterProblem;
import io.vipflip.config.SsmConfigParameters;
import io.vipflip.history.HistoryEvent;
import io.vipflip.history.Notifier;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.lease.Lease;
import io.vipflip.local.ec2.Ec2Endpoint;
import io.vipflip.local.ssm.SsmEndpoint;
import io.vipflip.runtime.Engine;
import io.vipflip.testing.GroupDocs;
import io.vipflip.testing.Listeners;
import io.vipflip.testing.LocalDynamo;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * One SSM parameter per group, watched while the loop runs (issue 16): the local Parameter Store (SSM's JSON
 * protocol, 10-item pages), the local EC2 endpoint, DynamoDB Local and TCP listeners for the nodes, on a virtual
 * clock that the loop's sleeper moves — changes land at chosen instants, no test waits on the real clock.
 */
class GroupParametersWatchIT {
    private static final String ROOT = "/vipflip/it";
    private static final Duration REFRESH = Duration.ofSeconds(60);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final Listeners listeners = new Listeners();
    private final String table = LocalDynamo.freshTable();
    private final AwsClients clients = new AwsClients(Region.EU_WEST_1, Duration.ofSeconds(10));
    private SsmEndpoint ssm;
    private Ec2Endpoint ec2;
    private int port;

    @BeforeEach
    void start() {
        port = listeners.open("127.0.0.1");
        listeners.open("127.0.0.2", port);
        ssm = SsmEndpoint.start("eu-west-1", "123456789012");
        ec2 = Ec2Endpoint.start(GroupDocs.world(60));
    }

    @AfterEach
    void stop() {
        listeners.close();
        ssm.close();
        ec2.close();
    }

    private void put(int group, String document) {
        ssm.store().put(ROOT + "/groups/" + GroupDocs.name(group), document, Optional.of("String"), true, Optional.empty());
    }

    private Engine engine() {
        return Engine.fromParameters(new GroupParameters(ROOT), new SsmConfigParameters(clients.ssm(ssm.endpoint())),
                REFRESH, table, clients.ec2(ec2.endpoint()), LocalDynamo.client(), clock, "it:" + table, Notifier.NONE);
    }

    /** The engine's watch loop on the virtual clock; {@code at} runs actions when the clock passes their instant. */
    private WatchLoop.Summary watch(Engine engine, Duration budget, Map<Instant, Runnable> at, Map<String, List<Instant>> runs) {
        Map<Instant, Runnable> due = new HashMap<>(at);
        WatchLoop loop = new WatchLoop(engine.orchestrator(), clock, d -> {
            clock.advance(d);
            due.entrySet().removeIf(e -> {
                if (!clock.instant().isBefore(e.getKey())) {
                    e.getValue().run();
                    return true;
                }
                return false;
            });
        }, engine.updates().orElseThrow());
        return loop.run(budget, r -> runs.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(clock.instant()));
    }

    private List<String> kinds(Engine engine, String group) {
        return engine.control().history(group, 20).stream().map(e -> e.kind().wire()).toList();
    }

    @Test
    void fiftyGroupsLoadFromParameters_theInvalidOneIsReportedWithItsField_andTheOther49AreWatched() {
        for (int i = 0; i < 50; i++) {
            put(i, i == 17 ? GroupDocs.document(i, port).replace("\"rise\": 2", "\"rise\": 2, \"colour\": \"red\"")
                    : GroupDocs.document(i, port));
        }
        ssm.clearCalls();

        Engine engine = engine();
        Map<String, List<Instant>> runs = new HashMap<>();
        WatchLoop.Summary summary = watch(engine, WatchLoop.SAFETY_MARGIN.plusSeconds(2), Map.of(), runs);

        assertEquals(5, ssm.count("GetParametersByPath"), "50 parameters in pages of 10");
        assertEquals(49, engine.config().groups().size());
        assertEquals(49, summary.rounds().size());
        assertFalse(summary.rounds().containsKey("g17"));
        assertTrue(summary.rounds().values().stream().allMatch(r -> r >= 2), summary.rounds().toString());
        assertEquals(0, summary.errors());
        ParameterProblem problem = engine.updates().orElseThrow().problems().getFirst();
        assertEquals(ROOT + "/groups/g17", problem.parameter());
        assertTrue(problem.errors().getFirst().startsWith("probe.colour: unknown key"), problem.errors().toString());
        assertTrue(GroupDocs.eni(3, 'a').equals(ec2.world().target(GroupDocs.table(3), GroupDocs.vip(3))),
                "no route was touched");
    }

    @Test
    void aGroupAddedWhileTheLoopRuns_isWatchedFromTheCheckThatSawIt_andRecordedInItsHistory() {
        for (int i = 0; i < 3; i++) {
            put(i, GroupDocs.document(i, port));
        }
        Engine engine = engine();
        Instant firstCheck = clock.instant().plus(REFRESH);
        Instant added = clock.instant().plusSeconds(30);
        Map<String, List<Instant>> runs = new HashMap<>();

        watch(engine, Duration.ofSeconds(150), Map.of(added, () -> put(3, GroupDocs.document(3, port))), runs);

        Instant firstRound = runs.get("g03").getFirst();
        assertEquals(firstCheck, firstRound, "its first round comes with the check that saw it, not a round later");
        assertTrue(runs.get("g03").size() > 50, "watched every second from then on");
        assertEquals(List.of("group-added"), kinds(engine, "g03"));
        assertEquals(List.of(), kinds(engine, "g00"), "the others' history is untouched");
    }

    @Test
    void aChangedGroupKeepsItsLeaseStateAndToken_andRunsTheNewSettings() {
        for (int i = 0; i < 3; i++) {
            put(i, GroupDocs.document(i, port));
        }
        Engine engine = engine();
        GroupControl.Change paused = engine.control().pause("g01", "maintenance", false);
        long tokenBefore = engine.control().lease("g01").orElseThrow().token();
        Map<String, List<Instant>> runs = new HashMap<>();

        watch(engine, Duration.ofSeconds(100), Map.of(clock.instant().plusSeconds(10),
                () -> put(1, GroupDocs.document(1, port, 5))), runs);

        assertEquals(5, engine.config().group("g01").orElseThrow().probe().fall());
        assertTrue(engine.control().state("g01").paused(), "still paused: the state item was kept");
        List<HistoryEvent> history = engine.control().history("g01", 5);
        assertEquals(List.of("group-changed", "paused"), history.stream().map(e -> e.kind().wire()).toList());
        assertEquals(paused.token() + 1, history.getFirst().token(), "the fencing token goes on from where it was");
        assertEquals(tokenBefore + 1, engine.control().lease("g01").orElseThrow().token());
    }

    @Test
    void anInvalidChange_keepsTheLastValidVersionRunning_andIsReported() {
        for (int i = 0; i < 2; i++) {
            put(i, GroupDocs.document(i, port));
        }
        Engine engine = engine();

        watch(engine, Duration.ofSeconds(100), Map.of(clock.instant().plusSeconds(10),
                () -> put(1, GroupDocs.document(1, port, 0))), new HashMap<>());

        assertEquals(3, engine.config().group("g01").orElseThrow().probe().fall());
        ParameterProblem problem = engine.updates().orElseThrow().problems().getFirst();
        assertEquals(List.of("probe.fall: must be between 1 and 100 (got 0)"), problem.errors());
        assertTrue(problem.runningRevision().orElseThrow().startsWith("v1 of "), problem.describe());
        assertEquals(List.of(), kinds(engine, "g01"), "nothing changed, nothing recorded");
    }

    @Test
    void aGroupRemovedWhileItsLeaseIsHeld_stopsBeingWatched_keepsItsRoutes_andIsRecordedOnceTheLeaseIsFree() {
        for (int i = 0; i < 3; i++) {
            put(i, GroupDocs.document(i, port));
        }
        Engine engine = engine();
        DynamoLeaseStore leases = new DynamoLeaseStore(LocalDynamo.client(), table);
        Lease held = leases.acquire("g02", "another-run", clock.instant(), Duration.ofSeconds(120)).orElseThrow();
        Instant removed = clock.instant().plusSeconds(5);
        Instant released = clock.instant().plusSeconds(90);
        Map<Instant, Runnable> actions = new HashMap<>();
        actions.put(removed, () -> ssm.store().delete(ROOT + "/groups/g02"));
        List<Integer> pendingWhileHeld = new ArrayList<>();
        actions.put(clock.instant().plusSeconds(80), () -> pendingWhileHeld.add(engine.updates().orElseThrow().pendingEvents()));
        actions.put(released, () -> leases.release(held));
        Map<String, List<Instant>> runs = new HashMap<>();

        watch(engine, Duration.ofSeconds(130), actions, runs);

        assertTrue(runs.get("g02").getLast().isBefore(removed.plus(REFRESH)), "no round after the refresh saw it gone");
        assertTrue(engine.config().group("g02").isEmpty());
        assertEquals(GroupDocs.eni(2, 'a'), ec2.world().target(GroupDocs.table(2), GroupDocs.vip(2)), "routes left as they are");
        assertEquals(List.of(1), pendingWhileHeld, "the removal waited for the lease");
        assertEquals(List.of("group-removed"), kinds(engine, "g02"));
        assertEquals(0, engine.updates().orElseThrow().pendingEvents());
        assertTrue(runs.get("g00").getLast().isAfter(released), "the other groups kept running");
    }

    @Test
    void aParameterStoreThatCannotBeRead_changesNothing_theRunningGroupsKeepRunning() {
        for (int i = 0; i < 2; i++) {
            put(i, GroupDocs.document(i, port));
        }
        Engine engine = engine();
        ssm.store().delete(ROOT + "/groups/g01");
        ssm.throttleNext(1_000);
        clock.advance(REFRESH);

        assertFalse(engine.updates().orElseThrow().applyIfDue(), "nothing applied");

        assertEquals(2, engine.config().groups().size(), "g01 still runs: a failed read is not an empty path");
        assertTrue(ssm.count("GetParametersByPath") > 1, "the SDK retried the throttled read");
    }

    @Test
    void aConfigurationWriteSeenByTwoOverlappingLoops_isRecordedOnce() {
        put(0, GroupDocs.document(0, port));
        Engine first = engine();
        Engine second = engine();

        GroupControl.Change recorded = first.control().recordConfiguration("g00", HistoryKind.GROUP_CHANGED, "config:p v2", "why");
        GroupControl.Change again = second.control().recordConfiguration("g00", HistoryKind.GROUP_CHANGED, "config:p v2", "why");

        assertEquals(Outcome.RECORDED, recorded.outcome());
        assertEquals(Outcome.NO_CHANGE, again.outcome());
        assertEquals(List.of("group-changed"), kinds(first, "g00"));
        assertEquals(Outcome.RECORDED, second.control().recordConfiguration("g00", HistoryKind.GROUP_CHANGED, "config:p v3", "why").outcome(),
                "a later write is recorded");
    }
}
