package io.vipflip.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The one place SDK clients are built: an explicit region, the URL-connection HTTP client (no Netty/Apache),
 * the SDK's standard retry strategy (throttling backoff; 5 attempts, so a write survives heavy throttling), and
 * endpoints from the SDK's standard settings
 * ({@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_EC2}, …), which is how the local world and LocalStack are
 * reached. Credentials come from the default provider chain (the Lambda runtime's, under SnapStart too).
 */
public final class AwsClients {
    static final int MAX_ATTEMPTS = 5;

    static {
        // HttpURLConnection silently sends a POST again after some I/O errors on a reused connection (JDK-6382788);
        // a route write must go once per attempt we count, or a "throttled" answer could hide a copy that lands.
        // Read when the JDK's HTTP client class loads: the template sets it in JAVA_TOOL_OPTIONS as well.
        if (System.getProperty("sun.net.http.retryPost") == null) {
            System.setProperty("sun.net.http.retryPost", "false");
        }
    }
    private final Region region;
    private final SdkHttpClient http;
    private final ClientOverrideConfiguration overrides;
    private final AwsCredentialsProvider credentials;

    /** Clients with the runtime's credentials (see {@link #runtimeCredentials()}). */
    public AwsClients(Region region, Duration apiCallTimeout) {
        this(region, apiCallTimeout, runtimeCredentials());
    }

    public AwsClients(Region region, Duration apiCallTimeout, AwsCredentialsProvider credentials) {
        this.region = region;
        this.credentials = credentials;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5))
                .build();
        this.overrides = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build())
                .apiCallTimeout(apiCallTimeout)
                .build();
    }

    /**
     * Under SnapStart, Lambda serves credentials through the container endpoint rather than environment variables
     * (a restored snapshot must not reuse the ones it was taken with); elsewhere the default chain.
     */
    public static AwsCredentialsProvider runtimeCredentials() {
        return System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null
                ? ContainerCredentialsProvider.create() : DefaultCredentialsProvider.builder().build();
    }

    /** The region from {@code AWS_REGION} (always set in Lambda), or the given fallback. */
    public static Region regionFromEnvironment(String fallback) {
        String region = System.getenv("AWS_REGION");
        return Region.of(region == null || region.isBlank() ? fallback : region);
    }

    public Ec2Client ec2() {
        return Ec2Client.builder().region(region).credentialsProvider(credentials).httpClient(http).overrideConfiguration(overrides).build();
    }

    public DynamoDbClient dynamo() {
        return DynamoDbClient.builder().region(region).credentialsProvider(credentials).httpClient(http).overrideConfiguration(overrides).build();
    }

    public SnsClient sns() {
        return SnsClient.builder().region(region).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(overrides).build();
    }

    public SsmClient ssm() {
        return SsmClient.builder().region(region).credentialsProvider(credentials).httpClient(http).overrideConfiguration(overrides).build();
    }

    /**
     * Invokes the AZ observers; each invocation sets its own timeout, bounded by the quorum deadline. No retries: a
     * throttled observer (429) will not have capacity a few milliseconds later, and a vote after the deadline is
     * no vote; the next round asks again (docs/decisions.md 53, AZ observers).
     */
    public LambdaClient lambda() {
        return LambdaClient.builder().region(region).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(observerOverrides()).build();
    }

    /** A Lambda client for an explicit endpoint (the local world's observers), otherwise as {@link #lambda()}. */
    public LambdaClient lambda(URI endpoint) {
        return LambdaClient.builder().region(region).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(observerOverrides()).endpointOverride(endpoint).build();
    }

    private ClientOverrideConfiguration observerOverrides() {
        return overrides.toBuilder().retryStrategy(AwsRetryStrategy.doNotRetry()).build();
    }

    /** An EC2 client for an explicit endpoint (the local world, LocalStack), otherwise as {@link #ec2()}. */
    public Ec2Client ec2(URI endpoint) {
        return Ec2Client.builder().region(region).credentialsProvider(credentials).httpClient(http).overrideConfiguration(overrides)
                .endpointOverride(endpoint).build();
    }

    public DynamoDbClient dynamo(URI endpoint) {
        return DynamoDbClient.builder().region(region).credentialsProvider(credentials).httpClient(http).overrideConfiguration(overrides)
                .endpointOverride(endpoint).build();
    }

    /** An SSM client for an explicit endpoint (the local world), otherwise as {@link #ssm()}. */
    public SsmClient ssm(URI endpoint) {
        return SsmClient.builder().region(region).credentialsProvider(credentials).httpClient(http).overrideConfiguration(overrides)
                .endpointOverride(endpoint).build();
    }

    /** A DynamoDB client whose calls also pass through {@code interceptor} (benchmarks count calls with it). */
    public DynamoDbClient dynamo(URI endpoint, software.amazon.awssdk.core.interceptor.ExecutionInterceptor interceptor) {
        return DynamoDbClient.builder().region(region).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(overrides.toBuilder().addExecutionInterceptor(interceptor).build())
                .endpointOverride(endpoint).build();
    }
}
