package io.vipflip.route;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Writes every route change at once (one virtual thread each), so N tables cost about one write's latency. */
public final class ParallelRouteWriter {
    private final RouteTables tables;

    public ParallelRouteWriter(RouteTables tables) {
        this.tables = tables;
    }

    public List<RouteWriteOutcome> writeAll(List<RouteChange> changes) {
        return writeAll(changes, java.time.Duration.ofDays(1));
    }

    /** Every change at once, each call ending within {@code within} (the lease's write window). */
    public List<RouteWriteOutcome> writeAll(List<RouteChange> changes, java.time.Duration within) {
        if (changes.size() == 1) {
            return List.of(tables.write(changes.get(0), within));
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<RouteWriteOutcome>> futures = new ArrayList<>();
            for (RouteChange change : changes) {
                futures.add(executor.submit(() -> tables.write(change, within)));
            }
            List<RouteWriteOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                outcomes.add(await(futures.get(i), changes.get(i)));
            }
            return outcomes;
        }
    }

    private static RouteWriteOutcome await(Future<RouteWriteOutcome> future, RouteChange change) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            return RouteWriteOutcome.failed(change, "write", String.valueOf(e.getCause()), java.time.Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RouteWriteOutcome.failed(change, "write", "interrupted", java.time.Duration.ZERO);
        }
    }
}
