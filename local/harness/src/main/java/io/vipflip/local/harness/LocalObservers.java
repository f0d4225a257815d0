package io.vipflip.local.harness;

import io.vipflip.local.lambda.LambdaEndpoint;
import io.vipflip.local.nodes.AzNetwork;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One observer process per zone of an {@link AzNetwork}, each in its zone's namespace, registered with the local
 * Lambda endpoint as {@code observer-<zone>}. {@link #close} stops them.
 */
public final class LocalObservers implements AutoCloseable {
    private static final int PORT = 8080;
    /** A function's timeout: an observer unreachable for longer is an invocation that timed out. */
    private static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(10);
    private final Map<String, Process> processes = new LinkedHashMap<>();

    private LocalObservers() {
    }

    /** Starts the observers and waits until each listens. */
    public static LocalObservers start(AzNetwork zones, List<String> zoneNames, LambdaEndpoint lambda) {
        LocalObservers observers = new LocalObservers();
        try {
            String java = ProcessHandle.current().info().command().orElse("java");
            String classpath = System.getProperty("java.class.path");
            for (String zone : zoneNames) {
                List<String> command = zones.command(zone, List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                        "-Xmx96m", "-cp", classpath, ObserverServer.class.getName(), zones.address(zone),
                        Integer.toString(PORT), zone));
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                observers.processes.put(zone, process);
            }
            for (var entry : observers.processes.entrySet()) {
                awaitReady(entry.getKey(), entry.getValue());
                lambda.forward(functionName(entry.getKey()),
                        URI.create("http://" + zones.address(entry.getKey()) + ":" + PORT + "/invoke"), FUNCTION_TIMEOUT);
            }
            return observers;
        } catch (IOException e) {
            observers.close();
            throw new UncheckedIOException("cannot start an observer", e);
        } catch (RuntimeException e) {
            observers.close();
            throw e;
        }
    }

    public static String functionName(String zone) {
        return "observer-" + zone;
    }

    public List<String> functionNames() {
        return processes.keySet().stream().map(LocalObservers::functionName).toList();
    }

    private static void awaitReady(String zone, Process process) {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<List<String>> ready = CompletableFuture.supplyAsync(() -> {
            List<String> lines = new ArrayList<>();
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                    if (line.contains(ObserverServer.READY)) {
                        return lines;
                    }
                }
            } catch (IOException e) {
                lines.add(e.toString());
            }
            throw new IllegalStateException("observer in " + zone + " exited: " + String.join("\n", lines));
        });
        try {
            ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("observer in " + zone + " did not start", e);
        }
    }

    @Override
    public void close() {
        for (Process process : processes.values()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }
}
