package io.vipflip.local.nodes;

/** A stand-in for one HAProxy EC2 instance: listens on its own loopback address, can be killed and restarted. */
public interface Node extends AutoCloseable {
    String name();

    String address();

    int port();

    /** Starts serving; returns once the port accepts connections. */
    void start();

    /** Dies at once (kill -9 for haproxy): connections are refused from now on. */
    void kill();

    boolean running();

    @Override
    default void close() {
        kill();
    }
}
