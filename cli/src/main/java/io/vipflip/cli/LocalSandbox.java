package io.vipflip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.vipflip.aws.AwsClients;
import io.vipflip.config.ConfigParser;
import io.vipflip.runtime.Engine;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * How {@code --local} finds the local world: the variables already in the environment when they name one
 * (VIPFLIP_CONFIG set), otherwise the running sandbox's state file ({@code $VIPFLIP_SANDBOX_STATE}, else
 * {@code vipflip-sandbox.json} in the temporary directory; written by {@code ./sandbox}, which owns its format).
 */
final class LocalSandbox {
    static final String STATE_VARIABLE = "VIPFLIP_SANDBOX_STATE";

    private LocalSandbox() {
    }

    /**
     * The manual function wired to the local world. With the sandbox's state file the endpoints are passed to the
     * clients explicitly: the SDK reads {@code AWS_ENDPOINT_URL_*} from the process environment only, which a
     * state file cannot change.
     */
    static Engine engine(Map<String, String> processEnv) {
        Map<String, String> env = environment(processEnv);
        if (env == processEnv) {
            return Engine.fromEnvironment(env);
        }
        AwsClients clients = new AwsClients(Region.of(env.getOrDefault("AWS_REGION", "eu-west-1")), Duration.ofSeconds(10),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(env.getOrDefault("AWS_ACCESS_KEY_ID", "local"),
                        env.getOrDefault("AWS_SECRET_ACCESS_KEY", "local"))));
        if (env.containsKey("VIPFLIP_CONFIG_PATH")) { // the sandbox runs on one parameter per group
            return Engine.fromParameters(new io.vipflip.config.GroupParameters(env.get("VIPFLIP_CONFIG_PATH")),
                    new io.vipflip.config.SsmConfigParameters(clients.ssm(URI.create(env.get("AWS_ENDPOINT_URL_SSM")))),
                    Duration.ofSeconds(60), env.get(Engine.TABLE_VARIABLE),
                    clients.ec2(URI.create(env.get("AWS_ENDPOINT_URL_EC2"))),
                    clients.dynamo(URI.create(env.get("AWS_ENDPOINT_URL_DYNAMODB"))), Clock.systemUTC(),
                    "vipflip-cli:" + UUID.randomUUID(), io.vipflip.history.Notifier.NONE);
        }
        return Engine.create(new ConfigParser().parse(env.get("VIPFLIP_CONFIG")), env.get(Engine.TABLE_VARIABLE),
                clients.ec2(URI.create(env.get("AWS_ENDPOINT_URL_EC2"))),
                clients.dynamo(URI.create(env.get("AWS_ENDPOINT_URL_DYNAMODB"))), Clock.systemUTC(),
                "vipflip-cli:" + UUID.randomUUID());
    }

    /** The environment to wire the manual function from: {@code env}, completed from the sandbox's state file. */
    static Map<String, String> environment(Map<String, String> env) {
        if (env.containsKey("VIPFLIP_CONFIG") || env.containsKey("VIPFLIP_CONFIG_PARAMETER")) {
            return env;
        }
        Path file = stateFile(env);
        if (!Files.exists(file)) {
            throw new IllegalStateException("--local: no local world found: no sandbox state file at " + file
                    + " (start one with ./sandbox) and no VIPFLIP_CONFIG in the environment");
        }
        JsonNode state;
        try {
            state = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("--local: cannot read the sandbox state file " + file, e);
        }
        long pid = state.path("pid").asLong(-1);
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalStateException("--local: the sandbox that wrote " + file + " (pid " + pid
                    + ") is not running; start one with ./sandbox");
        }
        Map<String, String> merged = new HashMap<>(env);
        state.path("environment").properties().forEach(e -> merged.put(e.getKey(), e.getValue().asText()));
        return merged;
    }

    static Path stateFile(Map<String, String> env) {
        String configured = env.get(STATE_VARIABLE);
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "vipflip-sandbox.json");
    }
}
