package io.vipflip.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.aws.AwsClients;
import io.vipflip.config.GroupConfig;
import io.vipflip.history.DynamoWatcherStore;
import io.vipflip.history.Notifier;
import io.vipflip.history.WatcherRecord;
import io.vipflip.orchestrator.WatchLoop;
import io.vipflip.lease.LeaseOwner;
import io.vipflip.local.ec2.Ec2Endpoint;
import io.vipflip.local.ssm.SsmEndpoint;
import io.vipflip.testing.LocalDynamo;
import io.vipflip.testing.LocalEc2;
import io.vipflip.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The whole document in one SSM parameter ({@code VIPFLIP_CONFIG_PARAMETER}) is re-read on the ssm-path refresh
 * period and after a SnapStart restore, against the local SSM endpoint (issue 11: it was read once, during init,
 * and frozen in the snapshot).
 */
class DocumentUpdatesIT {
    private static final String NAME = "/vipflip/config";
    private static final Duration REFRESH = Duration.ofSeconds(60);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private SsmEndpoint ssmEndpoint;
    private Ec2Endpoint ec2;
    private SsmClient ssm;
    private Engine engine;

    private static String document(String... groups) {
        StringBuilder json = new StringBuilder("{\"groups\": [");
        for (int i = 0; i < groups.length; i++) {
            json.append(i == 0 ? "" : ",").append("""
                    {"name": "%s", "vips": ["192.168.100.%d/32"],
                     "nodes": [{"name": "a", "instanceId": "i-0aaaaaaaaaaaaaaa1"}, {"name": "b", "instanceId": "i-0bbbbbbbbbbbbbbb2"}],
                     "routeTables": {"tag": {"key": "vipflip:group", "value": "%s"}}}""".formatted(groups[i], 10 + i,
                    groups[i]));
        }
        return json.append("]}").toString();
    }

    private void store(String document) {
        ssmEndpoint.store().put(NAME, document, Optional.of("String"), true, Optional.empty());
    }

    private List<String> groups() {
        return engine.config().groups().stream().map(GroupConfig::name).toList();
    }

    @BeforeEach
    void start() {
        ssmEndpoint = SsmEndpoint.start("eu-west-1", "123456789012");
        ec2 = LocalEc2.start(1);
        AwsClients clients = new AwsClients(Region.EU_WEST_1, Duration.ofSeconds(10));
        ssm = clients.ssm(ssmEndpoint.endpoint());
        store(document("web"));
        engine = Engine.fromDocument(() -> ssm.getParameter(b -> b.name(NAME).withDecryption(true)).parameter().value(),
                REFRESH, LocalDynamo.freshTable(), LocalEc2.client(ec2.endpoint()), LocalDynamo.client(), clock,
                LeaseOwner.fixed("test"), Notifier.NONE);
    }

    @AfterEach
    void stop() {
        ssm.close();
        ssmEndpoint.close();
        ec2.close();
    }

    @Test
    void aChangedDocument_isAppliedOnTheRefreshPeriod_notBefore() {
        store(document("web", "api"));

        clock.advance(REFRESH.minusMillis(1));
        engine.refreshConfig();
        assertEquals(List.of("web"), groups());
        assertEquals(1, ssmEndpoint.count("GetParameter"), "only the read during init");

        clock.advance(Duration.ofMillis(1));
        engine.refreshConfig();
        assertEquals(List.of("web", "api"), groups());
    }

    @Test
    void afterARestore_theDocumentIsReadAgainBeforeTheNextRun() throws Exception {
        store(document("web", "api"));

        engine.document().orElseThrow().afterRestore(null);
        engine.refreshConfig();

        assertEquals(List.of("web", "api"), groups());
    }

    @Test
    void theWatchLoop_appliesItBetweenRounds() {
        store(document("api"));
        clock.advance(REFRESH);

        assertTrue(engine.document().orElseThrow().applyIfDue());
        assertEquals(List.of("api"), groups());
        assertEquals(clock.instant().plus(REFRESH), engine.document().orElseThrow().nextDue());
    }

    @Test
    void aDocumentThatDoesNotValidate_changesNothing() {
        store("{\"groups\": [{\"name\": \"web\"}]}");
        clock.advance(REFRESH);

        assertFalse(engine.document().orElseThrow().applyIfDue());
        assertEquals(List.of("web"), groups());
        assertEquals(2, ssmEndpoint.count("GetParameter"));
    }

    @Test
    void anUnreadableParameter_changesNothing() {
        ssmEndpoint.store().delete(NAME);
        clock.advance(REFRESH);

        assertFalse(engine.document().orElseThrow().applyIfDue());
        assertEquals(List.of("web"), groups());
    }

    /**
     * The document engine watches like the others: it takes the watch through the table, so that consecutive
     * invocations (300 s timeout, one a minute) do not all probe at once. It failed before: this wiring alone
     * built its loop without the hand-off. A short real-clock run (no timing asserted): what is asserted is the
     * item the loop wrote.
     */
    @Test
    void theDocumentEngine_takesTheWatchThroughTheTable() {
        String table = LocalDynamo.freshTable();
        Engine watching = Engine.fromDocument(() -> document("web"), REFRESH, table, LocalEc2.client(ec2.endpoint()),
                LocalDynamo.client(), Clock.systemUTC(), LeaseOwner.fixed("env-1"), Notifier.NONE);
        DynamoWatcherStore watchers = new DynamoWatcherStore(LocalDynamo.client(), table);
        assertTrue(watchers.read().isEmpty());

        watching.watch().run(WatchLoop.SAFETY_MARGIN.plusMillis(300), result -> { });

        WatcherRecord watcher = watchers.read().orElseThrow();
        assertTrue(watcher.owner().startsWith("env-1/"), watcher.owner());
    }
}
