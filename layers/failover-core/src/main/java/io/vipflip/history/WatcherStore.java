package io.vipflip.history;

import java.util.Optional;

/** The deployment's watcher item (issue 13 §1). */
public interface WatcherStore {

    /** The item as it is now (strongly consistent), or empty before any loop ever watched. */
    Optional<WatcherRecord> read();

    /**
     * Replaces the item with {@code next} only if it still has {@code expectedVersion} (0: only if absent).
     *
     * @return false when another invocation changed it first; nothing is written
     * @throws WatcherWriteUnknownException when it cannot be known whether the write landed
     */
    boolean write(long expectedVersion, WatcherRecord next);
}
