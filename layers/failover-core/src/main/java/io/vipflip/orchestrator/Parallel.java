package io.vipflip.orchestrator;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/** Runs independent I/O steps of a run at once (probe, route read, state read), on virtual threads. */
final class Parallel {
    private Parallel() {
    }

    record Three<A, B, C>(A first, B second, C third) {
    }

    record Two<A, B>(A first, B second) {
    }

    static <A, B> Two<A, B> both(Supplier<A> a, Supplier<B> b) {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<A> fa = executor.submit(a::get);
            Future<B> fb = executor.submit(b::get);
            return new Two<>(join(fa), join(fb));
        }
    }

    static <A, B, C> Three<A, B, C> all(Supplier<A> a, Supplier<B> b, Supplier<C> c) {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<A> fa = executor.submit(a::get);
            Future<B> fb = executor.submit(b::get);
            Future<C> fc = executor.submit(c::get);
            return new Three<>(join(fa), join(fb), join(fc));
        }
    }

    private static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }
}
