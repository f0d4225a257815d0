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

    /** Closes the listener on {@code port}: further connects are refused. */
    public synchronized void close(int port) {
        sockets.removeIf(s -> {
            if (s.getLocalPort() == port) {
                closeQuietly(s);
                return true;
            }
            return false;
        });
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
            try (Socket accepted = socket.accept()) {
                accepted.setSoLinger(true, 0);
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
        sockets.forEach(Listeners::closeQuietly);
        sockets.clear();
    }
}
