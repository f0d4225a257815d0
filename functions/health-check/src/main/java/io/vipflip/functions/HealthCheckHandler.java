package io.vipflip.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.vipflip.orchestrator.WatchLoop;
import io.vipflip.runtime.Engine;
import io.vipflip.runtime.RunReporter;
import io.vipflip.runtime.Telemetry;
import java.time.Duration;
import java.util.Map;

/** EventBridge schedule (rate 1 minute) → the watch loop for every group, until the invocation's budget ends. */
public final class HealthCheckHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private final Engine engine;

    public HealthCheckHandler() {
        this(Engine.shared());
    }

    HealthCheckHandler(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        return Telemetry.withLogging(context, () -> {
            RunReporter reporter = new RunReporter(true);
            WatchLoop.Summary summary = engine.watch()
                    .run(Duration.ofMillis(context.getRemainingTimeInMillis()), reporter);
            Telemetry.flush(reporter.metrics());
            return Map.of("rounds", summary.rounds(), "errors", summary.errors(), "notable", summary.notable().stream()
                    .map(r -> r.group() + ": " + r.outcome() + " (" + r.decision().reason() + ")").toList());
        });
    }
}
