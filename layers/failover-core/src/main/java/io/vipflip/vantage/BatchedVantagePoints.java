package io.vipflip.vantage;

import io.vipflip.probe.ProbeTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks that coincide share one call per observer (issue 14, observer concurrency). When an AZ fails, every group
 * whose active node stands there wants to flip in the same round; asked one by one, 50 groups are 50 concurrent
 * invocations of each observer — each one more execution environment, so cold starts that miss the deadline, or a
 * throttle at the reserved concurrency — and every one of them is no vote. Here the first ask opens a batch, waits
 * {@code gather} for others with the same probe timeout, and sends them all as one request per observer; each asker
 * gets back the views of its own nodes. Lambda runs one request per execution environment at a time (Lambda
 * developer guide, "Understanding Lambda function scaling"), so one batch is one environment per observer.
 *
 * <p>An ask joins a batch only if it is sent early enough to leave the probe timeout and a round trip before the
 * ask's own deadline, and only while the batch stays within the observer's limits (ports, request size). Each asker
 * waits until its own deadline; one whose batch has not answered by then has no votes (never DOWN votes).
 */
public final class BatchedVantagePoints implements VantagePoints {
    /** How long the first ask waits for others: rounds of groups on one cadence start within a few milliseconds. */
    public static final Duration DEFAULT_GATHER = Duration.ofMillis(20);
    /**
     * What an Invoke round trip needs after the probe timeout (the validated minimum of quorumDeadlineMillis less the
     * probe timeout): an ask never waits for a batch so long that less than this would be left.
     */
    static final Duration ROUND_TRIP = Duration.ofMillis(50);
    /**
     * A batch's size: the ports the observer opens at once (the 512 of the former 32-node limit, well inside Lambda's
     * 1,024 file descriptors) and the request's bytes (the observer reads at most 64 KiB).
     */
    static final int MAX_PORTS = 512;
    static final int MAX_REQUEST_BYTES = 48 * 1024;

    private final VantagePoints observers;
    private final Duration gather;
    private Batch open; // guarded by this

    public BatchedVantagePoints(VantagePoints observers, Duration gather) {
        this.observers = observers;
        this.gather = gather;
    }

    public BatchedVantagePoints(VantagePoints observers) {
        this(observers, DEFAULT_GATHER);
    }

    @Override
    public int count() {
        return observers.count();
    }

    @Override
    public VantageVotes ask(List<ProbeTarget> targets, Duration probeTimeout, Duration deadline) {
        long startedNanos = System.nanoTime();
        long deadlineNanos = startedNanos + deadline.toNanos();
        // The latest moment this ask may be sent and still leave the probe timeout and a round trip.
        long latestSend = deadlineNanos - probeTimeout.toNanos() - ROUND_TRIP.toNanos();
        int ports = targets.stream().mapToInt(t -> t.ports().size()).sum();
        int bytes = ObserverProtocol.request(new ObserverRequest(targets, probeTimeout)).length;
        Batch batch;
        int first;
        boolean leader;
        synchronized (this) {
            leader = open == null || !open.accepts(probeTimeout, targets.size(), ports, bytes, latestSend);
            if (leader) {
                long gatherNanos = Math.max(0, Math.min(gather.toNanos(), latestSend - startedNanos));
                open = new Batch(probeTimeout, startedNanos + gatherNanos);
            }
            batch = open;
            first = batch.add(targets, ports, bytes, deadlineNanos);
        }
        if (leader) {
            send(batch);
        }
        try {
            VantageVotes all = batch.result.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return batch.slice(all, first, targets);
        } catch (TimeoutException late) {
            return silent("no answer within " + deadline.toMillis() + "ms");
        } catch (ExecutionException failed) {
            return silent("the batched ask failed: " + failed.getCause());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return silent("interrupted");
        }
    }

    /**
     * Waits for the others, closes the batch and asks the observers once for all of its members, with the latest of
     * their deadlines: each member stops waiting at its own, so a short one does not cut the others' asks short.
     */
    private void send(Batch batch) {
        try {
            long wait = batch.sendAt - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait));
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (open == batch) {
                open = null;
            }
            batch.closed = true;
        }
        try {
            Duration left = Duration.ofNanos(Math.max(0, batch.latestDeadline - System.nanoTime()));
            batch.result.complete(observers.ask(batch.targets, batch.probeTimeout, left));
        } catch (RuntimeException | Error failed) {
            batch.result.completeExceptionally(failed);
            if (failed instanceof Error error) {
                throw error;
            }
        }
    }

    private VantageVotes silent(String why) {
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < observers.count(); i++) {
            reasons.add(why);
        }
        return new VantageVotes(observers.count(), List.of(), reasons);
    }

    /**
     * The members' targets under batch-unique names ({@code n0}, {@code n1}, …: two groups may both have a node "a",
     * and a prefix could exceed the node-name limit), when it is sent, and the latest deadline. Guarded by the outer
     * lock until closed.
     */
    private static final class Batch {
        final Duration probeTimeout;
        final long sendAt;
        final List<ProbeTarget> targets = new ArrayList<>();
        final CompletableFuture<VantageVotes> result = new CompletableFuture<>();
        long latestDeadline = Long.MIN_VALUE;
        int ports;
        int bytes;
        boolean closed;

        Batch(Duration probeTimeout, long sendAt) {
            this.probeTimeout = probeTimeout;
            this.sendAt = sendAt;
        }

        boolean accepts(Duration timeout, int moreNodes, int morePorts, int moreBytes, long latestSend) {
            return !closed && probeTimeout.equals(timeout) && sendAt <= latestSend
                    && targets.size() + moreNodes <= ObserverRequest.MAX_NODES
                    && ports + morePorts <= MAX_PORTS && bytes + moreBytes <= MAX_REQUEST_BYTES;
        }

        /** Adds a member's targets; returns the index of its first one. */
        int add(List<ProbeTarget> member, int memberPorts, int memberBytes, long deadlineNanos) {
            int first = targets.size();
            for (ProbeTarget t : member) {
                targets.add(new ProbeTarget("n" + targets.size(), t.address(), t.ports(), t.http()));
            }
            ports += memberPorts;
            bytes += memberBytes;
            latestDeadline = Math.max(latestDeadline, deadlineNanos);
            return first;
        }

        /** One member's votes: every observer's view of its nodes, under their own names again. */
        VantageVotes slice(VantageVotes all, int first, List<ProbeTarget> member) {
            List<VantageView> views = new ArrayList<>();
            for (VantageView view : all.answers()) {
                Map<String, NodeSeen> nodes = new LinkedHashMap<>();
                for (int i = 0; i < member.size(); i++) {
                    NodeSeen seen = view.nodes().get("n" + (first + i));
                    if (seen != null) {
                        nodes.put(member.get(i).node(), new NodeSeen(member.get(i).node(), seen.ports()));
                    }
                }
                views.add(new VantageView(view.vantage(), nodes));
            }
            return new VantageVotes(all.observers(), views, all.silent());
        }
    }
}
