package io.vipflip.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipflip.policy.HistoryKind;
import io.vipflip.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/** A notification never runs a function into its timeout: its call ends by the invocation's end (issue 11). */
class SnsNotifierTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private final List<Duration> timeouts = new ArrayList<>();
    private final MutableClock clock = new MutableClock(T0);
    /** The real client; the interceptor records each call's timeout and stops it before the network. */
    private final SnsClient sns = SnsClient.builder().endpointOverride(URI.create("http://127.0.0.1:9"))
            .region(Region.EU_WEST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    timeouts.add(((PublishRequest) context.request()).overrideConfiguration()
                            .flatMap(o -> o.apiCallTimeout()).orElse(Duration.ZERO));
                    throw SdkClientException.create("stopped by the test");
                }
            })).build();
    private final SnsNotifier notifier = new SnsNotifier(sns, "arn:aws:sns:eu-west-1:123456789012:vipflip", clock);
    private final HistoryEvent event = new HistoryEvent("web", T0, 7, HistoryKind.PAUSED, "manual:pause", Optional.empty(),
            Optional.empty(), "maintenance", List.of(), Map.of());

    @Test
    void theCallEndsByTheDeadline_orByTheClientsOwnLimitWhenThatComesFirst() {
        notifier.publish(event, T0.plusMillis(1_500));
        notifier.publish(event, T0.plusSeconds(60));
        notifier.publish(event);

        assertEquals(List.of(Duration.ofMillis(1_500), Duration.ofSeconds(10), Duration.ofSeconds(10)), timeouts);
    }

    @Test
    void withNoTimeLeft_nothingIsSent_andNothingIsThrown() {
        notifier.publish(event, T0.plusMillis(99));
        notifier.publish(event, T0.minusSeconds(1));

        assertEquals(List.of(), timeouts);
        notifier.publish(event, T0.plusMillis(100));
        assertEquals(List.of(Duration.ofMillis(100)), timeouts);
    }
}
