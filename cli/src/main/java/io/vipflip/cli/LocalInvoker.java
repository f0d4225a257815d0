package io.vipflip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vipflip.runtime.Engine;
import io.vipflip.runtime.InvalidRequestException;
import io.vipflip.runtime.ManualActions;
import io.vipflip.runtime.ManualRequest;
import io.vipflip.runtime.RunReporter;

/**
 * Runs the manual function's code in-process, wired from the environment exactly as the function wires itself
 * (VIPFLIP_TABLE, VIPFLIP_CONFIG, AWS_ENDPOINT_URL_*): how the CLI drives the local world.
 */
final class LocalInvoker implements Invoker {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Engine engine;

    LocalInvoker(Engine engine) {
        this.engine = engine;
    }

    @Override
    public JsonNode invoke(JsonNode request) {
        try {
            ManualActions actions = new ManualActions(engine);
            ManualRequest parsed = actions.parse(JSON.writeValueAsBytes(request));
            return actions.execute(parsed, new RunReporter(false));
        } catch (InvalidRequestException e) {
            throw new FunctionError(e.getClass().getSimpleName(), e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
