package io.vipflip.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vipflip.local.nodes.NodeNamespace;
import io.vipflip.local.nodes.NodeNetwork;
import io.vipflip.local.nodes.Nodes;
import io.vipflip.probe.NodeProbe;
import io.vipflip.probe.PortResult;
import io.vipflip.probe.ProbeTarget;
import io.vipflip.probe.TcpProber;
import io.vipflip.local.nodes.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What each node fault looks like to vipflip's TCP probe (the same code the sandbox and the benchmark use):
 * killed → refused; lost → no answer within the timeout (never refused); frozen → the connect still succeeds
 * (a known limit of connect probes) while no request is answered. Nodes run in network namespaces when this
 * machine allows it (root, ip, nft, haproxy); the lost-node tests need them.
 */
class NodeFaultsIT {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static Nodes nodes;

    @BeforeAll
    static void start() {
        nodes = Nodes.start(List.of(new Nodes.Spec("node-a", "127.0.0.21"), new Nodes.Spec("node-b", "127.0.0.22")),
                Ports.free(), NodeNetwork.best());
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    @AfterEach
    void heal() {
        for (String node : nodes.names()) {
            if (nodes.lost(node)) {
                nodes.reconnect(node);
            }
            nodes.restart(node);
        }
    }

    private static PortResult probe(String node) {
        NodeProbe probe = new TcpProber().probe(List.of(new ProbeTarget(node, nodes.address(node),
                List.of(nodes.node(node).port()))), TIMEOUT).nodes().get(node);
        return probe.ports().get(0);
    }

    /** Skips where namespaces cannot be made (not root); in CI (root, .ci/run installs ip and nft) that is a failure. */
    private static void assumeNamespaces() {
        String why = "nodes are on loopback: " + NodeNetwork.namespacesUnavailable().orElse("?");
        if ("true".equals(System.getenv("VIPFLIP_CI"))) {
            assertEquals(NodeNetwork.NAMESPACES, nodes.network(), why);
        }
        assumeTrue(nodes.network() == NodeNetwork.NAMESPACES, why);
    }

    /** An HTTP GET to the node: its answer, or a SocketTimeoutException when nothing answers in time. */
    private static String get(String node) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(nodes.address(node), nodes.node(node).port()), 2000);
            socket.setSoTimeout(500);
            socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void runningNode_passesTheProbe_andAnswersWithItsName() throws IOException {
        assertTrue(probe("node-a").open(), probe("node-a").toString());
        assertTrue(get("node-a").endsWith("node-a\n"), get("node-a"));
    }

    @Test
    void killedNode_refusesTheProbe() {
        nodes.kill("node-a");

        PortResult result = probe("node-a");
        assertFalse(result.open());
        assertEquals("refused", result.failure().orElseThrow());
        assertTrue(probe("node-b").open(), "the other node is untouched");
    }

    @Test
    void frozenNode_stillPassesATcpConnectProbe_butAnswersNoRequest() throws IOException {
        nodes.freeze("node-a");

        assertTrue(nodes.node("node-a").frozen());
        assertTrue(probe("node-a").open(), "the kernel completes the handshake of a stopped process");
        assertThrows(SocketTimeoutException.class, () -> get("node-a"));

        nodes.thaw("node-a");
        assertTrue(get("node-a").endsWith("node-a\n"));
    }

    @Test
    void lostNode_timesTheProbeOut_neverRefusesIt() {
        assumeNamespaces();
        nodes.lose("node-a");

        PortResult result = probe("node-a");
        assertFalse(result.open());
        assertTrue(result.failure().orElseThrow().contains("no answer"), result.toString());
        assertTrue(probe("node-b").open(), "the other node is untouched");
        String rules = nodes.namespaceOf("node-a").orElseThrow().rules();
        assertTrue(rules.contains("iifname \"eth0\" drop"), rules);

        nodes.reconnect("node-a");
        assertTrue(probe("node-a").open());
    }

    @Test
    void lostNode_canBeKilledAndRestartedWhileLost_andAnswersOnceReconnected() throws IOException {
        assumeNamespaces();
        nodes.lose("node-b");
        nodes.kill("node-b");
        nodes.restart("node-b");

        assertTrue(nodes.node("node-b").running());
        assertTrue(probe("node-b").failure().orElseThrow().contains("no answer"));
        nodes.reconnect("node-b");
        assertTrue(get("node-b").endsWith("node-b\n"));
    }

    @Test
    void eachNodeHasItsOwnNamespace_namedForThisProcess_andASecondWorldGetsOthers() {
        assumeNamespaces();
        String a = nodes.namespaceOf("node-a").orElseThrow().name();
        String b = nodes.namespaceOf("node-b").orElseThrow().name();
        assertTrue(a.startsWith(NodeNamespace.PREFIX + ProcessHandle.current().pid() + "-") && a.endsWith("-node-a"), a);
        assertTrue(NodeNamespace.existing().containsAll(List.of(a, b)));

        String other;
        try (Nodes second = Nodes.start(List.of(new Nodes.Spec("node-a", "127.0.0.24")), Ports.free(),
                NodeNetwork.NAMESPACES)) {
            other = second.namespaceOf("node-a").orElseThrow().name();
            assertFalse(other.equals(a), other);
            assertTrue(probe("node-a").open(), "the first world's node-a is untouched");
        }
        assertFalse(NodeNamespace.existing().contains(other), "closing the second world removed its namespace");
        assertTrue(NodeNamespace.existing().containsAll(List.of(a, b)), "and only its own");
    }

    @Test
    void losingANodeOnLoopback_isRefusedWithTheReason() {
        try (Nodes loopback = Nodes.start(List.of(new Nodes.Spec("node-c", "127.0.0.23")), Ports.free(),
                NodeNetwork.LOOPBACK)) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> loopback.lose("node-c"));
            assertTrue(e.getMessage().contains("network namespaces"), e.getMessage());
            assertTrue(loopback.node("node-c").running(), "nothing changed");
        }
    }
}
