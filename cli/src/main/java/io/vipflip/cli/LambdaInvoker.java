package io.vipflip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/** Invokes the deployed manual function (its alias) with the caller's AWS credentials. */
final class LambdaInvoker implements Invoker {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LambdaClient lambda;
    private final String function;

    LambdaInvoker(LambdaClient lambda, String function) {
        this.lambda = lambda;
        this.function = function;
    }

    @Override
    public JsonNode invoke(JsonNode request) {
        try {
            SdkBytes body = SdkBytes.fromByteArray(JSON.writeValueAsBytes(request));
            InvokeResponse response = lambda.invoke(b -> b.functionName(function).payload(body));
            JsonNode payload = JSON.readTree(response.payload().asByteArray());
            if (response.functionError() != null) {
                String type = payload.path("errorType").asText(response.functionError());
                throw new FunctionError(type.substring(type.lastIndexOf('.') + 1), payload.path("errorMessage").asText());
            }
            return payload;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
