package io.vipflip.vantage;

import io.vipflip.probe.ProbeTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * The observers as Lambda functions, invoked synchronously (RequestResponse) all at once. Each call's whole time,
 * SDK retries included, is bounded by the deadline; an observer whose call throws (throttled: 429
 * TooManyRequestsException; 5xx; a timeout) or whose function failed (X-Amz-Function-Error, still HTTP 200) or
 * whose answer does not parse, has no vote (docs/decisions.md 53, AZ observers).
 */
public final class LambdaVantagePoints implements VantagePoints {
    private final LambdaClient lambda;
    private final List<String> functions;

    /** @param functions the observer functions' names or ARNs, one per Availability Zone */
    public LambdaVantagePoints(LambdaClient lambda, List<String> functions) {
        this.lambda = lambda;
        this.functions = List.copyOf(functions);
    }

    /** The observers named in {@code VIPFLIP_OBSERVERS} (comma-separated), none when it is unset or blank. */
    public static List<String> fromEnvironment(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public int count() {
        return functions.size();
    }

    @Override
    public VantageVotes ask(List<ProbeTarget> targets, Duration probeTimeout, Duration deadline) {
        long started = System.nanoTime();
        SdkBytes payload = SdkBytes.fromByteArray(ObserverProtocol.request(new ObserverRequest(targets, probeTimeout)));
        // Platform threads, as for the watch loop's rounds: a virtual thread blocked in a monitor pins its carrier on
        // java21 (decision 52), and a vote that waits for a carrier misses its deadline.
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory());
        Map<String, Future<VantageView>> calls = new LinkedHashMap<>();
        for (String function : functions) {
            calls.put(function, executor.submit(() -> invoke(function, payload, deadline)));
        }
        List<VantageView> answers = new ArrayList<>();
        List<String> silent = new ArrayList<>();
        try {
            for (var call : calls.entrySet()) {
                long left = deadline.toNanos() - (System.nanoTime() - started);
                try {
                    answers.add(call.getValue().get(Math.max(0, left), TimeUnit.NANOSECONDS));
                } catch (TimeoutException late) {
                    call.getValue().cancel(true);
                    silent.add(call.getKey() + ": no answer within " + deadline.toMillis() + "ms");
                } catch (ExecutionException failed) {
                    silent.add(call.getKey() + ": " + summary(failed.getCause()));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    silent.add(call.getKey() + ": interrupted");
                }
            }
        } finally {
            executor.shutdownNow(); // a late call ends on its own timeout; the run does not wait for it
        }
        return new VantageVotes(functions.size(), answers, silent);
    }

    private VantageView invoke(String function, SdkBytes payload, Duration deadline) {
        InvokeResponse response = lambda.invoke(r -> r.functionName(function)
                .invocationType(InvocationType.REQUEST_RESPONSE)
                .payload(payload)
                .overrideConfiguration(o -> o.apiCallTimeout(deadline).apiCallAttemptTimeout(deadline)));
        if (response.functionError() != null) {
            throw new IllegalStateException("function error " + response.functionError() + ": "
                    + clip(response.payload() == null ? "" : response.payload().asUtf8String()));
        }
        return ObserverProtocol.parseAnswer(response.payload().asByteArray());
    }

    private static String summary(Throwable error) {
        return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + clip(error.getMessage()));
    }

    private static String clip(String text) {
        String line = text.replaceAll("\\s+", " ");
        return line.length() <= 160 ? line : line.substring(0, 160) + "...";
    }
}
