package io.vipflip.local.nodes;

import java.util.Optional;

/**
 * Where the nodes listen. {@link #LOOPBACK}: on 127.0.0.x, no privileges needed; a node can be killed and frozen
 * but not lost. {@link #NAMESPACES}: each node in its own network namespace behind a veth pair, so that losing
 * it (every packet dropped, no RST, as when an instance vanishes from the network) is an nft rule inside a
 * namespace the world created and removes again.
 */
public enum NodeNetwork {
    LOOPBACK,
    NAMESPACES;

    /** Why {@link #NAMESPACES} cannot be used on this machine, or empty when it can. */
    public static Optional<String> namespacesUnavailable() {
        if (!Shell.root()) {
            return Optional.of("network namespaces need root (run the sandbox as root, e.g. with sudo)");
        }
        if (!Shell.has("ip")) {
            return Optional.of("the ip command is missing (apt-get install iproute2)");
        }
        if (!Shell.has("nft")) {
            return Optional.of("the nft command is missing (apt-get install nftables)");
        }
        if (HaproxyNode.find().isEmpty()) {
            return Optional.of("haproxy is missing (apt-get install haproxy); plain listeners run in this JVM, "
                    + "which cannot enter a namespace");
        }
        return Optional.empty();
    }

    /** {@link #NAMESPACES} where available, otherwise {@link #LOOPBACK}. */
    public static NodeNetwork best() {
        return namespacesUnavailable().isEmpty() ? NAMESPACES : LOOPBACK;
    }
}
