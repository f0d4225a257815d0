package io.vipflip.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vipflip.local.harness.LocalWorld;
import io.vipflip.local.nodes.Nodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * The running sandbox's state file: how a second process attaches to it. It holds the sandbox's pid, its control
 * endpoint (fault commands), the environment a function needs ({@code AWS_ENDPOINT_URL_*}, {@code VIPFLIP_TABLE},
 * {@code VIPFLIP_CONFIG}; the CLI's {@code --local} reads it) and each node's address, pid and namespace.
 * Location: {@code $VIPFLIP_SANDBOX_STATE}, else {@code vipflip-sandbox.json} in the temporary directory.
 */
final class SandboxState {
    static final String VARIABLE = "VIPFLIP_SANDBOX_STATE";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SandboxState() {
    }

    static Path path() {
        String configured = System.getenv(VARIABLE);
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "vipflip-sandbox.json");
    }

    /** Writes the file atomically (a reader never sees half of it). */
    static void write(Path file, LocalWorld world, URI control) {
        ObjectNode state = JSON.createObjectNode();
        state.put("pid", ProcessHandle.current().pid());
        state.put("control", control.toString());
        state.put("network", world.nodes().network().name());
        ObjectNode env = state.putObject("environment");
        world.environment().forEach(env::put);
        ObjectNode nodes = state.putObject("nodes");
        Nodes all = world.nodes();
        for (String name : all.names()) {
            ObjectNode node = nodes.putObject(name);
            node.put("address", all.address(name));
            node.put("state", all.describe(name));
            all.node(name).pid().ifPresent(pid -> node.put("pid", pid));
            all.namespaceOf(name).ifPresent(ns -> node.put("namespace", ns.name()).put("hostInterface", ns.hostInterface()));
        }
        state.put("workDir", all.workDir().toString());
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sandbox state file " + file, e);
        }
    }

    static Optional<JsonNode> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sandbox state file " + file, e);
        }
    }

    /** True when the file names a process that is still alive. */
    static boolean ownerAlive(JsonNode state) {
        return ProcessHandle.of(state.path("pid").asLong(-1)).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * A state file left by a sandbox that was killed without cleaning up (kill -9): its haproxy processes are
     * killed (only if they still are haproxy) and the file removed. Namespaces are swept by the node launcher.
     */
    static void removeStale(Path file, Timeline timeline) {
        Optional<JsonNode> stale = read(file);
        if (stale.isEmpty() || ownerAlive(stale.get())) {
            return;
        }
        for (Map.Entry<String, JsonNode> node : stale.get().path("nodes").properties()) {
            ProcessHandle.of(node.getValue().path("pid").asLong(-1))
                    .filter(p -> p.info().command().map(c -> c.endsWith("haproxy")).orElse(false))
                    .ifPresent(p -> {
                        p.destroyForcibly();
                        timeline.say("removed a stale %s (haproxy pid %d) left by a sandbox that was killed",
                                node.getKey(), p.pid());
                    });
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
