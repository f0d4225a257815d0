package io.vipflip.local.nodes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The local world's HAProxy nodes: real {@code haproxy} processes when installed, plain listeners otherwise.
 * With {@code VIPFLIP_CI=true} (vipflip's own CI; not {@code CI}, which many CI systems set, while the layer's
 * tests also run inside a user's {@code sam build}) a missing haproxy is an error, never a silent fallback. The
 * faults a node can suffer — {@link #kill}, {@link #freeze}, {@link #lose} — are here, so the sandbox a person
 * operates and the benchmark's scenarios inject them with the same code. {@link #close} removes everything started or created: processes
 * (frozen ones included), namespaces with their veth pairs and drop rules, and the generated files.
 */
public final class Nodes implements AutoCloseable {
    /** A node to run: its name and the loopback address it binds (with {@link NodeNetwork#LOOPBACK}). */
    public record Spec(String name, String address) {
    }

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, NodeNamespace> namespaces = new LinkedHashMap<>();
    private final boolean haproxy;
    private final NodeNetwork network;
    private final Path workDir;

    private Nodes(Optional<String> haproxyBinary, NodeNetwork network, Path workDir) {
        this.haproxy = haproxyBinary.isPresent();
        this.network = network;
        this.workDir = workDir;
    }

    /** Starts every node on {@code port} of its own loopback address. */
    public static Nodes start(List<Spec> specs, int port) {
        return start(specs, port, NodeNetwork.LOOPBACK);
    }

    /**
     * Starts every node on {@code port}: on its spec's loopback address, or in its own namespace (then
     * {@link #address} tells where). Namespaces left by a world that died without cleaning up are removed first.
     */
    public static Nodes start(List<Spec> specs, int port, NodeNetwork network) {
        Optional<String> binary = HaproxyNode.find();
        if (binary.isEmpty() && "true".equals(System.getenv("VIPFLIP_CI"))) {
            throw new IllegalStateException("haproxy is required when VIPFLIP_CI=true (apt-get install haproxy)");
        }
        if (network == NodeNetwork.NAMESPACES) {
            NodeNetwork.namespacesUnavailable().ifPresent(why -> {
                throw new IllegalStateException("nodes cannot run in network namespaces: " + why);
            });
            NodeNamespace.sweepStale();
        }
        Path workDir;
        try {
            workDir = Files.createTempDirectory("vipflip-nodes");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Nodes started = new Nodes(binary, network, workDir);
        try {
            for (Spec spec : specs) {
                started.add(spec, port, binary);
            }
            started.nodes.values().forEach(Node::start);
            return started;
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    private void add(Spec spec, int port, Optional<String> binary) {
        if (network == NodeNetwork.NAMESPACES) {
            NodeNamespace ns = NodeNamespace.create(spec.name());
            namespaces.put(spec.name(), ns);
            nodes.put(spec.name(), new HaproxyNode(binary.orElseThrow(), spec.name(), ns.nodeAddress(), port, workDir,
                    Optional.of(ns)));
            return;
        }
        nodes.put(spec.name(), binary.<Node>map(b -> new HaproxyNode(b, spec.name(), spec.address(), port, workDir))
                .orElseGet(() -> new ListenerNode(spec.name(), spec.address(), port)));
    }

    public boolean realHaproxy() {
        return haproxy;
    }

    public NodeNetwork network() {
        return network;
    }

    public List<String> names() {
        return List.copyOf(nodes.keySet());
    }

    public Node node(String name) {
        Node node = nodes.get(name);
        if (node == null) {
            throw new IllegalArgumentException("no node '" + name + "' (nodes: " + String.join(", ", nodes.keySet()) + ")");
        }
        return node;
    }

    /** Where the node listens (probe it, and seed its instance's private IP with it). */
    public String address(String name) {
        return node(name).address();
    }

    /** kill -9: connections are refused from now on. */
    public void kill(String name) {
        node(name).kill();
    }

    /** Starts a killed node again (a frozen one is killed first). Drop rules stay until {@link #reconnect}. */
    public void restart(String name) {
        node(name).start();
    }

    /** SIGSTOP: handshakes still complete (a TCP connect probe says UP), requests get no answer. */
    public void freeze(String name) {
        node(name).freeze();
    }

    /** SIGCONT. */
    public void thaw(String name) {
        node(name).thaw();
    }

    /** Drops every packet to and from the node, without RST: connects time out. Needs {@link NodeNetwork#NAMESPACES}. */
    public void lose(String name) {
        namespace(name).lose();
    }

    /** Removes the drop rules {@link #lose} added. */
    public void reconnect(String name) {
        namespace(name).reconnect();
    }

    public boolean lost(String name) {
        NodeNamespace ns = namespaces.get(name);
        return ns != null && ns.lost();
    }

    /** The node's namespace, when it has one. */
    public Optional<NodeNamespace> namespaceOf(String name) {
        node(name);
        return Optional.ofNullable(namespaces.get(name));
    }

    private NodeNamespace namespace(String name) {
        node(name);
        NodeNamespace ns = namespaces.get(name);
        if (ns == null) {
            throw new UnsupportedOperationException("cannot lose " + name + ": the nodes listen on loopback, where "
                    + "dropping packets would need rules in this host's own firewall; losing a node needs the nodes "
                    + "in network namespaces (" + NodeNetwork.namespacesUnavailable().orElse("start the world with them")
                    + ")");
        }
        return ns;
    }

    /** One word per node for a status line: running, frozen, killed, plus "lost" when its packets are dropped. */
    public String describe(String name) {
        Node node = node(name);
        String state = node.frozen() ? "frozen" : node.running() ? "running" : "killed";
        return lost(name) ? state + ", lost" : state;
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Node node : nodes.values()) {
            try {
                node.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        for (NodeNamespace ns : namespaces.values()) {
            try {
                ns.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        deleteWorkDir();
        if (!failures.isEmpty()) {
            IllegalStateException failed = new IllegalStateException("could not stop every node");
            failures.forEach(failed::addSuppressed);
            throw failed;
        }
    }

    private void deleteWorkDir() {
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }

    /** The directory holding the generated haproxy configurations and logs (removed by {@link #close}). */
    public Path workDir() {
        return workDir;
    }
}
