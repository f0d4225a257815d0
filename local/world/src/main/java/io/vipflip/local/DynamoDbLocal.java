package io.vipflip.local;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBRequestHandler;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBServerHandler;

/**
 * DynamoDB Local, in-process and in memory, listening on loopback only (its own launcher binds every interface
 * and sends telemetry, so we mount its request handler on our own Jetty server). The real SDK talks HTTP to it.
 * {@link #stop()} and {@link #start()} make it unreachable and back again with its data kept, for fault tests.
 */
public final class DynamoDbLocal implements AutoCloseable {
    private final LocalDynamoDBRequestHandler requests;
    private final LocalDynamoDBServerHandler handler;
    private final DynamoDBProxyServer proxy;
    private Server server;
    private int port;

    private DynamoDbLocal(int port) throws Exception {
        configureNativeLibrary();
        this.requests = new LocalDynamoDBRequestHandler(0, true, null, false, false);
        this.handler = new LocalDynamoDBServerHandler(requests, null);
        this.proxy = new DynamoDBProxyServer(0, handler); // only used to build its handler tree; never started
        this.port = port;
        start();
    }

    /** Starts an empty in-memory DynamoDB Local on a free loopback port. */
    public static DynamoDbLocal start(int port) {
        try {
            return new DynamoDbLocal(port);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start DynamoDB Local: " + e, e);
        }
    }

    public static DynamoDbLocal startOnFreePort() {
        return start(0);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** (Re)opens the listener on the same port. */
    public synchronized void start() {
        try {
            Server next = new Server();
            ServerConnector connector = new ServerConnector(next);
            connector.setHost("127.0.0.1");
            connector.setPort(port);
            next.addConnector(connector);
            next.setHandler(proxy.setUpHandler(handler));
            next.start();
            port = connector.getLocalPort();
            server = next;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start DynamoDB Local on port " + port + ": " + e, e);
        }
    }

    /** Closes the listener: clients get connection refused; the data stays for {@link #start()}. */
    public synchronized void stop() {
        try {
            if (server != null) {
                server.stop();
                server = null;
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop DynamoDB Local: " + e, e);
        }
    }

    @Override
    public void close() {
        stop();
        requests.shutdown();
    }

    /**
     * sqlite4java loads a native library that Maven keeps beside its jar. Point it there unless the caller did,
     * so tests and the demo need no copy step.
     */
    private static void configureNativeLibrary() {
        if (System.getProperty("sqlite4java.library.path") != null) {
            return;
        }
        nativeLibraryDirectory().ifPresent(dir -> System.setProperty("sqlite4java.library.path", dir.toString()));
    }

    static Optional<Path> nativeLibraryDirectory() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        String artifact = os.contains("mac") ? "libsqlite4java-osx"
                : os.contains("win") ? "sqlite4java-win32-" + (arch.contains("64") ? "x64" : "x86")
                : "libsqlite4java-linux-" + (arch.equals("amd64") || arch.equals("x86_64") ? "amd64" : "i386");
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (entry.contains(artifact) && !entry.endsWith(".jar")) {
                return Optional.of(Path.of(entry).toAbsolutePath().getParent());
            }
        }
        try {
            Path jar = Path.of(Class.forName("com.almworks.sqlite4java.SQLite").getProtectionDomain().getCodeSource().getLocation().toURI());
            // <repo>/com/almworks/sqlite4java/sqlite4java/<version>/sqlite4java-<version>.jar
            Path version = jar.getParent();
            Path candidate = version.getParent().getParent().resolve(artifact).resolve(version.getFileName());
            return Files.isDirectory(candidate) ? Optional.of(candidate) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
