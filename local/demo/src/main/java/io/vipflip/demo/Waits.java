package io.vipflip.demo;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling for a condition with a deadline: how the demo and the benchmark watch the world from outside. */
final class Waits {
    private Waits() {
    }

    static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(2);
        }
        return condition.getAsBoolean();
    }
}
