package io.vipflip.local.nodes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real {@code haproxy} process bound to one address, answering HTTP with its own name; inside its own network
 * namespace when it has one ({@code ip netns exec} replaces itself with haproxy, so the process is haproxy).
 */
public final class HaproxyNode extends LoopbackNode {
    private final String binary;
    private final Path config;
    private final Optional<NodeNamespace> namespace;
    private Process process;
    private boolean frozen;

    public HaproxyNode(String binary, String name, String address, int port, Path workDir) {
        this(binary, name, address, port, workDir, Optional.empty());
    }

    HaproxyNode(String binary, String name, String address, int port, Path workDir, Optional<NodeNamespace> namespace) {
        super(name, address, port);
        this.binary = binary;
        this.namespace = namespace;
        this.config = workDir.resolve(name + ".cfg");
        try {
            Files.writeString(config, config());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The haproxy binary on this machine, if any. */
    public static Optional<String> find() {
        for (String candidate : new String[] {"/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Optional.of(candidate);
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "haproxy"))) {
                return Optional.of(Path.of(dir, "haproxy").toString());
            }
        }
        return Optional.empty();
    }

    private String config() {
        return """
                global
                    maxconn 256
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                frontend vip
                    bind %s:%d
                    http-request return status 200 content-type text/plain string "%s\\n"
                """.formatted(address, port, name);
    }

    @Override
    public synchronized void start() {
        if (running() && !frozen) {
            return;
        }
        kill();
        List<String> command = new ArrayList<>(List.of(binary, "-db", "-f", config.toString()));
        if (namespace.isPresent()) {
            command = namespace.get().exec(command);
        }
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(config.resolveSibling(name + ".log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start haproxy for " + name, e);
        }
        Process started = process;
        // A lost node's packets are dropped, so look at its namespace's socket table instead of connecting.
        Ports.await(() -> namespace.map(NodeNamespace::lost).orElse(false)
                        ? Ports.listening(started.pid(), address, port) : Ports.accepts(address, port),
                started::isAlive, address, port, name + " (haproxy, see " + name + ".log)");
    }

    @Override
    public synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly(); // SIGKILL ends a stopped process too
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        frozen = false;
        if (!namespace.map(NodeNamespace::lost).orElse(false)) {
            Ports.awaitRefused(address, port);
        }
    }

    @Override
    public synchronized void freeze() {
        signal("STOP");
        frozen = true;
    }

    @Override
    public synchronized void thaw() {
        if (frozen) {
            signal("CONT");
            frozen = false;
        }
    }

    private void signal(String signal) {
        if (!running()) {
            throw new IllegalStateException(name + " is not running (restart it first)");
        }
        Shell.run(List.of("kill", "-" + signal, Long.toString(process.pid())));
    }

    @Override
    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized boolean frozen() {
        return frozen;
    }

    @Override
    public synchronized Optional<Long> pid() {
        return running() ? Optional.of(process.pid()) : Optional.empty();
    }
}
