package io.vipflip.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.runtime.Answers;
import io.vipflip.runtime.AutomationEvent;
import io.vipflip.runtime.Engine;
import io.vipflip.runtime.EventScreen;
import io.vipflip.runtime.ManualRequest;
import io.vipflip.runtime.RunReporter;
import io.vipflip.runtime.Telemetry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * A CloudWatch alarm on a node (its Lambda action) or an EC2 instance state change → fail over now, in a short
 * burst of rounds: an alarm must be confirmed by the probes; a stopping/stopped/terminated instance is
 * authoritative (DOWN at once), and the burst only waits until a survivor is known healthy (rise).
 */
public final class AlarmFailoverHandler implements RequestStreamHandler {
    private final Engine engine;
    private final AutomationEvent.InstanceScope instances;

    public AlarmFailoverHandler() {
        this(Engine.shared(), AutomationEvent.InstanceScope.fromEnvironment(System.getenv("VIPFLIP_INSTANCE_EVENTS")));
    }

    AlarmFailoverHandler(Engine engine) {
        this(engine, AutomationEvent.InstanceScope.CONFIGURED_NODES);
    }

    AlarmFailoverHandler(Engine engine, AutomationEvent.InstanceScope instances) {
        this.engine = engine;
        this.instances = instances;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] body = input.readNBytes(ManualRequest.MAX_BYTES * 8 + 1);
        ObjectNode answer = Telemetry.withLogging(context, () -> {
            engine.refreshConfig();
            RunReporter reporter = new RunReporter(false);
            ArrayNode runs = JsonNodeFactory.instance.arrayNode();
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            AutomationEvent event = AutomationEvent.parse(body);
            List<AutomationEvent.Target> targets = event.targets(engine.config(), instances);
            if (!targets.isEmpty()) {
                // Late, replayed or outdated events do nothing (issue 11).
                EventScreen.Screened screened = engine.events().screen(event, targets);
                result.put("event", screened.verdict().name()).put("why", screened.why());
                try {
                    for (AutomationEvent.Target target : screened.targets()) {
                        List<RunResult> results = engine.watch().burst(target.group(), target.trigger(),
                                java.time.Duration.ofMillis(context.getRemainingTimeInMillis()), r -> { });
                        results.forEach(reporter::onRun);
                        results.forEach(r -> runs.add(Answers.run("automatic", r)));
                    }
                } catch (RuntimeException failed) {
                    engine.events().release(event); // a retry of this event must not be taken for a duplicate
                    throw failed;
                }
            }
            Telemetry.flush(reporter.metrics());
            return result.set("runs", runs);
        });
        output.write(Answers.bytes(answer));
    }
}
