package io.vipflip.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.testing.Listeners;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TcpProberTest {
    private static final Duration TIMEOUT = Duration.ofMillis(400);
    private final Listeners listeners = new Listeners();
    private final List<AutoCloseable> extra = new ArrayList<>();
    private final DrivenTime time = new DrivenTime();
    private final TcpProber prober = new TcpProber(time);

    /**
     * Time that passes only when the prober waits on its selector and nothing is ready: then exactly the time it
     * asked to wait passes. Whatever a socket reports within a short real grace is seen at once, as the kernel
     * answers loopback connects immediately. Latencies and round durations are then exact, not measured.
     */
    static final class DrivenTime implements TcpProber.Waiting {
        private static final long REAL_GRACE_MILLIS = 100;
        private long nanos = 1_000_000_000L;

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public int select(Selector selector, long millis) throws IOException {
            int ready = selector.select(Math.min(millis, REAL_GRACE_MILLIS));
            if (ready == 0) {
                nanos += Duration.ofMillis(millis).toNanos();
            }
            return ready;
        }

        Duration since(long startNanos) {
            return Duration.ofNanos(nanos - startNanos);
        }
    }

    @AfterEach
    void close() throws Exception {
        listeners.close();
        for (AutoCloseable c : extra) {
            c.close();
        }
    }

    @Test
    void nodePasses_whenEveryPortAccepts() {
        int http = listeners.open("127.0.0.1");
        int https = listeners.open("127.0.0.1");

        ProbeRound round = prober.probe(List.of(new ProbeTarget("a", "127.0.0.1", List.of(http, https))), TIMEOUT);

        assertTrue(round.passed("a"), round.toString());
        assertEquals(2, round.nodes().get("a").ports().size());
    }

    @Test
    void refusedPortFailsAtOnce_andFailsTheNode() {
        // GIVEN a node with one listening port and one nobody listens on
        int open = listeners.open("127.0.0.1");
        int nobody = Listeners.unusedPort();

        // WHEN it is probed

        ProbeRound round = prober.probe(List.of(new ProbeTarget("a", "127.0.0.1", List.of(open, nobody))), TIMEOUT);

        PortResult refused = round.nodes().get("a").ports().stream().filter(p -> p.port() == nobody).findFirst().orElseThrow();
        assertFalse(round.passed("a"));
        assertEquals("refused", refused.failure().orElseThrow());
        // THEN the refusal is reported without waiting for the timeout to pass
        assertTrue(refused.latency().compareTo(TIMEOUT) < 0, "a refusal does not wait for the timeout: " + refused);
        assertTrue(round.nodes().get("a").ports().stream().filter(p -> p.port() == open).allMatch(PortResult::open));
    }

    @Test
    void unansweredPortFailsAtTheTimeout() throws IOException {
        // GIVEN a port whose connection attempts go unanswered
        InetSocketAddress silent = silentListener();

        // WHEN it is probed

        ProbeRound round = prober.probe(List.of(new ProbeTarget("a", silent.getHostString(), List.of(silent.getPort()))),
                TIMEOUT);

        PortResult result = round.nodes().get("a").ports().getFirst();
        assertFalse(result.open());
        assertTrue(result.failure().orElseThrow().startsWith("no answer within"), result.toString());
        // THEN it fails when the timeout has passed, not before and not later
        assertEquals(TIMEOUT, result.latency(), result.toString());
    }

    @Test
    void everyPortOfEveryNodeIsProbedInParallel() throws IOException {
        // 10 nodes x 3 ports that never answer: probed one after another this would take 30 timeouts.
        InetSocketAddress silent = silentListener();
        List<ProbeTarget> targets = IntStream.range(0, 10)
                .mapToObj(i -> new ProbeTarget("n" + i, silent.getHostString(),
                        List.of(silent.getPort(), silent.getPort(), silent.getPort())))
                .toList();

        long started = time.nanoTime();
        ProbeRound round = prober.probe(targets, TIMEOUT);
        Duration took = time.since(started);

        assertEquals(10, round.nodes().size());
        assertTrue(round.nodes().values().stream().allMatch(n -> n.ports().size() == 3 && !n.passed()));
        assertTrue(round.nodes().values().stream().flatMap(n -> n.ports().stream())
                .allMatch(p -> p.failure().orElseThrow().equals("no answer within 400ms (connect)")), round.toString());
        assertEquals(TIMEOUT, took, "the 30 connects share one timeout");
    }

    /**
     * A loopback port whose SYNs go unanswered: a listener that never accepts, its backlog filled up, so the
     * kernel drops further connection attempts (they neither succeed nor get refused).
     */
    private InetSocketAddress silentListener() throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0), 1);
        extra.add(server);
        for (int i = 0; i < 8; i++) {
            Socket filler = new Socket();
            extra.add(filler);
            try {
                filler.connect(server.getLocalSocketAddress(), 200);
            } catch (IOException full) {
                break; // the queue is full: from now on SYNs are dropped
            }
        }
        return (InetSocketAddress) server.getLocalSocketAddress();
    }
}
