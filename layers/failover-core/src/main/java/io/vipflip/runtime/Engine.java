package io.vipflip.runtime;

import io.vipflip.aws.AwsClients;
import io.vipflip.vantage.BatchedVantagePoints;
import io.vipflip.vantage.LambdaVantagePoints;
import io.vipflip.vantage.VantagePoints;
import io.vipflip.config.ConfigParameters;
import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.config.GroupParameters;
import io.vipflip.config.SsmConfigParameters;
import io.vipflip.config.TimingBudget;
import io.vipflip.history.DynamoGroupStateStore;
import io.vipflip.history.DynamoWatcherStore;
import io.vipflip.history.Notifier;
import io.vipflip.history.SnsNotifier;
import io.vipflip.lease.DynamoLeaseStore;
import io.vipflip.lease.LeaseOwner;
import io.vipflip.orchestrator.ConfigUpdates;
import io.vipflip.orchestrator.GroupControl;
import io.vipflip.orchestrator.Orchestrator;
import io.vipflip.orchestrator.WatchLoop;
import io.vipflip.orchestrator.WatcherTurn;
import io.vipflip.probe.TcpProber;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.route.Ec2RouteTables;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Everything a vipflip function needs, wired once per container: configuration, SDK clients, the orchestrator
 * and the watch loop. Handlers take an Engine in their package-private constructor; their public no-arg one
 * uses {@link #shared()}, the only static state (Lambda reuses it across warm invocations).
 */
public record Engine(Orchestrator orchestrator, GroupControl control, WatchLoop watch, Ec2Client ec2,
                     Optional<ConfigUpdates> updates, EventScreen events, Optional<DocumentUpdates> document) {
    public static final String TABLE_VARIABLE = "VIPFLIP_TABLE";
    public static final String TOPIC_VARIABLE = "VIPFLIP_TOPIC_ARN";
    /** The AZ observer functions, comma-separated (issue 14); unset: no observers. */
    public static final String OBSERVERS_VARIABLE = "VIPFLIP_OBSERVERS";
    private static Engine shared;

    /** The groups the engine runs now (they change between rounds when their parameters change). */
    public DeploymentConfig config() {
        return orchestrator.config();
    }

    /**
     * At the start of an invocation of the alarm or manual function: applies changed group parameters when a check
     * is due (the watch loop does its own checks, and records them).
     */
    public void refreshConfig() {
        updates.ifPresent(ConfigUpdates::refreshIfDue);
        document.ifPresent(DocumentUpdates::applyIfDue);
    }

    /** Reads the group parameters now: a request names a group this container does not know (yet). */
    public boolean reloadConfig() {
        return updates.map(u -> !u.reload().isEmpty()).orElse(false);
    }

    /** The same engine, screening automation events with {@code screen}. */
    public Engine withEvents(EventScreen screen) {
        return new Engine(orchestrator, control, watch, ec2, updates, screen, document);
    }

    /** The container's engine, built from the environment on first use. */
    public static synchronized Engine shared() {
        if (shared == null) {
            shared = fromEnvironment(System.getenv());
        }
        return shared;
    }

    /**
     * Builds from {@code VIPFLIP_TABLE} and the configuration: {@code VIPFLIP_CONFIG}, the SSM parameter named by
     * {@code VIPFLIP_CONFIG_PARAMETER}, or one SSM parameter per group under {@code VIPFLIP_CONFIG_PATH}.
     */
    public static Engine fromEnvironment(Map<String, String> env) {
        String table = env.get(TABLE_VARIABLE);
        if (table == null || table.isBlank()) {
            throw new IllegalStateException(TABLE_VARIABLE + ": is required (the DynamoDB table for leases and history)");
        }
        // Calls other than route writes (those get the lease's bound per request): TimingBudget, decision 25.
        AwsClients clients = new AwsClients(AwsClients.regionFromEnvironment("us-east-1"),
                TimingBudget.API_CALL_TIMEOUT);
        // Unique per execution environment even under SnapStart: renewed by the afterRestore hook (decision 24).
        LeaseOwner owner = LeaseOwner.perEnvironment(env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "vipflip"))
                .registeredForRestore();
        String topic = env.get(TOPIC_VARIABLE);
        Notifier notifier = topic == null || topic.isBlank() ? Notifier.NONE : new SnsNotifier(clients.sns(), topic);
        List<String> observers = LambdaVantagePoints.fromEnvironment(env.get(OBSERVERS_VARIABLE));
        VantagePoints vantage = observers.isEmpty() ? VantagePoints.NONE
                : new BatchedVantagePoints(new LambdaVantagePoints(clients.lambda(), observers));
        Optional<String> path = ConfigSource.path(env);
        Duration maxEventAge = EventScreen.maxAgeFromEnvironment(env);
        Engine engine;
        if (path.isPresent()) {
            engine = fromParameters(new GroupParameters(path.get()), new SsmConfigParameters(clients.ssm()),
                    ConfigSource.refresh(env), table, clients.ec2(), clients.dynamo(), Clock.systemUTC(), owner, notifier,
                    vantage);
            engine.updates().orElseThrow().registeredForRestore();
        } else if (ConfigSource.inline(env)) {
            DeploymentConfig config = new ConfigParser().parse(env.get(ConfigSource.INLINE));
            engine = create(config, table, clients.ec2(), clients.dynamo(), Clock.systemUTC(), owner, notifier, vantage);
        } else {
            // One SSM client for the container's life: the document is re-read every refresh period.
            software.amazon.awssdk.services.ssm.SsmClient ssm = clients.ssm();
            engine = fromDocument(() -> ConfigSource.read(env, ssm), ConfigSource.refresh(env), table,
                    clients.ec2(), clients.dynamo(), Clock.systemUTC(), owner, notifier, vantage);
            engine.document().orElseThrow().registeredForRestore();
        }
        return engine.withEvents(engine.events().withMaxAge(maxEventAge));
    }

    /**
     * Wires the engine on one parameter per group: loads them (a bad group is reported and skipped, the others
     * load) and re-reads them every {@code refresh}.
     */
    public static Engine fromParameters(GroupParameters layout, ConfigParameters store, Duration refresh, String table,
                                        Ec2Client ec2, DynamoDbClient dynamo, Clock clock, String owner,
                                        Notifier notifier) {
        return fromParameters(layout, store, refresh, table, ec2, dynamo, clock, LeaseOwner.fixed(owner), notifier);
    }

    public static Engine fromParameters(GroupParameters layout, ConfigParameters store, Duration refresh, String table,
                                        Ec2Client ec2, DynamoDbClient dynamo, Clock clock, LeaseOwner owner,
                                        Notifier notifier) {
        return fromParameters(layout, store, refresh, table, ec2, dynamo, clock, owner, notifier, VantagePoints.NONE);
    }

    public static Engine fromParameters(GroupParameters layout, ConfigParameters store, Duration refresh, String table,
                                        Ec2Client ec2, DynamoDbClient dynamo, Clock clock, LeaseOwner owner,
                                        Notifier notifier, VantagePoints vantage) {
        GroupParameters.Loaded loaded = layout.load(store.underPath(layout.root()));
        Parts parts = parts(loaded.config(), table, ec2, dynamo, clock, owner, notifier, vantage);
        ConfigUpdates updates = new ConfigUpdates(layout, store, loaded, parts.orchestrator(), parts.control(), clock,
                refresh);
        WatchLoop watch = watchLoop(parts, clock, updates, dynamo, table, owner);
        return new Engine(parts.orchestrator(), parts.control(), watch, ec2, Optional.of(updates),
                events(clock, ec2, dynamo, table), Optional.empty());
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
        return create(config, table, ec2, dynamo, clock, owner, notifier, VantagePoints.NONE);
    }

    /** With the AZ observers that {@code vantage: quorum} groups ask before flipping (issue 14). */
    public static Engine create(DeploymentConfig config, String table, Ec2Client ec2, DynamoDbClient dynamo,
                                Clock clock, LeaseOwner owner, Notifier notifier, VantagePoints vantage) {
        Parts parts = parts(config, table, ec2, dynamo, clock, owner, notifier, vantage);
        WatchLoop watch = watchLoop(parts, clock, WatchLoop.Updates.NONE, dynamo, table, owner);
        return new Engine(parts.orchestrator(), parts.control(), watch, ec2, Optional.empty(),
                events(clock, ec2, dynamo, table), Optional.empty());
    }

    /**
     * Wires the engine on the whole document that {@code read} returns ({@code VIPFLIP_CONFIG_PARAMETER}), read now
     * and again every {@code refresh} and after a SnapStart restore ({@link DocumentUpdates}).
     */
    public static Engine fromDocument(java.util.function.Supplier<String> read, Duration refresh, String table,
                                      Ec2Client ec2, DynamoDbClient dynamo, Clock clock, LeaseOwner owner,
                                      Notifier notifier) {
        return fromDocument(read, refresh, table, ec2, dynamo, clock, owner, notifier, VantagePoints.NONE);
    }

    public static Engine fromDocument(java.util.function.Supplier<String> read, Duration refresh, String table,
                                      Ec2Client ec2, DynamoDbClient dynamo, Clock clock, LeaseOwner owner,
                                      Notifier notifier, VantagePoints vantage) {
        String text = read.get();
        Parts parts = parts(new ConfigParser().parse(text), table, ec2, dynamo, clock, owner, notifier, vantage);
        DocumentUpdates document = new DocumentUpdates(read, text, parts.orchestrator(), parts.control(), clock,
                refresh);
        WatchLoop watch = watchLoop(parts, clock, document, dynamo, table, owner);
        return new Engine(parts.orchestrator(), parts.control(), watch, ec2, Optional.empty(),
                events(clock, ec2, dynamo, table), Optional.of(document));
    }

    private static EventScreen events(Clock clock, Ec2Client ec2, DynamoDbClient dynamo, String table) {
        return new EventScreen(clock, EventScreen.DEFAULT_MAX_AGE, new DynamoDeliveryLedger(dynamo, table),
                new Ec2InstanceStates(ec2));
    }

    /**
     * The watch loop of every configuration source, wired in one place so that none misses the hand-off: one loop
     * watches at a time, the watch passing between invocations through the table (issue 13 §1), each group's round
     * in its own thread (§4).
     */
    private static WatchLoop watchLoop(Parts parts, Clock clock, WatchLoop.Updates updates, DynamoDbClient dynamo,
                                       String table, LeaseOwner owner) {
        WatchLoop.Handoff handoff = new WatchLoop.Handoff(new DynamoWatcherStore(dynamo, table), owner,
                WatcherTurn.Settings.DEFAULT);
        return new WatchLoop(parts.orchestrator(), clock, d -> Thread.sleep(d.toMillis()), updates,
                Optional.of(handoff), WatchLoop.RoundRunner.CONCURRENT);
    }

    private record Parts(Orchestrator orchestrator, GroupControl control) {
    }

    private static Parts parts(DeploymentConfig config, String table, Ec2Client ec2, DynamoDbClient dynamo,
                               Clock clock, LeaseOwner owner, Notifier notifier, VantagePoints vantage) {
        DynamoLeaseStore leases = new DynamoLeaseStore(dynamo, table);
        DynamoGroupStateStore states = new DynamoGroupStateStore(dynamo, table, config.historyTtl());
        Orchestrator orchestrator = new Orchestrator(config, new Ec2NodeResolver(ec2), new TcpProber(),
                new Ec2RouteTables(ec2), leases, states, clock, owner, notifier, vantage);
        GroupControl control = new GroupControl(config, leases, states, clock, owner, notifier);
        return new Parts(orchestrator, control);
    }
}
