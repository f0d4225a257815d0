package io.vipflip.local.nodes;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A plain Java listener standing in for haproxy where it is not installed (never in CI). Frozen, it stops
 * accepting and answering while its socket stays open, so handshakes still complete into the backlog, as with
 * a stopped haproxy.
 */
public final class ListenerNode extends LoopbackNode {
    private ServerSocket socket;
    private boolean frozen;

    public ListenerNode(String name, String address, int port) {
        super(name, address, port);
    }

    @Override
    public synchronized void start() {
        if (frozen) {
            kill();
        }
        if (running()) {
            return;
        }
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(address), port), 64);
            socket = server;
            Thread.ofVirtual().name("node-" + name).start(() -> serve(server));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ":" + port, e);
        }
    }

    private void serve(ServerSocket server) {
        byte[] answer = ("HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\n" + name + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        while (!server.isClosed()) {
            try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
                awaitThawed(server);
                out.write(answer);
            } catch (IOException closed) {
                return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void awaitThawed(ServerSocket server) throws InterruptedException {
        while (frozen && socket == server) {
            wait();
        }
    }

    @Override
    public synchronized void kill() {
        frozen = false;
        notifyAll();
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
            socket = null;
        }
        Ports.awaitRefused(address, port);
    }

    @Override
    public synchronized void freeze() {
        if (!running()) {
            throw new IllegalStateException(name + " is not running (restart it first)");
        }
        frozen = true;
    }

    @Override
    public synchronized void thaw() {
        frozen = false;
        notifyAll();
    }

    @Override
    public synchronized boolean running() {
        return socket != null && !socket.isClosed();
    }

    @Override
    public synchronized boolean frozen() {
        return frozen;
    }
}
