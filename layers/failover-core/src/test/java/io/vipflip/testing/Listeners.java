package io.vipflip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Real TCP listeners on loopback that accept and close connections: stand-ins for HAProxy in engine tests. */
public final class Listeners implements AutoCloseable {
    private final List<ServerSocket> sockets = new ArrayList<>();

    /** Opens a listener on {@code address} (127.0.0.x) and a free port; returns the port. */
    public int open(String address) {
        return open(address, 0);
    }

    public synchronized int open(String address, int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), port), 50);
            sockets.add(socket);
            Thread.ofVirtual().start(() -> acceptLoop(socket));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the listener on {@code address}:{@code port}; returns once connects are refused. */
    public synchronized void close(String address, int port) {
        sockets.removeIf(s -> {
            if (s.getLocalPort() == port && s.getInetAddress().getHostAddress().equals(address)) {
                closeQuietly(s);
                return true;
            }
            return false;
        });
        awaitRefused(address, port);
    }

    /**
     * The JDK closes a listening socket that a thread is blocked accepting on only when that thread leaves
     * accept(), so for a moment after close() the kernel still completes handshakes. Wait until it refuses.
     */
    private static void awaitRefused(String address, int port) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(address, port), 200);
            } catch (IOException refused) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException(address + ":" + port + " still accepts connections after close");
    }

    /** A loopback port that nobody listens on (connects are refused). */
    public static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            // A graceful close (FIN), as HAProxy does for a probe it has nothing to say to; an abortive RST
            // racing the prober's finishConnect would look like a failed connect.
            try (Socket accepted = socket.accept()) {
                accepted.getInputStream().available();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public synchronized void close() {
        List<ServerSocket> open = new ArrayList<>(sockets);
        open.forEach(s -> close(s.getInetAddress().getHostAddress(), s.getLocalPort()));
    }
}
