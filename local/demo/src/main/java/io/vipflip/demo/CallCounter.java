package io.vipflip.demo;

import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/** Counts API calls made through an SDK client (one per operation, retries not counted again). */
public final class CallCounter implements ExecutionInterceptor {
    private final AtomicLong calls = new AtomicLong();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.incrementAndGet();
    }

    public long count() {
        return calls.get();
    }

    public void reset() {
        calls.set(0);
    }
}
