package io.vipflip.local.nodes;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain Java listener standing in for haproxy where it is not installed (never in CI). */
public final class ListenerNode extends LoopbackNode {
    private ServerSocket socket;

    public ListenerNode(String name, String address, int port) {
        super(name, address, port);
    }

    @Override
    public synchronized void start() {
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
                out.write(answer);
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Override
    public synchronized void kill() {
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
    public synchronized boolean running() {
        return socket != null && !socket.isClosed();
    }

}
