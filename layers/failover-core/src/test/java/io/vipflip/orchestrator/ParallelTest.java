package io.vipflip.orchestrator;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A run's parallel calls fail as the call itself failed: the callers catch the SDK's and our exceptions by type. */
class ParallelTest {

    @Test
    void aRuntimeException_reachesTheCallerAsItself() {
        IllegalStateException thrown = new IllegalStateException("throttled");

        RuntimeException caught = assertThrows(RuntimeException.class,
                () -> Parallel.all(() -> 1, () -> { throw thrown; }, () -> 3));

        assertSame(thrown, caught);
    }

    @Test
    void anError_isWrapped_withItAsTheCause() {
        AssertionError thrown = new AssertionError("broken");

        CompletionException caught = assertThrows(CompletionException.class,
                () -> Parallel.both(() -> { throw thrown; }, () -> 2));

        assertSame(thrown, caught.getCause());
    }

    @Test
    @Timeout(60) // a guard: an interrupt not passed on would leave the executor waiting for ever
    void anInterruptedCaller_stopsWaiting_andKeepsItsInterrupt() {
        CountDownLatch never = new CountDownLatch(1);
        Thread.currentThread().interrupt();
        try {
            CompletionException caught = assertThrows(CompletionException.class,
                    () -> Parallel.all(() -> 1, () -> { await(never); return 2; }, () -> 3));

            assertInstanceOf(InterruptedException.class, caught.getCause());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller's caller");
        } finally {
            Thread.interrupted();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
