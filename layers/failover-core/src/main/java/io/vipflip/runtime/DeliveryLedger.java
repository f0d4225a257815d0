package io.vipflip.runtime;

import java.time.Instant;

/** Which event deliveries have been taken on already: Lambda may deliver one event more than once. */
public interface DeliveryLedger {
    /**
     * Takes {@code key} on, remembered until at least {@code keepUntil}: true for the first delivery, false for every
     * later one while it is remembered.
     */
    boolean claim(String key, Instant keepUntil);

    /** Forgets a claim whose handling failed, so that a retry of the event is handled. */
    void release(String key);
}
