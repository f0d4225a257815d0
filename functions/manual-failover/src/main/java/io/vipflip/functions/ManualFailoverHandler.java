package io.vipflip.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vipflip.runtime.Answers;
import io.vipflip.runtime.Engine;
import io.vipflip.runtime.ManualActions;
import io.vipflip.runtime.ManualRequest;
import io.vipflip.runtime.RunReporter;
import io.vipflip.runtime.Telemetry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Operators' direct invoke: status, failover (target, reason, force), failback, reconcile, pause, resume, each
 * with dryRun. A malformed request fails with InvalidRequestException naming the field, before anything runs.
 */
public final class ManualFailoverHandler implements RequestStreamHandler {
    private final Engine engine;
    private final ManualActions actions;

    public ManualFailoverHandler() {
        this(Engine.shared());
    }

    ManualFailoverHandler(Engine engine) {
        this.engine = engine;
        this.actions = new ManualActions(engine);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] body = input.readNBytes(ManualRequest.MAX_BYTES + 1);
        ObjectNode answer = Telemetry.withLogging(context, () -> {
            ManualRequest request = actions.parse(body);
            RunReporter reporter = new RunReporter(false);
            ObjectNode result = actions.execute(request, reporter,
                    java.time.Duration.ofMillis(context.getRemainingTimeInMillis()));
            Telemetry.flush(reporter.metrics());
            return result;
        });
        output.write(Answers.bytes(answer));
    }
}
