package io.vipflip.local.nodes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local world's HAProxy nodes: real {@code haproxy} processes when installed, plain listeners otherwise.
 * With {@code VIPFLIP_CI=true} (vipflip's own CI) a missing haproxy is an error, never a silent fallback. Not
 * {@code CI}: many CI systems set that, and the layer's tests also run inside a user's {@code sam build}.
 */
public final class Nodes implements AutoCloseable {
    /** A node to run: its name and the loopback address it binds. */
    public record Spec(String name, String address) {
    }

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final boolean haproxy;

    private Nodes(List<Spec> specs, int port, Optional<String> haproxyBinary) {
        this.haproxy = haproxyBinary.isPresent();
        Path workDir;
        try {
            workDir = Files.createTempDirectory("vipflip-nodes");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Spec spec : specs) {
            Node node = haproxyBinary.<Node>map(b -> new HaproxyNode(b, spec.name(), spec.address(), port, workDir))
                    .orElseGet(() -> new ListenerNode(spec.name(), spec.address(), port));
            nodes.put(spec.name(), node);
        }
    }

    /** Starts every node on {@code port} of its own address. */
    public static Nodes start(List<Spec> specs, int port) {
        Optional<String> binary = HaproxyNode.find();
        if (binary.isEmpty() && "true".equals(System.getenv("VIPFLIP_CI"))) {
            throw new IllegalStateException("haproxy is required when VIPFLIP_CI=true (apt-get install haproxy)");
        }
        Nodes started = new Nodes(specs, port, binary);
        started.nodes.values().forEach(Node::start);
        return started;
    }

    public boolean realHaproxy() {
        return haproxy;
    }

    public Node node(String name) {
        Node node = nodes.get(name);
        if (node == null) {
            throw new IllegalArgumentException("no node " + name);
        }
        return node;
    }

    public void kill(String name) {
        node(name).kill();
    }

    public void restart(String name) {
        node(name).start();
    }

    @Override
    public void close() {
        nodes.values().forEach(Node::close);
    }
}
