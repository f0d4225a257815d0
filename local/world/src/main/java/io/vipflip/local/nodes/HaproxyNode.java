package io.vipflip.local.nodes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A real {@code haproxy} process bound to one loopback address, answering HTTP with its own name. */
public final class HaproxyNode extends LoopbackNode {
    private final String binary;
    private final Path config;
    private Process process;

    public HaproxyNode(String binary, String name, String address, int port, Path workDir) {
        super(name, address, port);
        this.binary = binary;
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
        if (running()) {
            return;
        }
        try {
            process = new ProcessBuilder(binary, "-db", "-f", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(config.resolveSibling(name + ".log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start haproxy for " + name, e);
        }
        Ports.awaitListening(address, port, () -> process.isAlive(), name + " (haproxy, see " + name + ".log)");
    }

    @Override
    public synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Ports.awaitRefused(address, port);
    }

    @Override
    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

}
