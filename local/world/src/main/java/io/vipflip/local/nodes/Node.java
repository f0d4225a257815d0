package io.vipflip.local.nodes;

import java.util.Optional;

/** A stand-in for one HAProxy EC2 instance: listens on its own address; can be killed, restarted, frozen, thawed. */
public interface Node extends AutoCloseable {
    String name();

    String address();

    int port();

    /** Starts serving; returns once the port listens. A killed node comes back; a frozen one is killed first. */
    void start();

    /** Dies at once (kill -9 for haproxy): connections are refused from now on. */
    void kill();

    /**
     * Stops running without closing its socket (SIGSTOP for haproxy): the kernel still completes TCP handshakes
     * into the listen backlog, so a connect probe still succeeds while nothing answers a request.
     */
    void freeze();

    /** Runs again after {@link #freeze} (SIGCONT). */
    void thaw();

    boolean running();

    boolean frozen();

    /** The operating-system process serving this node, when it is one. */
    default Optional<Long> pid() {
        return Optional.empty();
    }

    @Override
    default void close() {
        kill();
    }
}
