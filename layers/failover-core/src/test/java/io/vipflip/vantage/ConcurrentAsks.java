package io.vipflip.vantage;

import io.vipflip.probe.ProbeTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Asks released at one moment, each from its own thread, as the watch loop's concurrent rounds ask. */
final class ConcurrentAsks {
    private ConcurrentAsks() {
    }

    /** The i-th ask probes {@code asks[i]} and waits up to {@code deadlines[i]}; the votes in the same order. */
    static List<VantageVotes> atOnce(VantagePoints points, List<List<ProbeTarget>> asks, Duration probeTimeout,
                                     List<Duration> deadlines) throws Exception {
        // A warm JVM: the JSON writer's first use (class loading, seconds on a loaded machine) is not the test.
        ObserverProtocol.request(new ObserverRequest(asks.getFirst(), probeTimeout));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(asks.size());
        try {
            List<Future<VantageVotes>> futures = new ArrayList<>();
            for (int i = 0; i < asks.size(); i++) {
                List<ProbeTarget> targets = asks.get(i);
                Duration deadline = deadlines.get(i);
                futures.add(threads.submit(() -> {
                    start.await();
                    return points.ask(targets, probeTimeout, deadline);
                }));
            }
            start.countDown();
            List<VantageVotes> votes = new ArrayList<>();
            for (Future<VantageVotes> f : futures) {
                votes.add(f.get());
            }
            return votes;
        } finally {
            threads.shutdownNow();
        }
    }
}
