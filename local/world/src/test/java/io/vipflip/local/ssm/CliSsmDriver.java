package io.vipflip.local.ssm;

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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The conformance suite's second, independent client: the AWS CLI ({@code aws ssm … --endpoint-url}). */
final class CliSsmDriver implements SsmDriver {
    private static final Pattern ERROR = Pattern.compile("An error occurred \\(([^)]+)\\)[^:]*:(.*)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String aws;
    private final URI endpoint;

    CliSsmDriver(String aws, URI endpoint) {
        this.aws = aws;
        this.endpoint = endpoint;
    }

    @Override
    public long put(String name, String value, String type, boolean overwrite) {
        List<String> args = new ArrayList<>(List.of("put-parameter", "--name", name, "--value", value));
        if (type != null) {
            args.addAll(List.of("--type", type));
        }
        args.add(overwrite ? "--overwrite" : "--no-overwrite");
        return run(args).path("Version").asLong();
    }

    @Override
    public Param get(String name) {
        JsonNode p = run(List.of("get-parameter", "--name", name, "--with-decryption")).path("Parameter");
        return new Param(p.path("Name").asText(), p.path("Value").asText(), p.path("Version").asLong());
    }

    @Override
    public List<Param> byPath(String path, boolean recursive, int pageSize) {
        List<String> args = new ArrayList<>(List.of("get-parameters-by-path", "--path", path, "--with-decryption",
                "--page-size", Integer.toString(pageSize)));
        args.add(recursive ? "--recursive" : "--no-recursive");
        List<Param> params = new ArrayList<>();
        run(args).path("Parameters").forEach(p -> params.add(new Param(p.path("Name").asText(),
                p.path("Value").asText(), p.path("Version").asLong())));
        return params;
    }

    @Override
    public void delete(String name) {
        run(List.of("delete-parameter", "--name", name));
    }

    /** The AWS CLI to use: Debian's at /usr/bin/aws first, else the first `aws` on PATH. */
    static java.util.Optional<String> find() {
        if (Files.isExecutable(Path.of("/usr/bin/aws"))) {
            return java.util.Optional.of("/usr/bin/aws");
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "aws"))) {
                return java.util.Optional.of(Path.of(dir, "aws").toString());
            }
        }
        return java.util.Optional.empty();
    }

    private JsonNode run(List<String> args) {
        List<String> command = new ArrayList<>(List.of(aws, "ssm"));
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
                    throw new SsmFailure(m.group(1), m.group(2).trim());
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
