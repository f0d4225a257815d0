package io.vipflip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vipflip.aws.AwsClients;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** The on-call engineer's tool: {@code vipflip status|history|failover|failback|reconcile|pause|resume|group}. */
@Command(name = "vipflip", mixinStandardHelpOptions = true, version = "vipflip 0.1.0",
        description = "Operate vipflip: see where the VIP points, force, pause or undo a failover.",
        subcommands = {VipflipCli.Status.class, VipflipCli.History.class, VipflipCli.Failover.class,
                VipflipCli.Failback.class, VipflipCli.Reconcile.class, VipflipCli.Pause.class, VipflipCli.Resume.class, GroupCommands.class})
public final class VipflipCli {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--function-name", description = "The manual function (name, ARN or name:alias); default $VIPFLIP_FUNCTION",
            scope = CommandLine.ScopeType.INHERIT)
    String functionName = System.getenv("VIPFLIP_FUNCTION");

    @Option(names = "--region", description = "AWS region; default $AWS_REGION", scope = CommandLine.ScopeType.INHERIT)
    String region = System.getenv("AWS_REGION");

    @Option(names = "--local", description = "Run the manual function in-process against the local world: the running sandbox "
            + "(./sandbox, found by its state file), or the endpoints in the environment (AWS_ENDPOINT_URL_*, "
            + "VIPFLIP_TABLE, VIPFLIP_CONFIG)", scope = CommandLine.ScopeType.INHERIT)
    boolean local;

    @Option(names = "--json", description = "Print the function's JSON answer", scope = CommandLine.ScopeType.INHERIT)
    boolean json;

    Invoker invoker;
    io.vipflip.config.SsmConfigParameters parameters;
    String localConfigPath;
    PrintStream out = System.out;
    PrintStream err = System.err;
    java.io.InputStream in = System.in;

    public static void main(String[] args) {
        // The engine's JSON logs are for CloudWatch; at a terminal only warnings belong beside the tables.
        System.setProperty("vipflip.logLevel", System.getProperty("vipflip.logLevel", "WARN"));
        System.exit(new CommandLine(new VipflipCli()).execute(args));
    }

    Invoker invoker() {
        if (invoker != null) {
            return invoker;
        }
        if (local) {
            return new LocalInvoker(LocalSandbox.engine(System.getenv()));
        }
        if (functionName == null || functionName.isBlank()) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--function-name (or VIPFLIP_FUNCTION) is required: the ManualFailoverFunctionName stack output, e.g. my-stack-ManualFailoverFunction-abc:live");
        }
        Region resolved = Region.of(region == null || region.isBlank() ? "us-east-1" : region);
        return new LambdaInvoker(LambdaClient.builder().region(resolved)
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .credentialsProvider(AwsClients.runtimeCredentials()).build(), functionName);
    }

    /** The group parameters in SSM (the SDK's standard endpoint settings apply: AWS_ENDPOINT_URL_SSM). */
    io.vipflip.config.SsmConfigParameters parameters() {
        if (parameters == null && local) { // the sandbox's Parameter Store, found like --local's other endpoints
            java.util.Map<String, String> env = LocalSandbox.environment(System.getenv());
            String endpoint = env.get("AWS_ENDPOINT_URL_SSM");
            if (endpoint == null) {
                throw new IllegalStateException("--local: the local world names no SSM endpoint (AWS_ENDPOINT_URL_SSM)");
            }
            parameters = new io.vipflip.config.SsmConfigParameters(new AwsClients(
                    Region.of(env.getOrDefault("AWS_REGION", "eu-west-1")), java.time.Duration.ofSeconds(10),
                    software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                    .ssm(java.net.URI.create(endpoint)));
            localConfigPath = env.get("VIPFLIP_CONFIG_PATH");
        }
        if (parameters == null) {
            Region resolved = Region.of(region == null || region.isBlank() ? "us-east-1" : region);
            parameters = new io.vipflip.config.SsmConfigParameters(
                    new AwsClients(resolved, java.time.Duration.ofSeconds(10)).ssm());
        }
        return parameters;
    }

    int send(ObjectNode request, java.util.function.Consumer<JsonNode> print) {
        try {
            JsonNode answer = invoker().invoke(request);
            if (json) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
            } else {
                print.accept(answer);
            }
            return exitCode(answer);
        } catch (Invoker.FunctionError e) {
            System.err.println(e.type + ": " + e.getMessage());
            return 2;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * 3 when what was asked is not done (or the answer's outcome is one this CLI does not know: read the answer),
     * else 0. A status or history answer has no outcome.
     */
    static int exitCode(JsonNode answer) {
        if (!answer.has("outcome")) {
            return 0;
        }
        return io.vipflip.orchestrator.Outcome.named(answer.path("outcome").asText())
                .map(o -> o.unfinished() ? 3 : 0).orElse(3);
    }

    static ObjectNode request(String action, String group) {
        return JSON.createObjectNode().put("action", action).put("group", group);
    }

    abstract static class GroupCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        VipflipCli cli;

        @Option(names = {"-g", "--group"}, required = true, description = "The HA group")
        String group;

        Printer printer() {
            return new Printer(cli.out);
        }
    }

    abstract static class ChangeCommand extends GroupCommand {
        @Option(names = "--reason", description = "Why (goes into history and the notification)")
        String reason;

        @Option(names = "--dry-run", description = "Show what would happen; write nothing")
        boolean dryRun;

        ObjectNode change(String action) {
            ObjectNode request = request(action, group);
            if (reason != null) {
                request.put("reason", reason);
            }
            if (dryRun) {
                request.put("dryRun", true);
            }
            return request;
        }
    }

    @Command(name = "status", description = "Where the VIP points, each table, each node's health, lease, recent history")
    static final class Status extends GroupCommand {
        public Integer call() {
            return cli.send(request("status", group), a -> printer().answer(a));
        }
    }

    @Command(name = "history", description = "The group's latest history events")
    static final class History extends GroupCommand {
        @Option(names = "--limit", defaultValue = "20")
        int limit;

        public Integer call() {
            return cli.send(request("status", group), a -> printer().history(a.path("history"), limit));
        }
    }

    @Command(name = "failover", description = "Move the VIP to a node and pin it there until failback")
    static final class Failover extends ChangeCommand {
        @Option(names = "--to", required = true, description = "Target node")
        String target;

        @Option(names = "--force", description = "Skip the health check (never the lease)")
        boolean force;

        public Integer call() {
            ObjectNode request = change("failover").put("target", target);
            if (force) {
                request.put("force", true);
            }
            return cli.send(request, a -> printer().answer(a));
        }
    }

    @Command(name = "failback", description = "Clear the pin and return to the highest-priority healthy node")
    static final class Failback extends ChangeCommand {
        public Integer call() {
            return cli.send(change("failback"), a -> printer().answer(a));
        }
    }

    @Command(name = "reconcile", description = "Repair drifted tables now")
    static final class Reconcile extends ChangeCommand {
        public Integer call() {
            return cli.send(change("reconcile"), a -> printer().answer(a));
        }
    }

    @Command(name = "pause", description = "Stop automatic flips (manual failover still works)")
    static final class Pause extends ChangeCommand {
        public Integer call() {
            return cli.send(change("pause"), a -> printer().answer(a));
        }
    }

    @Command(name = "resume", description = "Resume automatic flips")
    static final class Resume extends ChangeCommand {
        public Integer call() {
            return cli.send(change("resume"), a -> printer().answer(a));
        }
    }
}
