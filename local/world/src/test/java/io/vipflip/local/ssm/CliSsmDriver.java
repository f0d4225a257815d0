package io.vipflip.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import io.vipflip.local.cli.AwsCli;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** The conformance suite's second, independent client: the AWS CLI ({@code aws ssm … --endpoint-url}). */
final class CliSsmDriver implements SsmDriver {
    private final AwsCli cli;

    CliSsmDriver(String aws, URI endpoint) {
        this.cli = new AwsCli(aws, "ssm", endpoint);
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


    private JsonNode run(List<String> args) {
        try {
            return cli.run(args);
        } catch (AwsCli.Refused e) {
            throw new SsmFailure(e.code(), e.getMessage());
        }
    }
}
