package io.vipflip.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TCP connect probes with non-blocking NIO: every connect of a round starts at once on one selector, so a
 * refused port fails immediately and an unanswered one fails when the shared timeout ends.
 */
public final class TcpProber implements Prober {

    private record Attempt(String node, int port, SocketChannel channel, long startedNanos) {
    }

    @Override
    public ProbeRound probe(List<ProbeTarget> targets, Duration timeout) {
        Map<String, List<PortResult>> results = new LinkedHashMap<>();
        targets.forEach(t -> results.put(t.node(), new ArrayList<>()));
        try (Selector selector = Selector.open()) {
            List<Attempt> pending = new ArrayList<>();
            for (ProbeTarget target : targets) {
                for (int port : target.ports()) {
                    start(target, port, selector, pending, results);
                }
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            int unanswered = pending.size();
            while (unanswered > 0 && System.nanoTime() < deadline) {
                selector.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                for (SelectionKey key : selector.selectedKeys()) {
                    finish((Attempt) key.attachment(), key, results);
                    unanswered--;
                }
                selector.selectedKeys().clear();
            }
            for (SelectionKey key : selector.keys()) {
                if (!key.isValid()) {
                    continue; // answered: cancelled in finish()
                }
                Attempt attempt = (Attempt) key.attachment();
                record(results, attempt, PortResult.failed(attempt.port(), elapsed(attempt),
                        "no answer within " + timeout.toMillis() + "ms"));
                close(attempt.channel());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for probing", e);
        }
        Map<String, NodeProbe> nodes = new LinkedHashMap<>();
        results.forEach((node, ports) -> nodes.put(node, new NodeProbe(node, ports)));
        return new ProbeRound(nodes);
    }

    private static void start(ProbeTarget target, int port, Selector selector, List<Attempt> pending,
                              Map<String, List<PortResult>> results) {
        long started = System.nanoTime();
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            Attempt attempt = new Attempt(target.node(), port, channel, started);
            if (channel.connect(new InetSocketAddress(target.address(), port))) {
                record(results, attempt, PortResult.open(port, elapsed(attempt)));
                close(channel);
                return;
            }
            channel.register(selector, SelectionKey.OP_CONNECT, attempt);
            pending.add(attempt);
        } catch (IOException | RuntimeException e) {
            results.get(target.node()).add(PortResult.failed(port, Duration.ofNanos(System.nanoTime() - started),
                    describe(e)));
            if (channel != null) {
                close(channel);
            }
        }
    }

    private static void finish(Attempt attempt, SelectionKey key, Map<String, List<PortResult>> results) {
        try {
            if (attempt.channel().finishConnect()) {
                record(results, attempt, PortResult.open(attempt.port(), elapsed(attempt)));
            } else {
                record(results, attempt, PortResult.failed(attempt.port(), elapsed(attempt), "connect not finished"));
            }
        } catch (IOException e) {
            record(results, attempt, PortResult.failed(attempt.port(), elapsed(attempt), describe(e)));
        } finally {
            key.cancel();
            close(attempt.channel());
        }
    }

    private static void record(Map<String, List<PortResult>> results, Attempt attempt, PortResult result) {
        results.get(attempt.node()).add(result);
    }

    private static Duration elapsed(Attempt attempt) {
        return Duration.ofNanos(System.nanoTime() - attempt.startedNanos());
    }

    private static String describe(Exception e) {
        if (e instanceof ConnectException) {
            return "refused";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a probe socket that failed to connect has nothing left to report.
        }
    }
}
