package io.vipflip.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vipflip.local.harness.LocalWorld;
import io.vipflip.local.nodes.NodeNetwork;
import io.vipflip.orchestrator.WatchLoop;
import io.vipflip.runtime.Engine;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local world as a sandbox to operate: the scheduled function's watch loop runs until the sandbox is stopped,
 * printing a readable timeline; a control endpoint on loopback takes fault commands ({@code ./sandbox kill …});
 * a state file lets a second process attach (the CLI's {@code --local}). Ctrl-C or SIGTERM stop everything the
 * world started and remove everything it created, then the state file.
 */
public final class Sandbox implements AutoCloseable {
    /** One scheduled invocation's budget: each "invocation" watches this long, then the next one takes over. */
    private static final Duration INVOCATION = Duration.ofSeconds(63);

    private final LocalWorld world;
    private final Timeline timeline;
    private final Path stateFile;
    private final HttpServer control;
    private final SandboxActions actions;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread watcher;

    private Sandbox(LocalWorld world, Timeline timeline, Path stateFile) throws IOException {
        this.world = world;
        this.timeline = timeline;
        this.stateFile = stateFile;
        this.control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        this.actions = new SandboxActions(world, timeline, this::writeState);
        control.createContext("/", this::handle);
        control.start();
        writeState();
        this.watcher = Thread.ofPlatform().name("watch-loop").start(this::watch);
    }

    public static void main(String[] args) throws Exception {
        Timeline timeline = new Timeline(System.out);
        Path stateFile = SandboxState.path();
        refuseSecondSandbox(stateFile);
        SandboxState.removeStale(stateFile, timeline);
        NodeNetwork network = NodeNetwork.best();
        LocalWorld world = LocalWorld.start(LocalWorld.Settings.demo(), network);
        String configPath = System.getenv("VIPFLIP_CONFIG_PATH");
        if (configPath != null && !configPath.isBlank()) { // one SSM parameter per group, re-read while running
            String refresh = System.getenv().getOrDefault("VIPFLIP_CONFIG_REFRESH_SECONDS", "60");
            world.useGroupParameters(configPath.trim(), Duration.ofSeconds(Long.parseLong(refresh.trim())));
            timeline.say("groups from the parameters under %s (SSM %s), re-read every %s s", configPath.trim(),
                    world.ssm().endpoint(), refresh.trim());
        }
        timeline.say("local world up: EC2 %s, DynamoDB %s", world.ec2().endpoint(), world.dynamo().endpoint());
        Sandbox sandbox = open(world, timeline, stateFile);
        sandbox.awaitStop();
    }

    /** Makes a running world a sandbox (after the demo: {@code ./demo --keep-running}). */
    static Sandbox open(LocalWorld world, Timeline timeline, Path stateFile) throws IOException {
        Sandbox sandbox;
        try {
            sandbox = new Sandbox(world, timeline, stateFile);
        } catch (IOException | RuntimeException e) {
            world.close();
            throw e;
        }
        // SIGTERM and Ctrl-C (SIGINT) run shutdown hooks: the one place everything is torn down.
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "sandbox-shutdown"));
        sandbox.introduce();
        return sandbox;
    }

    static void refuseSecondSandbox(Path stateFile) {
        SandboxState.read(stateFile).filter(SandboxState::ownerAlive).ifPresent(state -> {
            throw new IllegalStateException("a sandbox is already running (pid " + state.path("pid").asLong()
                    + ", state file " + stateFile + "); stop it first, or set " + SandboxState.VARIABLE
                    + " to run another");
        });
    }

    private void introduce() {
        for (String node : world.nodes().names()) {
            timeline.say("%s on %s:%d (%s)%s", node, world.nodes().address(node), world.port(),
                    world.nodes().realHaproxy() ? "haproxy" : "plain listener, haproxy not installed",
                    world.nodes().namespaceOf(node).map(ns -> ", network namespace " + ns.name()).orElse(""));
        }
        if (world.nodes().network() == NodeNetwork.LOOPBACK) {
            timeline.say("nodes on loopback: 'lose' is unavailable (%s)",
                    NodeNetwork.namespacesUnavailable().orElse("started without namespaces"));
        }
        timeline.say("watch loop running (the health-check function's code): probe every 500 ms, fall 3, rise 2, "
                + "failback after 5 s");
        timeline.say("state file %s; control %s", stateFile, controlUri());
        System.out.println();
        System.out.println("Operate it from another terminal (./sandbox --help lists every fault):");
        System.out.println("  ./sandbox kill haproxy-a        ./sandbox lose haproxy-a       ./sandbox freeze haproxy-a");
        System.out.println("  java -jar cli/target/vipflip.jar --local status --group web    (finds this sandbox by its state file)");
        System.out.println("Ctrl-C stops it and removes everything it created.");
        System.out.println();
    }

    private URI controlUri() {
        return URI.create("http://127.0.0.1:" + control.getAddress().getPort());
    }

    /** Consecutive scheduled invocations of the watch loop, as EventBridge would start them, until stopped. */
    private void watch() {
        Engine engine = world.engine(Clock.systemUTC());
        RunPrinter printer = new RunPrinter(timeline, "[watch]");
        WatchLoop.Listener listener = new WatchLoop.Listener() {
            @Override
            public void onRun(io.vipflip.orchestrator.RunResult result) {
                printer.onRun(result);
            }

            @Override
            public void onError(String group, RuntimeException error) {
                if (!stopping.get()) { // a round cut short by the shutdown is not news
                    printer.onError(group, error);
                }
            }
        };
        WatchLoop loop = new WatchLoop(engine.orchestrator(), Clock.systemUTC(), d -> {
            if (stopping.get()) {
                throw new InterruptedException("sandbox stopping");
            }
            Thread.sleep(d.toMillis());
        }, engine.updates().map(u -> (WatchLoop.Updates) u).orElse(WatchLoop.Updates.NONE));
        while (!stopping.get()) {
            loop.run(INVOCATION, listener);
            Thread.interrupted(); // an interrupt only ends the current invocation; stopping ends the loop
        }
    }

    private void writeState() {
        SandboxState.write(stateFile, world, controlUri());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] path = exchange.getRequestURI().getPath().replaceFirst("^/", "").split("/");
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            int status = 200;
            String text;
            try {
                text = switch (path[0]) {
                    case "node" -> actions.node(path[1], path[2]).text();
                    case "instance" -> actions.instance(path[1], path[2]).text();
                    case "ec2" -> actions.ec2(path[1], query::get).text();
                    case "event" -> actions.event(new String(exchange.getRequestBody().readAllBytes(),
                            StandardCharsets.UTF_8)).text();
                    case "status" -> actions.status();
                    default -> throw new IllegalArgumentException("no sandbox command " + exchange.getRequestURI());
                };
            } catch (ArrayIndexOutOfBoundsException e) {
                status = 400;
                text = "incomplete sandbox command " + exchange.getRequestURI();
            } catch (RuntimeException e) {
                status = 400;
                text = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                values.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return values;
    }

    void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stops the watch loop and the control endpoint, then everything the world started and created. */
    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) {
            awaitQuietly();
            return;
        }
        try {
            timeline.say("stopping: watch loop, control endpoint, nodes, namespaces, endpoints, state file");
            watcher.interrupt();
            try {
                watcher.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            control.stop(0);
            world.close();
            try {
                Files.deleteIfExists(stateFile);
            } catch (IOException e) {
                timeline.say("could not remove the state file %s: %s", stateFile, e.getMessage());
            }
            timeline.say("stopped; nothing left behind");
        } finally {
            stopped.countDown();
        }
    }

    private void awaitQuietly() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
