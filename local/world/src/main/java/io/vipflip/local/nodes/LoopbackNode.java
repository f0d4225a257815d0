package io.vipflip.local.nodes;

/** What every node kind shares: its name and the loopback address and port it serves on. */
abstract class LoopbackNode implements Node {
    protected final String name;
    protected final String address;
    protected final int port;

    LoopbackNode(String name, String address, int port) {
        this.name = name;
        this.address = address;
        this.port = port;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String address() {
        return address;
    }

    @Override
    public final int port() {
        return port;
    }
}
