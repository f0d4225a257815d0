package io.vipflip.orchestrator;

import java.time.Duration;

/**
 * The waits of one {@link WatchLoop}, and whether a stop or an interrupt cut one short. One instance is shared by the
 * watch, the alarm burst and the watcher hand-off, so {@link WatchLoop#stop()} ends whichever of them runs, and the
 * interrupt is remembered here and restored to the thread only once the counters are handed over.
 */
final class LoopPause {
    private final WatchLoop.Sleeper sleeper;
    private volatile boolean stopRequested;
    private boolean interrupted;

    LoopPause(WatchLoop.Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    /** For good: a stopped loop stays stopped. */
    void requestStop() {
        stopRequested = true;
    }

    /** True once a stop was requested; it then counts as an interrupt. */
    boolean stopping() {
        if (!stopRequested) {
            return false;
        }
        interrupted = true;
        return true;
    }

    /** Waits {@code duration}; false when a stop or an interrupt cut the wait short. */
    boolean pause(Duration duration) {
        if (stopping()) {
            return false;
        }
        if (duration.isNegative() || duration.isZero()) {
            return true;
        }
        try {
            sleeper.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            interrupted = true; // restored once the hand-over is written
            return false;
        }
    }

    /** Remembers an interrupt the loop met while waiting for its rounds rather than sleeping. */
    void noteInterruptIf(boolean interruptedMeanwhile) {
        if (interruptedMeanwhile) {
            interrupted = true;
        }
    }

    boolean interrupted() {
        return interrupted;
    }

    /** Sets the thread's interrupt flag again if a wait was cut short. */
    void restoreInterrupt() {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
