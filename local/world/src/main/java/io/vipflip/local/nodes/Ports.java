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

    /** Returns once {@code ready} holds; fails when the process dies first or after 10 s. */
    static void await(BooleanSupplier ready, BooleanSupplier alive, String address, int port, String what) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException(what + " exited before listening on " + address + ":" + port);
            }
            if (ready.getAsBoolean()) {
                return;
            }
            sleep(20);
        }
        throw new IllegalStateException(what + " is not listening on " + address + ":" + port + " after 10 s");
    }

    /**
     * True when a socket of {@code pid}'s network namespace listens on address:port, read from
     * /proc/&lt;pid&gt;/net/tcp (addresses in the kernel's byte order, state 0A = LISTEN): how to see a node
     * listen while its packets are dropped.
     */
    static boolean listening(long pid, String address, int port) {
        String[] octets = address.split("\\.");
        String local = String.format("%02X%02X%02X%02X:%04X", Integer.parseInt(octets[3]), Integer.parseInt(octets[2]),
                Integer.parseInt(octets[1]), Integer.parseInt(octets[0]), port);
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(pid), "net", "tcp"))) {
                String[] fields = line.strip().split("\\s+");
                if (fields.length > 3 && fields[1].equals(local) && fields[3].equals("0A")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
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
