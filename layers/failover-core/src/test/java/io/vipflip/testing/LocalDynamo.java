package io.vipflip.testing;

import io.vipflip.aws.VipflipTable;
import io.vipflip.local.DynamoDbLocal;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** One DynamoDB Local per test JVM (it starts in about a second); each test takes a fresh table in it. */
public final class LocalDynamo {
    private static DynamoDbLocal server;
    private static DynamoDbClient client;

    private LocalDynamo() {
    }

    public static synchronized DynamoDbClient client() {
        if (server == null) {
            server = DynamoDbLocal.startOnFreePort();
            client = DynamoDbClient.builder()
                    .endpointOverride(server.endpoint())
                    .region(Region.EU_WEST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return client;
    }

    /** A client of its own on the shared server, with {@code interceptor} watching (or altering) every call. */
    public static DynamoDbClient clientWith(software.amazon.awssdk.core.interceptor.ExecutionInterceptor interceptor) {
        return DynamoDbClient.builder()
                .endpointOverride(server().endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(interceptor))
                .build();
    }

    /**
     * An interceptor that notes the call timeout each TransactWriteItems (a history record) was sent with; a day when
     * it had none, so that an unbounded record shows in the assertion.
     */
    public static software.amazon.awssdk.core.interceptor.ExecutionInterceptor recordTimeoutsInto(
            java.util.List<java.time.Duration> timeouts) {
        return new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                        software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                if (context.request() instanceof software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest w) {
                    timeouts.add(w.overrideConfiguration().flatMap(o -> o.apiCallTimeout())
                            .orElse(java.time.Duration.ofDays(1)));
                }
            }
        };
    }

    /** The running server, to make it unreachable and back in fault tests. */
    public static synchronized DynamoDbLocal server() {
        client();
        return server;
    }

    /** A new, empty vipflip table. */
    public static String freshTable() {
        String name = "vipflip-" + UUID.randomUUID();
        VipflipTable.createIfMissing(client(), name);
        return name;
    }
}
