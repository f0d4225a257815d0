package io.vipflip.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link WatchProcess} JVM with a Lambda size's resources: a CPU quota of {@code memoryMb / 1769} of one CPU (Lambda
 * gives one vCPU at 1,769 MB, in proportion below), set with a cgroup (v2 {@code cpu.max}, or v1
 * {@code cpu.cfs_quota_us}), a heap cap, and the JVM flags Lambda's java21 runtime uses (serial GC, tiered
 * compilation stopped at level 1). The cgroup is this benchmark's own and is removed on close.
 */
final class CappedWatchProcess implements FaultBench.Loop {
    static final int ONE_VCPU_MB = 1769;
    private static final long PERIOD_US = 100_000;

    private final Process process;
    private final Writer stdin;
    private final Path cgroup;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final AtomicBoolean steady = new AtomicBoolean();
    private final Path workDir;
    private long peakRssKb;
    private long throttledPeriods = -1;

    CappedWatchProcess(int memoryMb, String ec2Endpoint, String dynamoEndpoint, String region) throws IOException {
        workDir = Files.createTempDirectory("vipflip-capped");
        long quota = Math.max(1000, PERIOD_US * memoryMb / ONE_VCPU_MB);
        cgroup = createCgroup("vipflip-bench-" + ProcessHandle.current().pid() + "-" + memoryMb, quota);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1", "-Xmx" + (memoryMb * 7 / 10) + "m",
                "-Xshare:auto", "-cp", System.getProperty("java.class.path"), WatchProcess.class.getName(),
                ec2Endpoint, dynamoEndpoint, region));
        process = new ProcessBuilder(command).redirectError(workDir.resolve("stderr.log").toFile()).start();
        Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(process.pid()));
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.equals("steady")) {
                        steady.set(true);
                    }
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    /** Why the CPU quota cannot be set here, or empty when it can. */
    static java.util.Optional<String> unavailable() {
        if (Files.isRegularFile(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
            return java.util.Optional.empty();
        }
        if (Files.isRegularFile(Path.of("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"))) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("no cgroup cpu controller under /sys/fs/cgroup");
    }

    private static Path createCgroup(String name, long quotaUs) throws IOException {
        Path v2 = Path.of("/sys/fs/cgroup");
        if (Files.isRegularFile(v2.resolve("cgroup.controllers"))) {
            if (!Files.readString(v2.resolve("cgroup.subtree_control")).contains("cpu")) {
                Files.writeString(v2.resolve("cgroup.subtree_control"), "+cpu");
            }
            Path group = Files.createDirectories(v2.resolve(name));
            Files.writeString(group.resolve("cpu.max"), quotaUs + " " + PERIOD_US);
            return group;
        }
        Path group = Files.createDirectories(Path.of("/sys/fs/cgroup/cpu").resolve(name));
        Files.writeString(group.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
        Files.writeString(group.resolve("cpu.cfs_quota_us"), Long.toString(quotaUs));
        return group;
    }

    @Override
    public void start(String table, String configJson) throws IOException {
        Path config = workDir.resolve("config-" + table + ".json");
        Files.writeString(config, configJson);
        steady.set(false);
        send("start " + table + " " + config);
    }

    @Override
    public boolean steady() {
        return steady.get();
    }

    @Override
    public void stop() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        send("stop");
        for (String line = lines.poll(15, TimeUnit.SECONDS); line != null && !line.equals("stopped");
             line = lines.poll(15, TimeUnit.SECONDS)) {
            // skip "steady" lines
        }
        peakRssKb = Math.max(peakRssKb, peakRss());
    }

    /** The process's peak resident memory (VmHWM), in kB. */
    long peakRssKb() {
        return Math.max(peakRssKb, peakRss());
    }

    private long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException gone) {
            // ended
        }
        return 0;
    }

    private void send(String command) {
        if (!process.isAlive()) {
            throw new IllegalStateException("the watch process is gone: " + stderrTail());
        }
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the watch process is gone: " + stderrTail(), e);
        }
    }

    /** The last lines the process wrote to stderr (why it died). */
    String stderrTail() {
        try {
            List<String> all = Files.readAllLines(workDir.resolve("stderr.log"));
            return String.join(" / ", all.subList(Math.max(0, all.size() - 3), all.size()));
        } catch (IOException e) {
            return "(no stderr)";
        }
    }

    /** How many CPU periods the quota throttled the process in (cpu.stat): proof the quota applied; -1 unknown. */
    long throttledPeriods() {
        return throttledPeriods;
    }

    private void readThrottling() {
        try {
            for (String line : Files.readAllLines(cgroup.resolve("cpu.stat"))) {
                if (line.startsWith("nr_throttled ")) {
                    throttledPeriods = Long.parseLong(line.substring("nr_throttled ".length()).trim());
                }
            }
        } catch (IOException | NumberFormatException unknown) {
            // left at -1
        }
    }

    @Override
    public void close() {
        peakRssKb = peakRssKb();
        readThrottling();
        try {
            stdin.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(cgroup);
        } catch (IOException e) {
            System.err.println("could not remove cgroup " + cgroup + ": " + e.getMessage());
        }
        try (var files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }
}
