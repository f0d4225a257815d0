package io.vipflip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vipflip.config.ConfigException;
import io.vipflip.config.ConfigParameter;
import io.vipflip.config.ConfigParser;
import io.vipflip.config.GroupConfig;
import io.vipflip.config.GroupParameters;
import io.vipflip.config.ParameterProblem;
import io.vipflip.config.SsmConfigParameters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vipflip group put|get|list|remove}: one SSM parameter per group under {@code --config-path}
 * ({@code $VIPFLIP_CONFIG_PATH}), validated before anything is written. Talks to SSM through the SDK's standard
 * settings, so {@code AWS_ENDPOINT_URL_SSM} points it at the local world.
 */
@Command(name = "group", description = "Add, show, list or remove groups (one SSM parameter each, no redeploy)",
        subcommands = {GroupCommands.Put.class, GroupCommands.Get.class, GroupCommands.ListGroups.class,
                GroupCommands.Remove.class})
final class GroupCommands {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String REFRESH_NOTE = "the functions apply it within their refresh interval (60 s by default)";

    @CommandLine.ParentCommand
    VipflipCli cli;

    @Option(names = "--config-path", description = "The stack's parameter path, e.g. /vipflip/my-stack; default $VIPFLIP_CONFIG_PATH",
            scope = CommandLine.ScopeType.INHERIT)
    String configPath = System.getenv("VIPFLIP_CONFIG_PATH");

    GroupParameters layout() {
        cli.parameters(); // with --local, also finds the sandbox's path
        if ((configPath == null || configPath.isBlank()) && cli.localConfigPath != null) {
            configPath = cli.localConfigPath;
        }
        if (configPath == null || configPath.isBlank()) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--config-path (or VIPFLIP_CONFIG_PATH) is required: the ConfigPath of the stack, e.g. /vipflip/my-stack");
        }
        try {
            return new GroupParameters(configPath.trim());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage().replace("VIPFLIP_CONFIG_PATH", "--config-path"));
        }
    }

    abstract static class Sub implements Callable<Integer> {
        @CommandLine.ParentCommand
        GroupCommands group;

        SsmConfigParameters ssm() {
            return group.cli.parameters();
        }
    }

    @Command(name = "put", description = "Validate a group document (JSON file, or - for stdin) and write it to <path>/groups/<name>")
    static final class Put extends Sub {
        @Option(names = {"-f", "--file"}, description = "The group document; - (the default) reads stdin", defaultValue = "-")
        String file;

        public Integer call() throws IOException {
            GroupParameters layout = group.layout();
            String text = file.equals("-") ? new String(group.cli.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file));
            GroupConfig parsed;
            try {
                parsed = new ConfigParser().parseGroup(text);
            } catch (ConfigException e) {
                return refuse("invalid group document, nothing written:", e.errors());
            }
            String value = JSON.writeValueAsString(JSON.readTree(text)); // compact: the standard tier holds 4,096 characters
            if (value.length() > SsmConfigParameters.STANDARD_TIER_MAX_CHARS) {
                return refuse("group document too large, nothing written:", List.of("document: is " + value.length()
                        + " characters once compacted; a standard-tier parameter holds at most "
                        + SsmConfigParameters.STANDARD_TIER_MAX_CHARS));
            }
            String name = layout.groupParameter(parsed.name());
            List<ConfigParameter> existing = ssm().underPath(layout.root());
            List<ConfigParameter> after = new ArrayList<>(existing.stream().filter(p -> !p.name().equals(name)).toList());
            after.add(new ConfigParameter(name, value, Long.MAX_VALUE, Instant.MAX));
            GroupParameters.Loaded running = layout.load(existing);
            Optional<ParameterProblem> conflict = layout.reload(after, running).problems().stream()
                    .filter(p -> p.parameter().equals(name)).findFirst();
            if (conflict.isPresent()) {
                return refuse("group '" + parsed.name() + "' conflicts with the groups already configured, nothing written:",
                        conflict.get().errors());
            }
            long version = ssm().put(name, value);
            group.cli.out.println((version == 1 ? "created " : "updated ") + name + " (version " + version + ", "
                    + value.length() + " characters): group " + parsed.name() + ", " + parsed.nodes().size()
                    + " nodes, VIPs " + String.join(", ", parsed.vips()));
            group.cli.out.println(REFRESH_NOTE);
            return 0;
        }

        private int refuse(String headline, List<String> errors) {
            group.cli.err.println(headline);
            errors.forEach(e -> group.cli.err.println("  " + e));
            return 2;
        }
    }

    @Command(name = "get", description = "Print a group's document (pipe it to a file, edit, put it back)")
    static final class Get extends Sub {
        @Option(names = {"-g", "--group"}, required = true, description = "The HA group")
        String name;

        public Integer call() throws IOException {
            String parameter = group.layout().groupParameter(name);
            Optional<ConfigParameter> found = ssm().get(parameter);
            if (found.isEmpty()) {
                group.cli.err.println("no group '" + name + "': " + parameter + " does not exist");
                return 2;
            }
            JsonNode document = JSON.readTree(found.get().value());
            group.cli.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
            return 0;
        }
    }

    @Command(name = "list", description = "Every group parameter: version, when written, valid or why not")
    static final class ListGroups extends Sub {
        public Integer call() {
            GroupParameters layout = group.layout();
            List<ConfigParameter> parameters = ssm().underPath(layout.root());
            GroupParameters.Loaded loaded = layout.load(parameters);
            group.cli.out.printf("%-24s %-8s %-21s %s%n", "GROUP", "VERSION", "MODIFIED", "STATUS");
            for (ConfigParameter p : parameters.stream().sorted(java.util.Comparator.comparing(ConfigParameter::name)).toList()) {
                String shortName = p.name().substring(layout.root().length() + 1);
                String label = shortName.startsWith("groups/") ? shortName.substring("groups/".length()) : "(" + shortName + ")";
                Optional<ParameterProblem> problem = loaded.problems().stream().filter(x -> x.parameter().equals(p.name())).findFirst();
                String status = problem.map(x -> "INVALID " + String.join("; ", x.errors()))
                        .orElseGet(() -> loaded.config().group(label).map(g -> "ok, VIPs " + String.join(", ", g.vips()))
                                .orElse("ok"));
                group.cli.out.printf("%-24s %-8s %-21s %s%n", label, p.version(),
                        p.lastModified().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), status);
            }
            return loaded.problems().isEmpty() ? 0 : 3;
        }
    }

    @Command(name = "remove", description = "Delete a group's parameter: vipflip stops watching it and leaves its routes as they are")
    static final class Remove extends Sub {
        @Option(names = {"-g", "--group"}, required = true, description = "The HA group")
        String name;

        public Integer call() {
            String parameter = group.layout().groupParameter(name);
            if (!ssm().delete(parameter)) {
                group.cli.err.println("no group '" + name + "': " + parameter + " does not exist");
                return 2;
            }
            group.cli.out.println("deleted " + parameter + ": its routes are left as they are; the watch loop stops "
                    + "watching it and records the removal in its history within its refresh interval (60 s by default)");
            return 0;
        }
    }

}
