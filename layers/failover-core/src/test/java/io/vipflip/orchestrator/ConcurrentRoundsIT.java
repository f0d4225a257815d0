package io.vipflip.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.probe.Prober;
import io.vipflip.probe.TcpProber;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.testing.InMemoryRouteTables;
import io.vipflip.testing.Listeners;
import io.vipflip.testing.LocalDynamo;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 §4: a group whose round hangs (a node timing out, a slow flip) delays no other group. The slow group's
 * probe is held until the other group has run three more rounds: with rounds one after another it would wait
 * forever (it is released after 20 s at the latest, and the test then fails). No timing is asserted.
 */
class ConcurrentRoundsIT {
    private final Listeners listeners = new Listeners();
    private final String table = LocalDynamo.freshTable();

    @AfterEach
    void close() {
        listeners.close();
    }

    private static String group(String name, String a, String b, int port, String vip) {
        return """
                {"name": "%s", "vips": ["%s"],
                  "nodes": [
                    {"name": "a", "instanceId": "i-0000000a", "eniId": "eni-0000000a", "probeAddress": "%s", "priority": 200},
                    {"name": "b", "instanceId": "i-0000000b", "eniId": "eni-0000000b", "probeAddress": "%s", "priority": 100}],
                  "routeTables": {"ids": ["rtb-0000000%s"]},
                  "probe": {"ports": [%d], "timeoutMillis": 100, "intervalMillis": 250, "fastIntervalMillis": 50}}
                """.formatted(name, vip, a, b, name.equals("slow") ? "1" : "2", port);
    }

    private boolean otherGroupKeptItsRoundsWhileOneHung(WatchLoop.RoundRunner runner) throws Exception {
        int port = listeners.open("127.0.0.1");
        listeners.open("127.0.0.2", port);
        listeners.open("127.0.0.3", port);
        listeners.open("127.0.0.4", port);
        InMemoryRouteTables routes = new InMemoryRouteTables();
        routes.route("rtb-00000001", "192.168.100.10/32", "eni-0000000a");
        routes.route("rtb-00000002", "192.168.100.20/32", "eni-0000000a");
        DeploymentConfig config = new ConfigParser().parse("{\"groups\": [" + group("slow", "127.0.0.1", "127.0.0.2", port,
                "192.168.100.10/32") + "," + group("quick", "127.0.0.3", "127.0.0.4", port, "192.168.100.20/32") + "]}");
        CountDownLatch quickRounds = new CountDownLatch(4);
        AtomicInteger slowProbes = new AtomicInteger();
        Map<String, Boolean> releasedByQuick = new ConcurrentHashMap<>();
        TcpProber real = new TcpProber();
        Prober prober = (targets, timeout) -> {
            if (targets.getFirst().address().equals("127.0.0.1") && slowProbes.incrementAndGet() == 2) {
                try {
                    releasedByQuick.put("slow", quickRounds.await(20, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (targets.getFirst().address().equals("127.0.0.3") && slowProbes.get() >= 2) {
                quickRounds.countDown();
            }
            return real.probe(targets, timeout);
        };
        Orchestrator orchestrator = new Orchestrator(config, new Ec2NodeResolver(null), prober, routes,
                new DynamoLeaseStore(LocalDynamo.client(), table),
                new DynamoGroupStateStore(LocalDynamo.client(), table, Duration.ofDays(1)), Clock.systemUTC(), "fn");
        WatchLoop loop = new WatchLoop(orchestrator, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()),
                WatchLoop.Updates.NONE, java.util.Optional.empty(), runner);
        Thread thread = Thread.ofPlatform().start(() -> loop.run(Duration.ofMinutes(5), r -> { }));
        while (!releasedByQuick.containsKey("slow")) {
            Thread.sleep(20);
        }
        thread.interrupt();
        thread.join(30_000);
        assertFalse(thread.isAlive(), "the loop ends when interrupted");
        return releasedByQuick.get("slow");
    }

    @Test
    void concurrentRounds_aHangingGroupDelaysNoOtherGroup() throws Exception {
        assertTrue(otherGroupKeptItsRoundsWhileOneHung(WatchLoop.RoundRunner.CONCURRENT),
                "the quick group ran its rounds while the slow group's round hung");
    }

    @Test
    void inlineRounds_aHangingGroupHoldsEveryOther_whichIsWhyTheFunctionRunsThemConcurrently() throws Exception {
        assertEquals(false, otherGroupKeptItsRoundsWhileOneHung(WatchLoop.RoundRunner.INLINE));
    }
}
