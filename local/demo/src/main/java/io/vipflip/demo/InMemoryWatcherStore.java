package io.vipflip.demo;

import io.vipflip.history.WatcherRecord;
import io.vipflip.history.WatcherStore;
import java.util.Optional;

/**
 * The watcher item with DynamoDB's conditional-write semantics (write only at the expected version), in memory, so
 * the coverage simulation can run a month of invocations in seconds. The DynamoDB implementation's conditions are
 * tested on DynamoDB Local (WatcherHandoffIT). Counts reads and writes for the cost figures.
 */
final class InMemoryWatcherStore implements WatcherStore {
    private WatcherRecord item;
    long reads;
    long writes;

    @Override
    public Optional<WatcherRecord> read() {
        reads++;
        return Optional.ofNullable(item);
    }

    @Override
    public boolean write(long expectedVersion, WatcherRecord next) {
        long current = item == null ? 0 : item.version();
        if (current != expectedVersion) {
            return false;
        }
        writes++;
        item = next;
        return true;
    }
}
