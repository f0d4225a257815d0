package io.vipflip.local.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/** The endpoint's token buckets through the AWS SDK (no retries), on a driven clock, with the call log. */
class ThrottlingIT {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong();
    private final Ec2Endpoint endpoint = Ec2Endpoint.start(WorldFile.demo(), 0, now::get);
    private final Ec2Client ec2 = Ec2Client.builder().endpointOverride(endpoint.endpoint()).region(Region.EU_WEST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();

    @AfterEach
    void stop() {
        ec2.close();
        endpoint.close();
    }

    @Test
    void describeRouteTables_isThrottledAfterItsBurst_andServedAgainAfterARefill() {
        endpoint.throttling().enabled(true);
        for (int i = 0; i < 100; i++) {
            ec2.describeRouteTables(b -> b.maxResults(100));
        }

        Ec2Exception throttled = assertThrows(Ec2Exception.class, () -> ec2.describeRouteTables(b -> b.maxResults(100)));
        now.addAndGet(SECOND);
        for (int i = 0; i < 20; i++) {
            ec2.describeRouteTables(b -> b.maxResults(100));
        }

        assertEquals("RequestLimitExceeded", throttled.awsErrorDetails().errorCode());
        assertEquals(503, throttled.statusCode());
        assertEquals(1, endpoint.calls().all().stream().filter(c -> c.error().equals("RequestLimitExceeded")).count());
        assertEquals(121, endpoint.calls().count("DescribeRouteTables"), "a throttled call is still a call");
    }

    @Test
    void offByDefault() {
        for (int i = 0; i < 120; i++) {
            ec2.describeRouteTables(b -> b.maxResults(100));
        }
        assertEquals(0, endpoint.calls().all().stream().filter(c -> !c.error().isEmpty()).count());
    }
}
