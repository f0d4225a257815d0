package io.vipflip.history;

/**
 * A watcher write whose outcome is unknown: the SDK resent it after a lost answer, and by then another invocation had
 * changed the item, so an earlier copy may have landed and been replaced. The caller goes on from what the item says.
 */
public final class WatcherWriteUnknownException extends RuntimeException {
    public WatcherWriteUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
