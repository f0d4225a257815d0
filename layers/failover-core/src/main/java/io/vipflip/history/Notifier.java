package io.vipflip.history;

/** Tells people what vipflip recorded: every flip, repair, refusal, pause and resume. */
@FunctionalInterface
public interface Notifier {
    /** A deployment without a topic: nothing is sent. */
    Notifier NONE = event -> { };

    /** Publishes the event; must not throw (a notification never undoes or blocks a flip). */
    void publish(HistoryEvent event);

    /**
     * As {@link #publish(HistoryEvent)}, ending by {@code deadline} (the invocation's end less its margin): a
     * notification must not run a function into its timeout. An implementation without calls may ignore it.
     */
    default void publish(HistoryEvent event, java.time.Instant deadline) {
        publish(event);
    }
}
