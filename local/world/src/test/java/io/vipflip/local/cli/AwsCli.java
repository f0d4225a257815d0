package io.vipflip.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS CLI as the conformance suites' second, independent client: {@code aws <service> … --endpoint-url},
 * with dummy credentials, no pager and no retries, so each call reaches the local endpoint exactly once.
 */
public final class AwsCli {
    private static final Pattern ERROR = Pattern.compile("An error occurred \\(([^)]+)\\)[^:]*:(.*)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String aws;
    private final String service;
    private final URI endpoint;

    /** A refusal the CLI printed as {@code An error occurred (Code) when calling …: message}. */
    public static final class Refused extends RuntimeException {
        private final String code;

        Refused(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public AwsCli(String aws, String service, URI endpoint) {
        this.aws = aws;
        this.service = service;
        this.endpoint = endpoint;
    }

    /** The AWS CLI to use: Debian's at /usr/bin/aws first, else the first `aws` on PATH. */
    public static Optional<String> find() {
        if (Files.isExecutable(Path.of("/usr/bin/aws"))) {
            return Optional.of("/usr/bin/aws");
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "aws");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    /** Runs one command and returns its JSON output; a refusal throws {@link Refused}. */
    public JsonNode run(List<String> args) {
        List<String> command = new ArrayList<>(List.of(aws, service));
        command.addAll(args);
        command.addAll(List.of("--endpoint-url", endpoint.toString(), "--region", "eu-west-1", "--output", "json"));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_PAGER", "");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.remove("AWS_PROFILE");
        try {
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("aws cli timed out: " + command);
            }
            if (process.exitValue() != 0) {
                Matcher m = ERROR.matcher(err);
                if (m.find()) {
                    throw new Refused(m.group(1), m.group(2).trim());
                }
                throw new IllegalStateException("aws cli failed (" + process.exitValue() + "): " + err);
            }
            return out.isBlank() ? JSON.createObjectNode() : JSON.readTree(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the aws cli: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
