package io.vipflip.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vipflip.aws.AwsClients;
import io.vipflip.config.ConfigParser;
import io.vipflip.local.nodes.NodeNamespace;
import io.vipflip.runtime.Engine;
import io.vipflip.runtime.ManualActions;
import io.vipflip.runtime.ManualRequest;
import io.vipflip.runtime.RunReporter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The sandbox as a user runs it: a real child process ({@code io.vipflip.demo.Sandbox}), fault commands sent to it
 * from this process through its state file, a second process attaching to its endpoints, then SIGTERM — after
 * which no process, namespace, interface, rule or file it created may be left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxIT {
    @TempDir
    static Path dir;
    private static Path stateFile;
    private static Process sandbox;
    private static final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private static final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void startSandbox() throws Exception {
        stateFile = dir.resolve("state.json");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Djava.io.tmpdir=" + tmp, "-cp",
                System.getProperty("java.class.path"), Sandbox.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sandbox.log").toFile());
        builder.environment().put(SandboxState.VARIABLE, stateFile.toString());
        sandbox = builder.start();
        assertTrue(await(() -> Files.exists(stateFile) || !sandbox.isAlive(), Duration.ofMinutes(3)), log());
        assertTrue(sandbox.isAlive(), log());
    }

    @AfterAll
    static void stopSandbox() {
        if (sandbox != null && sandbox.isAlive()) {
            sandbox.destroyForcibly(); // a failed test: the next world's start sweeps what this leaves
        }
    }

    private static String log() {
        try {
            return Files.readString(dir.resolve("sandbox.log"));
        } catch (Exception e) {
            return "(no log)";
        }
    }

    private static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private static int sandbox(String... args) {
        out.reset();
        err.reset();
        return new SandboxCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), stateFile).run(List.of(args));
    }

    private static String printed() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private static JsonNode state() {
        return SandboxState.read(stateFile).orElseThrow();
    }

    @Test
    @Order(1)
    void killAndRestart_changeTheNode_andEachSaysHowToUndoIt() {
        assertEquals(0, sandbox("kill", "haproxy-b"), printed());
        assertTrue(printed().contains("killed haproxy-b with kill -9"), printed());
        assertTrue(printed().contains("undo: ./sandbox restart haproxy-b"), printed());
        assertEquals("killed", state().path("nodes").path("haproxy-b").path("state").asText());

        assertEquals(0, sandbox("restart", "haproxy-b"), printed());
        assertEquals("running", state().path("nodes").path("haproxy-b").path("state").asText());
    }

    @Test
    @Order(2)
    void badCommands_areRefusedWithTheReason_andChangeNothing() {
        assertEquals(2, sandbox("kill", "haproxy-z"));
        assertTrue(printed().contains("no node 'haproxy-z' (nodes: haproxy-a, haproxy-b)"), printed());
        assertEquals(2, sandbox("ec2", "latency", "soon"));
        assertTrue(printed().contains("MILLIS must be a whole number"), printed());
        assertEquals(2, sandbox("ec2", "fail-writes", "rtb-nope"));
        assertTrue(printed().contains("no route table 'rtb-nope'"), printed());
        assertEquals("running", state().path("nodes").path("haproxy-a").path("state").asText());
    }

    @Test
    @Order(3)
    void ec2Faults_reachTheEndpoint_andAreCleared() {
        assertEquals(0, sandbox("ec2", "fail-writes", "rtb-0bbbbbbbbbbbbbbb2", "2"), printed());
        assertTrue(printed().contains("route writes to rtb-0bbbbbbbbbbbbbbb2 now fail with InternalError 2 times"));
        assertEquals(0, sandbox("ec2", "clear"), printed());
        assertTrue(printed().contains("no faults"), printed());
    }

    @Test
    @Order(4)
    void theStateFile_letsASecondProcessRunTheManualFunctionOnTheSandbox() {
        Map<String, String> env = new java.util.HashMap<>();
        state().path("environment").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        AwsClients clients = new AwsClients(Region.of(env.get("AWS_REGION")), Duration.ofSeconds(10),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        Engine engine = Engine.create(new ConfigParser().parse(env.get("VIPFLIP_CONFIG")), env.get("VIPFLIP_TABLE"),
                clients.ec2(URI.create(env.get("AWS_ENDPOINT_URL_EC2"))),
                clients.dynamo(URI.create(env.get("AWS_ENDPOINT_URL_DYNAMODB"))), Clock.systemUTC(), "test");

        JsonNode answer = new ManualActions(engine).execute(ManualRequest.parse(
                "{\"action\":\"status\",\"group\":\"web\"}".getBytes(StandardCharsets.UTF_8), engine.config()),
                new RunReporter(false));

        assertEquals("haproxy-a", answer.path("activeNode").asText(), answer.toString());
    }

    @Test
    @Order(5)
    void sigterm_stopsEveryProcess_andRemovesEveryNamespaceInterfaceRuleAndFile() throws Exception {
        boolean namespaces = state().path("network").asText().equals("NAMESPACES");
        assertEquals(0, sandbox("freeze", "haproxy-a"), printed()); // a stopped process must still be reaped
        if (namespaces) {
            assertEquals(0, sandbox("lose", "haproxy-b"), printed()); // drop rules must go with the namespace
        }
        JsonNode before = state();
        List<ProcessHandle> started = sandbox.descendants().toList();
        List<Long> haproxy = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> interfaces = new ArrayList<>();
        before.path("nodes").forEach(n -> {
            if (n.has("pid")) {
                haproxy.add(n.path("pid").asLong());
            }
            if (n.has("namespace")) {
                names.add(n.path("namespace").asText());
                interfaces.add(n.path("hostInterface").asText());
            }
        });
        Path workDir = Path.of(before.path("workDir").asText());
        assertTrue(Files.isDirectory(workDir));
        assertEquals(namespaces ? 2 : 0, names.size());
        assertTrue(NodeNamespace.existing().containsAll(names));

        sandbox.destroy(); // SIGTERM

        assertTrue(sandbox.waitFor(2, TimeUnit.MINUTES), log());
        assertTrue(log().contains("stopped; nothing left behind"), log());
        for (ProcessHandle child : started) {
            assertTrue(await(() -> !child.isAlive(), Duration.ofSeconds(30)), "still running: " + child.info());
        }
        haproxy.forEach(pid -> assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                "haproxy " + pid + " still running"));
        for (String ns : names) {
            assertFalse(NodeNamespace.existing().contains(ns), ns + " still exists");
        }
        for (String link : interfaces) {
            assertTrue(await(() -> !linkExists(link), Duration.ofSeconds(30)), link + " still exists");
        }
        assertFalse(Files.exists(stateFile), "state file left");
        assertFalse(Files.exists(workDir), "node files left: " + workDir);
        try (Stream<Path> left = Files.list(dir.resolve("tmp"))) {
            assertEquals(List.of(), left.toList(), "files left in the sandbox's temporary directory");
        }
    }

    private static boolean linkExists(String name) {
        try {
            return new ProcessBuilder("ip", "link", "show", "dev", name).redirectErrorStream(true).start()
                    .waitFor() == 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
