package io.vipflip.vantage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.local.lambda.LambdaEndpoint;
import io.vipflip.probe.ProbeTarget;
import io.vipflip.probe.TcpProber;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Issue 14, observer concurrency: 50 groups asking at once (an AZ failed under all of their active nodes) against
 * observers that scale as Lambda does — one request per execution environment, a cold start for each new one, and
 * a reserved concurrency of 3 — on the local Lambda endpoint through the real SDK client.
 */
class BatchedVantagePointsIT {
    private static final List<String> OBSERVERS = List.of("observer-az-a", "observer-az-b", "observer-az-c");
    private static final int GROUPS = 50;
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(300);
    private static final Duration DEADLINE = Duration.ofSeconds(6);
    private LambdaEndpoint endpoint;
    private LambdaClient lambda;
    private ServerSocket open;
    private int closedPort;

    @BeforeEach
    void world() throws IOException {
        endpoint = LambdaEndpoint.start();
        lambda = io.vipflip.testing.LocalLambda.client(endpoint, Duration.ofSeconds(10));
        // Never accepts: the backlog holds every probe's connection (3 observers x 75 up ports).
        open = new ServerSocket(0, 1000, InetAddress.getByName("127.0.0.1"));
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = gone.getLocalPort();
        }
        for (String name : OBSERVERS) {
            endpoint.register(name, new Observer(new TcpProber(), name.substring("observer-".length()))::answer);
            // No environment ready; each new one takes 1 s; at most 3 at once (ReserveConcurrency=true).
            endpoint.scaling(name, 3, Duration.ofSeconds(1), 0);
        }
    }

    @AfterEach
    void close() throws IOException {
        endpoint.close();
        lambda.close();
        open.close();
    }

    /** Group i: node "a" is up for even i, down (refused) for odd i; node "b" is up. Every group names them a, b. */
    private List<ProbeTarget> group(int i) {
        return List.of(new ProbeTarget("a", "127.0.0.1", List.of(i % 2 == 0 ? open.getLocalPort() : closedPort)),
                new ProbeTarget("b", "127.0.0.1", List.of(open.getLocalPort())));
    }

    /** Every group asks at the same moment, from its own thread as the watch loop's concurrent rounds do. */
    private List<VantageVotes> everyGroupAsksAtOnce(VantagePoints points) throws Exception {
        List<List<ProbeTarget>> asks = java.util.stream.IntStream.range(0, GROUPS).mapToObj(this::group).toList();
        return ConcurrentAsks.atOnce(points, asks, PROBE_TIMEOUT, asks.stream().map(a -> DEADLINE).toList());
    }

    @Test
    void fiftyGroupsAskingAtOnce_shareOneCallPerObserver_andEachGetsEveryVoteAboutItsOwnNodes() throws Exception {
        // A gather window far longer than the 50 threads need to arrive, so a loaded machine batches them all too.
        VantagePoints batched = new BatchedVantagePoints(new LambdaVantagePoints(lambda, OBSERVERS),
                Duration.ofMillis(1500));

        List<VantageVotes> votes = everyGroupAsksAtOnce(batched);

        for (int i = 0; i < GROUPS; i++) {
            VantageVotes v = votes.get(i);
            assertEquals(List.of(), v.silent(), "group " + i + " lost votes");
            assertEquals(List.of("az-a", "az-b", "az-c"), v.answers().stream().map(VantageView::vantage).toList());
            for (VantageView view : v.answers()) {
                assertEquals(Optional.of(i % 2 == 0), view.sees("a"), "group " + i + " sees its own node a");
                assertEquals(Optional.of(true), view.sees("b"), "group " + i + " sees its own node b");
                assertEquals(2, view.nodes().size(), "only its own nodes");
            }
        }
        for (String observer : OBSERVERS) {
            assertEquals(1, endpoint.calls().stream().filter(c -> c.function().equals(observer)).count(),
                    observer + " was invoked once for all 50 groups");
            assertEquals(1, endpoint.coldStarts(observer), observer + ": one execution environment");
        }
    }

    @Test
    void askedOneByOne_theSameFiftyGroupsAreThrottledAtTheReservedConcurrency_whichIsWhyTheAsksAreBatched()
            throws Exception {
        // Environments that take 4 s to start hold their 3 slots while the other asks arrive, however slowly a
        // loaded machine starts the 50 threads.
        OBSERVERS.forEach(name -> endpoint.scaling(name, 3, Duration.ofSeconds(4), 0));
        List<VantageVotes> votes = everyGroupAsksAtOnce(new LambdaVantagePoints(lambda, OBSERVERS));

        long withoutAllVotes = votes.stream().filter(v -> v.answers().size() < OBSERVERS.size()).count();
        assertTrue(withoutAllVotes >= GROUPS - 3, withoutAllVotes + " of 50 groups lacked votes");
        assertTrue(votes.stream().flatMap(v -> v.silent().stream()).anyMatch(s -> s.contains("TooManyRequests")),
                "the silent observers were throttled");
    }

    @Test
    void asksWithDifferentProbeTimeouts_areNotMixed() throws Exception {
        VantagePoints batched = new BatchedVantagePoints(new LambdaVantagePoints(lambda, OBSERVERS),
                Duration.ofMillis(500));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<VantageVotes> fast = threads.submit(() -> batched.ask(group(0), Duration.ofMillis(200), DEADLINE));
            Future<VantageVotes> slow = threads.submit(() -> batched.ask(group(1), Duration.ofMillis(400), DEADLINE));
            assertEquals(3, fast.get().answers().size());
            assertEquals(3, slow.get().answers().size());
        } finally {
            threads.shutdownNow();
        }
        for (String observer : OBSERVERS) {
            assertEquals(2, endpoint.calls().stream().filter(c -> c.function().equals(observer)).count(),
                    "one request per probe timeout");
        }
    }
}
