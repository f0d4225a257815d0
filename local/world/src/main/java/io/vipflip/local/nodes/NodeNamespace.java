package io.vipflip.local.nodes;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One node's own network: a namespace {@code vipflip-<owner pid>-<n>-<node>} joined to this host's namespace by a veth
 * pair on a /30 of 198.18.0.0/15 (RFC 2544's benchmarking range, never routed on the internet). Losing the node is
 * an nft table inside that namespace dropping everything on its side of the veth: a probe's SYN gets no answer
 * and no RST, so the connect times out, as with an instance that vanished from the network. Deleting the
 * namespace removes the veth pair and the rules with it.
 */
public final class NodeNamespace implements AutoCloseable {
    /** Every namespace this code creates starts with this, so stale ones can be found and removed. */
    public static final String PREFIX = "vipflip-";
    private static final Pattern OWNED = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-.+");
    private static final String NFT_TABLE = "vipflip_lost";
    private static final int SUBNETS = 1 << 15; // /30s in 198.18.0.0/15
    /** Numbers every namespace of this process, so two worlds in one JVM never share a name or an interface. */
    private static final java.util.concurrent.atomic.AtomicInteger SEQUENCE = new java.util.concurrent.atomic.AtomicInteger();

    private final String name;
    private final String hostInterface;
    private final String hostAddress;
    private final String nodeAddress;
    private boolean lost;

    private NodeNamespace(String name, String hostInterface, String hostAddress, String nodeAddress) {
        this.name = name;
        this.hostInterface = hostInterface;
        this.hostAddress = hostAddress;
        this.nodeAddress = nodeAddress;
    }

    /** Creates a namespace for {@code node}, named {@code vipflip-<pid>-<n>-<node>}, with its veth pair up. */
    static NodeNamespace create(String node) {
        long pid = ProcessHandle.current().pid();
        int index = SEQUENCE.getAndIncrement();
        String used = Shell.run(List.of("ip", "-4", "-o", "addr", "show"));
        int subnet = (int) ((pid * 8 + index) % SUBNETS);
        while (used.contains(" " + address(subnet, 1) + "/") || used.contains(" " + address(subnet, 2) + "/")) {
            subnet = (subnet + 8) % SUBNETS;
        }
        NodeNamespace ns = new NodeNamespace(PREFIX + pid + "-" + index + "-" + node, "vf" + pid + "n" + index,
                address(subnet, 1), address(subnet, 2));
        try {
            Shell.run(List.of("ip", "netns", "add", ns.name));
            Shell.run(List.of("ip", "link", "add", ns.hostInterface, "type", "veth", "peer", "name", "eth0",
                    "netns", ns.name));
            Shell.run(List.of("ip", "addr", "add", ns.hostAddress + "/30", "dev", ns.hostInterface));
            Shell.run(List.of("ip", "link", "set", ns.hostInterface, "up"));
            Shell.run(List.of("ip", "-n", ns.name, "addr", "add", ns.nodeAddress + "/30", "dev", "eth0"));
            Shell.run(List.of("ip", "-n", ns.name, "link", "set", "eth0", "up"));
            Shell.run(List.of("ip", "-n", ns.name, "link", "set", "lo", "up"));
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    private static String address(int subnet, int host) {
        int value = (198 << 24) | (18 << 16) | (subnet << 2) | host;
        return ((value >>> 24) & 255) + "." + ((value >>> 16) & 255) + "." + ((value >>> 8) & 255) + "." + (value & 255);
    }

    public String name() {
        return name;
    }

    public String hostInterface() {
        return hostInterface;
    }

    /** The node's address, inside the namespace. */
    public String nodeAddress() {
        return nodeAddress;
    }

    /** {@code command} run inside this namespace. */
    List<String> exec(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    /** Drops every packet in and out of the node's veth end (no RST, no ICMP). */
    synchronized void lose() {
        if (lost) {
            return;
        }
        Shell.run(exec(List.of("nft", "add", "table", "inet", NFT_TABLE)));
        Shell.run(exec(List.of("nft", "add", "chain", "inet", NFT_TABLE, "in",
                "{ type filter hook input priority 0 ; policy accept ; }")));
        Shell.run(exec(List.of("nft", "add", "chain", "inet", NFT_TABLE, "out",
                "{ type filter hook output priority 0 ; policy accept ; }")));
        Shell.run(exec(List.of("nft", "add", "rule", "inet", NFT_TABLE, "in", "iifname", "eth0", "drop")));
        Shell.run(exec(List.of("nft", "add", "rule", "inet", NFT_TABLE, "out", "oifname", "eth0", "drop")));
        lost = true;
    }

    /** Removes the drop rules. */
    synchronized void reconnect() {
        if (lost) {
            Shell.run(exec(List.of("nft", "delete", "table", "inet", NFT_TABLE)));
            lost = false;
        }
    }

    public synchronized boolean lost() {
        return lost;
    }

    /** The nft rules inside the namespace, as {@code nft list ruleset} prints them. */
    public String rules() {
        return Shell.run(exec(List.of("nft", "list", "ruleset")));
    }

    /** Deletes the namespace: its veth pair and its rules go with it. Processes inside must be gone first. */
    @Override
    public synchronized void close() {
        try {
            Shell.run(List.of("ip", "netns", "del", name));
        } catch (RuntimeException alreadyGone) {
            // never created, or removed by hand
        }
        try {
            Shell.run(List.of("ip", "link", "del", hostInterface));
        } catch (RuntimeException alreadyGone) {
            // the usual case: deleting the namespace destroyed the pair
        }
        lost = false;
    }

    /** The namespaces of this host created by this code, by name. */
    public static List<String> existing() {
        List<String> names = new ArrayList<>();
        for (String line : Shell.run(List.of("ip", "netns", "list")).split("\n")) {
            String ns = line.strip().split("\\s+")[0];
            if (ns.startsWith(PREFIX)) {
                names.add(ns);
            }
        }
        return names;
    }

    /**
     * Removes namespaces left by a world whose process died without cleaning up (kill -9): kills what still runs
     * in them, then deletes them. Namespaces of living processes are left alone.
     */
    static List<String> sweepStale() {
        List<String> removed = new ArrayList<>();
        for (String ns : existing()) {
            Matcher owner = OWNED.matcher(ns);
            if (!owner.matches() || ProcessHandle.of(Long.parseLong(owner.group(1))).map(ProcessHandle::isAlive)
                    .orElse(false)) {
                continue;
            }
            for (String pid : Shell.run(List.of("ip", "netns", "pids", ns)).split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            Shell.run(List.of("ip", "netns", "del", ns));
            removed.add(ns);
        }
        return removed;
    }
}
