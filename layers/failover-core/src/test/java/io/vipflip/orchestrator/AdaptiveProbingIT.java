package io.vipflip.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.health.HealthState;
import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.probe.TcpProber;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.testing.InMemoryRouteTables;
import io.vipflip.testing.Listeners;
import io.vipflip.testing.LocalDynamo;
import io.vipflip.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watch loop's cadence on a driven clock (the sleeper moves it): real probes of loopback listeners, the
 * real lease and state on DynamoDB Local. Detection = first failed round + (fall - 1) x fastinter.
 */
class AdaptiveProbingIT {
    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    private final Listeners listeners = new Listeners();
    private final MutableClock clock = new MutableClock(START);
    private final InMemoryRouteTables routes = new InMemoryRouteTables();
    private final String table = LocalDynamo.freshTable();
    private int port;

    @AfterEach
    void close() {
        listeners.close();
    }

    private Orchestrator orchestrator(String probe) {
        port = listeners.open("127.0.0.1");
        listeners.open("127.0.0.2", port);
        List.of("rtb-00000001", "rtb-00000002").forEach(t -> routes.route(t, "192.168.100.10/32", "eni-0000000a"));
        DeploymentConfig config = new ConfigParser().parse("""
                {"groups": [{"name": "web", "vips": ["192.168.100.10/32"],
                  "nodes": [
                    {"name": "a", "instanceId": "i-0000000a", "eniId": "eni-0000000a", "probeAddress": "127.0.0.1", "priority": 200},
                    {"name": "b", "instanceId": "i-0000000b", "eniId": "eni-0000000b", "probeAddress": "127.0.0.2", "priority": 100}],
                  "routeTables": {"ids": ["rtb-00000001", "rtb-00000002"]},
                  "probe": %s}]}
                """.formatted(probe.formatted(port)));
        return new Orchestrator(config, new Ec2NodeResolver(null), new TcpProber(), routes,
                new DynamoLeaseStore(LocalDynamo.client(), table),
                new DynamoGroupStateStore(LocalDynamo.client(), table, Duration.ofDays(1)), clock, "fn");
    }

    /** A round: when it started on the driven clock, and what it found. */
    private record Round(Duration at, RunResult result) {
    }

    @Test
    void aDeadActiveNodeIsReprobedAtFastinter_soItFlipsFallMinusOneFastintervalsAfterTheFirstFailure() {
        Orchestrator orchestrator = orchestrator("""
                {"ports": [%d], "timeoutMillis": 200, "intervalMillis": 1000, "fastIntervalMillis": 150, "fall": 3, "rise": 2}""");
        List<Round> rounds = new ArrayList<>();
        WatchLoop loop = new WatchLoop(orchestrator, clock, clock::advance);

        loop.run(Duration.ofSeconds(60), result -> { // long enough for a leased action to fit (decision 26)
            rounds.add(new Round(Duration.between(START, clock.instant()), result));
            if (rounds.size() == 5) {
                listeners.close("127.0.0.1", port); // a dies between rounds 5 and 6
            }
        });

        List<Duration> starts = rounds.stream().map(Round::at).toList();
        // Unchecked nodes: fastinter until rise (2) makes them UP; then inter while all is well.
        assertEquals(List.of(ms(0), ms(150), ms(1150), ms(2150), ms(3150)), starts.subList(0, 5));
        // First failed round at its inter slot, then two more at fastinter: DOWN at the third, which flips.
        assertEquals(List.of(ms(4150), ms(4300), ms(4450)), starts.subList(5, 8));
        assertEquals(Outcome.FLIPPED, rounds.get(7).result().outcome(), rounds.get(7).result().decision().reason());
        assertEquals(List.of(Outcome.NO_CHANGE, Outcome.NO_CHANGE), rounds.subList(5, 7).stream()
                .map(r -> r.result().outcome()).toList(), "fall is not weakened: no flip before the third failure");
        // a is now steadily DOWN and b UP: back to inter (downinter defaults to inter).
        assertEquals(ms(5450), starts.get(8));
    }

    @Test
    void aDeadNodeIsProbedAtDowninter_andARecoveringOneAtFastinter() {
        Orchestrator orchestrator = orchestrator("""
                {"ports": [%d], "timeoutMillis": 200, "intervalMillis": 1000, "fastIntervalMillis": 100,
                 "downIntervalMillis": 400, "fall": 2, "rise": 3}""");
        listeners.close("127.0.0.2", port); // b is dead from the start
        List<Round> rounds = new ArrayList<>();
        WatchLoop loop = new WatchLoop(orchestrator, clock, clock::advance);

        loop.run(Duration.ofMillis(3000 + 2300), result -> {
            rounds.add(new Round(Duration.between(START, clock.instant()), result));
            if (result.health().of("b").state() == HealthState.DOWN && rounds.size() == 4) {
                listeners.open("127.0.0.2", port); // b comes back
            }
        });

        List<Duration> starts = rounds.stream().map(Round::at).toList();
        // 0, 100, 200: a rises (3) while b falls (2); b DOWN and a UP: downinter 400 (shorter than inter).
        assertEquals(List.of(ms(0), ms(100), ms(200), ms(600)), starts.subList(0, 4));
        // b passes from round 5 on: fastinter until rise (3) makes it UP, then inter.
        assertEquals(List.of(ms(1000), ms(1100), ms(1200), ms(2200)), starts.subList(4, 8));
        assertTrue(rounds.get(6).result().health().of("b").isUp(), rounds.get(6).result().health().toString());
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
