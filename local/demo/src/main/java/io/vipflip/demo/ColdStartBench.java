package io.vipflip.demo;

import io.vipflip.local.harness.LocalWorld;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cold start: package sizes, and time and classes loaded from JVM start to the first completed scheduled
 * invocation against the local world, beside a minimal handler that only builds the SDK clients.
 * Classpaths come from ./bench (system properties vipflip.layerClasspath, vipflip.functionJars, vipflip.probeClasspath).
 */
final class ColdStartBench {
    private static final int RUNS = 5;
    private final String layer = System.getProperty("vipflip.layerClasspath", "");
    private final String functions = System.getProperty("vipflip.functionJars", "");
    private final String probe = System.getProperty("vipflip.probeClasspath", "");

    ColdStartBench(String[] args) {
    }

    String run() throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("Sizes (what `sam build` packages):\n\n| artifact | size |\n|---|---|\n");
        long layerBytes = 0;
        int jars = 0;
        for (String entry : layer.split(File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                layerBytes += Files.size(Path.of(entry));
                jars++;
            }
        }
        md.append(String.format("| layer failover-core (java/lib, %d jars) | %.1f MB |%n", jars, layerBytes / 1e6));
        String healthCheckJar = "";
        for (String jar : functions.split(File.pathSeparator)) {
            if (jar.isBlank()) {
                continue;
            }
            md.append(String.format("| function %s | %.1f kB |%n", Path.of(jar).getFileName(), Files.size(Path.of(jar)) / 1e3));
            if (jar.contains("health-check")) {
                healthCheckJar = jar;
            }
        }
        List<long[]> handler = new ArrayList<>();
        List<long[]> minimal = new ArrayList<>();
        try (LocalWorld world = LocalWorld.start(LocalWorld.Settings.demo())) {
            String cp = String.join(File.pathSeparator, layer, healthCheckJar, probe);
            for (int i = 0; i < RUNS; i++) {
                world.reset();
                handler.add(child(cp, "handler", world));
                minimal.add(child(cp, "minimal", world));
            }
        }
        long[] h = median(handler);
        long[] m = median(minimal);
        md.append(String.format("%nFrom JVM start, median of %d fresh JVMs (%s):%n%n", RUNS, Bench.machine()));
        md.append("| | time to done | classes loaded |\n|---|---|---|\n");
        md.append(String.format("| health-check: first scheduled invocation (engine from the environment, one round: "
                + "DescribeInstances, DescribeRouteTables, GetItem, probes, hand-over) | %d ms | %d |%n", h[0], h[1]));
        md.append(String.format("| minimal handler: builds the EC2 and DynamoDB clients only | %d ms | %d |%n", m[0], m[1]));
        md.append(String.format("| ratio | %.2f× | %.2f× |%n", h[0] / (double) m[0], h[1] / (double) m[1]));
        return md.toString();
    }

    private static long[] child(String classpath, String mode, LocalWorld world) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "-cp", classpath, "io.vipflip.demo.ColdStartProbe", mode);
        builder.environment().putAll(world.environment());
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        for (String line : out.split("\n")) {
            if (line.startsWith("COLDSTART ")) {
                String[] parts = line.split(" ");
                return new long[] {Long.parseLong(parts[1].trim()), Long.parseLong(parts[2].trim())};
            }
        }
        throw new IllegalStateException("cold-start probe (" + mode + ") printed no result:\n" + out);
    }

    private static long[] median(List<long[]> samples) {
        List<Long> times = samples.stream().map(s -> s[0]).toList();
        List<Long> classes = samples.stream().map(s -> s[1]).toList();
        return new long[] {Stats.percentile(times, 50), Stats.percentile(classes, 50)};
    }
}
