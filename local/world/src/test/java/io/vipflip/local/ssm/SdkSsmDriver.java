package io.vipflip.local.ssm;

import java.net.URI;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.SsmException;

/** The conformance suite's first client: the AWS SDK for Java v2 {@code SsmClient}, over HTTP. */
final class SdkSsmDriver implements SsmDriver {
    private final SsmClient ssm;

    SdkSsmDriver(URI endpoint) {
        this.ssm = SsmClient.builder().endpointOverride(endpoint).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Override
    public long put(String name, String value, String type, boolean overwrite) {
        return call(() -> ssm.putParameter(b -> b.name(name).value(value).type(type).overwrite(overwrite)).version());
    }

    @Override
    public Param get(String name) {
        return call(() -> {
            var p = ssm.getParameter(b -> b.name(name).withDecryption(true)).parameter();
            return new Param(p.name(), p.value(), p.version());
        });
    }

    @Override
    public List<Param> byPath(String path, boolean recursive, int pageSize) {
        return call(() -> ssm.getParametersByPathPaginator(b -> b.path(path).recursive(recursive).withDecryption(true)
                .maxResults(pageSize)).stream().flatMap(page -> page.parameters().stream())
                .map(p -> new Param(p.name(), p.value(), p.version())).toList());
    }

    @Override
    public void delete(String name) {
        call(() -> ssm.deleteParameter(b -> b.name(name)));
    }

    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (SsmException e) {
            String message = e.awsErrorDetails().errorMessage();
            throw new SsmFailure(e.awsErrorDetails().errorCode(), message == null ? "" : message);
        }
    }
}
