package io.vipflip.local.nodes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.BooleanSupplier;

/** Waiting for a port to accept or refuse, and finding a free one. */
public final class Ports {
    private Ports() {
    }

    static void awaitListening(String address, int port, BooleanSupplier alive, String what) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException(what + " exited before listening on " + address + ":" + port);
            }
            if (accepts(address, port)) {
                return;
            }
            sleep(20);
        }
        throw new IllegalStateException(what + " is not listening on " + address + ":" + port + " after 10 s");
    }

    /** Returns once connects are refused (a closed listener can linger while a thread leaves accept()). */
    static void awaitRefused(String address, int port) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && accepts(address, port)) {
            sleep(10);
        }
    }

    static boolean accepts(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port free on every loopback address we use (127.0.0.1 is checked; 127/8 shares the port space). */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
