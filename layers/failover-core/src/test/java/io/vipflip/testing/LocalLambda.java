package io.vipflip.testing;

import io.vipflip.aws.AwsClients;
import io.vipflip.local.lambda.LambdaEndpoint;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** The functions' own Lambda client (AwsClients: no retries, url-connection) pointed at a local Lambda endpoint. */
public final class LocalLambda {
    private LocalLambda() {
    }

    public static LambdaClient client(LambdaEndpoint endpoint, Duration apiCallTimeout) {
        return new AwsClients(Region.EU_WEST_1, apiCallTimeout,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).lambda(endpoint.uri());
    }
}
