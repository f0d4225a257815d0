package io.vipflip.demo;

import java.io.PrintStream;
import java.time.Duration;

/** Prints timestamped lines relative to the demo's start. */
final class Timeline {
    private final long startNanos = System.nanoTime();
    private final PrintStream out;

    Timeline(PrintStream out) {
        this.out = out;
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    long nanosAt(Duration elapsed) {
        return startNanos + elapsed.toNanos();
    }

    Duration sinceStart(long nanoTime) {
        return Duration.ofNanos(nanoTime - startNanos);
    }

    synchronized void say(String format, Object... args) {
        out.printf("%8s  %s%n", stamp(elapsed()), String.format(format, args));
        out.flush();
    }

    static String stamp(Duration d) {
        return String.format("%d.%03ds", d.toSeconds(), d.toMillisPart());
    }
}
