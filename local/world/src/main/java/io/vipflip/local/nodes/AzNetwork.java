package io.vipflip.local.nodes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Emulated Availability Zones for the AZ observers (issue 14): one network namespace per zone, each joined to this
 * host (where the deciding run and the local Lambda endpoint live) by its own veth pair, and to every node's
 * namespace by a private veth link. An observer in a zone reaches a node over that zone's link only, so a test
 * can cut one zone off from one node ({@link #cut}) — a drop rule on the node's end of the link, so connects time
 * out as across a real partition — while the other zones and the host still reach it. The host's own path to a
 * node is the node's link to the host ({@link Nodes#lose}); a zone's path to the host is {@link #isolateFromHost}.
 * Needs the nodes in namespaces ({@link NodeNetwork#NAMESPACES}). Deleting a zone's namespace removes its links.
 */
public final class AzNetwork implements AutoCloseable {
    private record Link(String zoneSide, String nodeSide, NodeNamespace node) {
    }

    private final Map<String, NodeNamespace> zones = new LinkedHashMap<>();
    private final Map<String, Link> links = new LinkedHashMap<>();
    private final List<String> cut = new ArrayList<>();

    private AzNetwork() {
    }

    /** One namespace per zone, linked to the host and to every node of {@code nodes}. */
    public static AzNetwork create(Nodes nodes, List<String> zoneNames) {
        if (nodes.network() != NodeNetwork.NAMESPACES) {
            throw new IllegalStateException("zones need the nodes in network namespaces: "
                    + NodeNetwork.namespacesUnavailable().orElse("start the nodes with NodeNetwork.NAMESPACES"));
        }
        AzNetwork network = new AzNetwork();
        try {
            for (int z = 0; z < zoneNames.size(); z++) {
                NodeNamespace zone = NodeNamespace.create(zoneNames.get(z));
                network.zones.put(zoneNames.get(z), zone);
                List<String> names = nodes.names();
                for (int n = 0; n < names.size(); n++) {
                    NodeNamespace node = nodes.namespaceOf(names.get(n)).orElseThrow();
                    Link link = new Link("n" + n, "z" + z, node);
                    Shell.run(List.of("ip", "-n", zone.name(), "link", "add", link.zoneSide(), "type", "veth", "peer",
                            "name", link.nodeSide(), "netns", node.name()));
                    Shell.run(List.of("ip", "-n", zone.name(), "link", "set", link.zoneSide(), "up"));
                    Shell.run(List.of("ip", "-n", node.name(), "link", "set", link.nodeSide(), "up"));
                    // Host routes over the link: the zone reaches the node's address, the node answers the zone's.
                    Shell.run(List.of("ip", "-n", zone.name(), "route", "add", node.nodeAddress() + "/32", "dev",
                            link.zoneSide(), "src", zone.nodeAddress()));
                    Shell.run(List.of("ip", "-n", node.name(), "route", "add", zone.nodeAddress() + "/32", "dev",
                            link.nodeSide()));
                    network.links.put(key(zoneNames.get(z), names.get(n)), link);
                }
            }
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    private static String key(String zone, String node) {
        return zone + "/" + node;
    }

    /** The zone's address, reachable from this host (where an observer in the zone listens). */
    public String address(String zone) {
        return zone(zone).nodeAddress();
    }

    /** {@code command} run inside the zone's namespace. */
    public List<String> command(String zone, List<String> command) {
        return zone(zone).exec(command);
    }

    /** From now on nothing passes between the zone and the node: connects from the zone time out. */
    public synchronized void cut(String zone, String node) {
        Link link = link(zone, node);
        String table = table(link);
        if (cut.contains(key(zone, node))) {
            return;
        }
        Shell.run(link.node().exec(List.of("nft", "add", "table", "inet", table)));
        Shell.run(link.node().exec(List.of("nft", "add", "chain", "inet", table, "in",
                "{ type filter hook input priority 0 ; policy accept ; }")));
        Shell.run(link.node().exec(List.of("nft", "add", "chain", "inet", table, "out",
                "{ type filter hook output priority 0 ; policy accept ; }")));
        Shell.run(link.node().exec(List.of("nft", "add", "rule", "inet", table, "in", "iifname", link.nodeSide(),
                "drop")));
        Shell.run(link.node().exec(List.of("nft", "add", "rule", "inet", table, "out", "oifname", link.nodeSide(),
                "drop")));
        cut.add(key(zone, node));
    }

    /** Undoes {@link #cut}. */
    public synchronized void heal(String zone, String node) {
        if (cut.remove(key(zone, node))) {
            Link link = link(zone, node);
            Shell.run(link.node().exec(List.of("nft", "delete", "table", "inet", table(link))));
        }
    }

    /** Drops everything between the zone and this host (its observer can no longer be invoked). */
    public void isolateFromHost(String zone) {
        zone(zone).lose();
    }

    /** Heals every cut and isolation. */
    public synchronized void healAll() {
        for (String k : List.copyOf(cut)) {
            String[] parts = k.split("/", 2);
            heal(parts[0], parts[1]);
        }
        zones.values().forEach(NodeNamespace::reconnect);
    }

    private static String table(Link link) {
        return "vipflip_cut_" + link.nodeSide();
    }

    private NodeNamespace zone(String zone) {
        NodeNamespace ns = zones.get(zone);
        if (ns == null) {
            throw new IllegalArgumentException("no zone '" + zone + "' (zones: " + String.join(", ", zones.keySet()) + ")");
        }
        return ns;
    }

    private Link link(String zone, String node) {
        Link link = links.get(key(zone, node));
        if (link == null) {
            throw new IllegalArgumentException("no link between zone '" + zone + "' and node '" + node + "'");
        }
        return link;
    }

    /** Deletes the zones' namespaces (their links go with them); processes inside must be stopped first. */
    @Override
    public void close() {
        zones.values().forEach(NodeNamespace::close);
        zones.clear();
        links.clear();
        cut.clear();
    }
}
