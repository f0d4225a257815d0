package io.vipflip.runtime;

import io.vipflip.aws.AwsClients;
import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.config.TimingBudget;
import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.history.Notifier;
import io.vipflip.history.SnsNotifier;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.lease.LeaseOwner;
import io.vipflip.orchestrator.GroupControl;
import io.vipflip.orchestrator.Orchestrator;
import io.vipflip.orchestrator.WatchLoop;
import io.vipflip.probe.TcpProber;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.route.Ec2RouteTables;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Everything a vipflip function needs, wired once per container: configuration, SDK clients, the orchestrator
 * and the watch loop. Handlers take an Engine in their package-private constructor; their public no-arg one
 * uses {@link #shared()}, the only static state (Lambda reuses it across warm invocations).
 */
public record Engine(DeploymentConfig config, Orchestrator orchestrator, GroupControl control, WatchLoop watch,
                     Ec2Client ec2) {
    public static final String TABLE_VARIABLE = "VIPFLIP_TABLE";
    public static final String TOPIC_VARIABLE = "VIPFLIP_TOPIC_ARN";
    private static Engine shared;

    /** The container's engine, built from the environment on first use. */
    public static synchronized Engine shared() {
        if (shared == null) {
            shared = fromEnvironment(System.getenv());
        }
        return shared;
    }

    /** Builds from {@code VIPFLIP_TABLE} and the configuration ({@code VIPFLIP_CONFIG} or an SSM parameter). */
    public static Engine fromEnvironment(Map<String, String> env) {
        String table = env.get(TABLE_VARIABLE);
        if (table == null || table.isBlank()) {
            throw new IllegalStateException(TABLE_VARIABLE + ": is required (the DynamoDB table for leases and history)");
        }
        // Calls other than route writes (those get the lease's bound per request): TimingBudget, decision 13.
        AwsClients clients = new AwsClients(AwsClients.regionFromEnvironment("us-east-1"),
                TimingBudget.API_CALL_TIMEOUT);
        String document = ConfigSource.read(env, clients);
        DeploymentConfig config = new ConfigParser().parse(document);
        // Unique per execution environment even under SnapStart: renewed by the afterRestore hook (decision 12).
        LeaseOwner owner = LeaseOwner.perEnvironment(env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "vipflip"))
                .registeredForRestore();
        String topic = env.get(TOPIC_VARIABLE);
        Notifier notifier = topic == null || topic.isBlank() ? Notifier.NONE : new SnsNotifier(clients.sns(), topic);
        return create(config, table, clients.ec2(), clients.dynamo(), Clock.systemUTC(), owner, notifier);
    }

    /** Wires the engine on explicit clients (the local world, tests). */
    public static Engine create(DeploymentConfig config, String table, Ec2Client ec2, DynamoDbClient dynamo,
                                Clock clock, String owner) {
        return create(config, table, ec2, dynamo, clock, owner, Notifier.NONE);
    }

    public static Engine create(DeploymentConfig config, String table, Ec2Client ec2, DynamoDbClient dynamo,
                                Clock clock, String owner, Notifier notifier) {
        return create(config, table, ec2, dynamo, clock, LeaseOwner.fixed(owner), notifier);
    }

    public static Engine create(DeploymentConfig config, String table, Ec2Client ec2, DynamoDbClient dynamo,
                                Clock clock, LeaseOwner owner, Notifier notifier) {
        DynamoLeaseStore leases = new DynamoLeaseStore(dynamo, table);
        DynamoGroupStateStore states = new DynamoGroupStateStore(dynamo, table, config.historyTtl());
        Orchestrator orchestrator = new Orchestrator(config, new Ec2NodeResolver(ec2), new TcpProber(),
                new Ec2RouteTables(ec2), leases, states, clock, owner, notifier);
        GroupControl control = new GroupControl(config, leases, states, clock, owner, notifier);
        WatchLoop watch = new WatchLoop(orchestrator, clock, d -> Thread.sleep(d.toMillis()));
        return new Engine(config, orchestrator, control, watch, ec2);
    }
}
