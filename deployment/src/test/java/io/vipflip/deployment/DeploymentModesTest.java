package io.vipflip.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.health.GroupHealth;
import io.vipflip.health.HealthState;
import io.vipflip.health.NodeHealth;
import io.vipflip.orchestrator.Outcome;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.policy.Decision;
import io.vipflip.route.VipRoute;
import io.vipflip.runtime.AutomationEvent;
import io.vipflip.runtime.MetricPoint;
import io.vipflip.runtime.RunReporter;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What each deployment mode creates (issue 10): endpoints, many groups, async invocation, alarms, the table. */
class DeploymentModesTest {
    private static final List<String> FUNCTIONS = List.of("HealthCheckFunction", "AlarmFailoverFunction", "ManualFailoverFunction");

    // --- VPC endpoints ---

    @Test
    void dynamoDb_isAGatewayEndpoint_onTheGivenRouteTables_neverAnInterfaceEndpoint() {
        Deployment deployment = Deployment.of(Map.of("DynamoDbGatewayRouteTableIds", List.of("rtb-0ccccccccccccccc3")));

        for (String endpoint : deployment.resourcesOfType("AWS::EC2::VPCEndpoint")) {
            Map<String, Object> p = deployment.properties(endpoint);
            if (String.valueOf(p.get("ServiceName")).endsWith(".dynamodb")) {
                assertEquals("Gateway", p.get("VpcEndpointType"), endpoint);
                assertEquals(List.of("rtb-0ccccccccccccccc3"), p.get("RouteTableIds"));
                assertFalse(p.containsKey("PrivateDnsEnabled"), "DynamoDB's PrivateLink has no private DNS");
            }
        }
        assertTrue(deployment.has("DynamoDbEndpoint"));
        assertFalse(Deployment.defaults().has("DynamoDbEndpoint"), "no route tables given: none created");
    }

    @Test
    void theEndpointDefaults_assumeNoNat_soTheDynamoDbRouteTablesMustBeGiven() {
        // Before: EC2/SNS endpoints on by default but DynamoDB off - the stack deployed and every round failed.
        assertEquals(List.of("DynamoDbEndpointNeedsRouteTables"), Deployment.defaults().failedRules());
        Deployment noNat = Deployment.of(Map.of("DynamoDbGatewayRouteTableIds", List.of("rtb-0ccccccccccccccc3")));
        assertEquals(List.of(), noNat.failedRules());
        assertTrue(noNat.has("DynamoDbEndpoint") && noNat.has("Ec2Endpoint") && noNat.has("SnsEndpoint"));

        Deployment nat = Deployment.of(Map.of("CreateEc2Endpoint", "false", "CreateSnsEndpoint", "false",
                "CreateDynamoDbEndpoint", "false", "DynamoDbGatewayRouteTableIds", List.of("rtb-0ccccccccccccccc3")));
        assertEquals(List.of(), nat.failedRules());
        assertEquals(List.of(), nat.resourcesOfType("AWS::EC2::VPCEndpoint"), "false means none, even with tables");
        assertEquals(List.of("DynamoDbEndpointNeedsRouteTables"), Deployment.of(Map.of("DynamoDbGatewayRouteTableIds",
                List.of("rtb-0ccccccccccccccc3", ""))).failedRules(), "an empty member is refused too");
    }

    @Test
    void theOtherRules_stillHold() {
        Map<String, Object> tables = Map.of("DynamoDbGatewayRouteTableIds", List.of("rtb-0ccccccccccccccc3"));
        assertEquals(List.of("TemplateConfigurationNeedsBothNodes"), Deployment.of(merge(tables, Map.of("NodeBInstanceId", ""))).failedRules());
        assertEquals(List.of("SsmParameterConfigurationNeedsItsName"), Deployment.of(merge(tables, Map.of("ConfigSource", "ssm-parameter"))).failedRules());
        assertEquals(List.of(), Deployment.of(merge(tables, Map.of("ConfigSource", "ssm-path", "NodeAInstanceId", ""))).failedRules());
    }

    private static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> out = new java.util.HashMap<>(a);
        out.putAll(b);
        return out;
    }

    @Test
    void eachInterfaceEndpoint_isOptionalOnItsOwn() {
        assertEquals(Set.of("Ec2Endpoint", "SnsEndpoint"), interfaceEndpoints(Map.of()));
        assertEquals(Set.of("SnsEndpoint"), interfaceEndpoints(Map.of("CreateEc2Endpoint", "false")));
        assertEquals(Set.of("Ec2Endpoint"), interfaceEndpoints(Map.of("CreateSnsEndpoint", "false")));
        assertEquals(Set.of("Ec2Endpoint", "SnsEndpoint", "SsmEndpoint"), interfaceEndpoints(Map.of("ConfigSource", "ssm-path")));
        assertEquals(Set.of("Ec2Endpoint", "SnsEndpoint"), interfaceEndpoints(Map.of("ConfigSource", "ssm-path", "CreateSsmEndpoint", "false")));
        Deployment none = Deployment.of(Map.of("CreateEc2Endpoint", "false", "CreateSnsEndpoint", "false"));
        assertEquals(Set.of(), Set.copyOf(none.resourcesOfType("AWS::EC2::VPCEndpoint")));
        assertFalse(none.has("EndpointSecurityGroup"));
    }

    @Test
    void noCloudWatchOrLogsEndpoint_lambdaShipsLogsAndEmfItself() {
        Deployment deployment = Deployment.of(Map.of("ConfigSource", "ssm-path"));
        for (String endpoint : deployment.resourcesOfType("AWS::EC2::VPCEndpoint")) {
            String service = String.valueOf(deployment.properties(endpoint).get("ServiceName"));
            assertFalse(service.endsWith(".logs") || service.endsWith(".monitoring"), service);
        }
    }

    @Test
    void interfaceEndpoints_takeTheirOwnOneSubnetPerAzList_whenGiven() {
        List<String> perAz = List.of("subnet-0eeeeeeeeeeeeeee1", "subnet-0fffffffffffffff2");
        Deployment deployment = Deployment.of(Map.of("EndpointSubnetIds", perAz));
        assertEquals(perAz, deployment.properties("Ec2Endpoint").get("SubnetIds"));
        assertEquals(Deployment.REQUIRED.get("SubnetIds"), Deployment.defaults().properties("Ec2Endpoint").get("SubnetIds"));
        assertEquals(true, deployment.properties("Ec2Endpoint").get("PrivateDnsEnabled"));
    }

    private static Set<String> interfaceEndpoints(Map<String, Object> parameters) {
        Deployment deployment = Deployment.of(parameters);
        Set<String> out = new HashSet<>();
        for (String endpoint : deployment.resourcesOfType("AWS::EC2::VPCEndpoint")) {
            if ("Interface".equals(deployment.properties(endpoint).get("VpcEndpointType"))) {
                out.add(endpoint);
            }
        }
        return out;
    }

    // --- Many groups (SSM) ---

    @Test
    void manyGroups_readTheirPath_andWatchEveryInstancesStateChanges() {
        Deployment deployment = Deployment.of(Map.of("ConfigSource", "ssm-path"));

        assertEquals("/vipflip/vipflip-prod", deployment.environment().get("VIPFLIP_CONFIG_PATH"));
        assertFalse(deployment.environment().containsKey("VIPFLIP_CONFIG"));
        assertFalse(deployment.environment().containsKey("VIPFLIP_CONFIG_PARAMETER"));
        assertEquals(Map.of("state", List.of("stopping", "stopped", "shutting-down", "terminated")),
                stateChangePattern(deployment).get("detail"), "every instance: the function keeps its groups' nodes");
        assertFalse(deployment.has("NodeAStatusCheckAlarm"), "the template's two nodes are not a group here");
        assertEquals("all", alarmFunctionEnvironment(deployment).get("VIPFLIP_INSTANCE_EVENTS"),
                "the function must ignore, not refuse, the other instances' events");
        assertEquals(AutomationEvent.InstanceScope.ALL_INSTANCES, AutomationEvent.InstanceScope.fromEnvironment(
                (String) alarmFunctionEnvironment(deployment).get("VIPFLIP_INSTANCE_EVENTS")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> alarmFunctionEnvironment(Deployment deployment) {
        return (Map<String, Object>) ((Map<String, Object>) deployment.properties("AlarmFailoverFunction")
                .get("Environment")).get("Variables");
    }

    @Test
    void oneSsmDocument_isStillSupported() {
        Deployment deployment = Deployment.of(Map.of("ConfigSource", "ssm-parameter", "ConfigParameterName", "/ops/vipflip"));
        assertEquals("/ops/vipflip", deployment.environment().get("VIPFLIP_CONFIG_PARAMETER"));
        assertFalse(deployment.environment().containsKey("VIPFLIP_CONFIG_PATH"));
    }

    @Test
    void oneGroupFromParameters_watchesOnlyItsTwoInstances() {
        Deployment deployment = Deployment.defaults();
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = (Map<String, Object>) stateChangePattern(deployment).get("detail");
        assertEquals(List.of("i-0aaaaaaaaaaaaaaa1", "i-0bbbbbbbbbbbbbbb2"), detail.get("instance-id"));
        assertTrue(deployment.has("NodeAStatusCheckAlarm") && deployment.has("NodeBStatusCheckAlarm"));
        assertEquals(AutomationEvent.InstanceScope.CONFIGURED_NODES, AutomationEvent.InstanceScope.fromEnvironment(
                (String) alarmFunctionEnvironment(deployment).get("VIPFLIP_INSTANCE_EVENTS")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stateChangePattern(Deployment deployment) {
        Map<String, Object> events = (Map<String, Object>) deployment.properties("AlarmFailoverFunction").get("Events");
        Map<String, Object> rule = (Map<String, Object>) events.get("NodeInstanceStopping");
        return (Map<String, Object>) ((Map<String, Object>) rule.get("Properties")).get("Pattern");
    }

    // --- Asynchronous invocation, concurrency, SnapStart ---

    @Test
    @SuppressWarnings("unchecked")
    void everyFunction_neverRetriesAsyncInvocations_andSendsFailuresToTheQueue() {
        Deployment deployment = Deployment.defaults();
        for (String function : FUNCTIONS) {
            Map<String, Object> config = (Map<String, Object>) deployment.properties(function).get("EventInvokeConfig");
            assertEquals(0, config.get("MaximumRetryAttempts"), function);
            Map<String, Object> onFailure = (Map<String, Object>) ((Map<String, Object>) config.get("DestinationConfig")).get("OnFailure");
            assertEquals("getatt:FailedInvocationQueue.Arn", onFailure.get("Destination"), function);
        }
        int alarmAge = (Integer) ((Map<String, Object>) deployment.properties("AlarmFailoverFunction").get("EventInvokeConfig")).get("MaximumEventAgeInSeconds");
        int watchAge = (Integer) ((Map<String, Object>) deployment.properties("HealthCheckFunction").get("EventInvokeConfig")).get("MaximumEventAgeInSeconds");
        assertTrue(alarmAge <= 120, "a stale alarm event must not act: " + alarmAge);
        // The function's own bound on an event's age (by its time) is the queue's (issue 11; docs/decisions.md,
        // "Late, replayed and outdated events").
        assertEquals(String.valueOf(alarmAge), alarmFunctionEnvironment(deployment).get("VIPFLIP_MAX_EVENT_AGE_SECONDS"));
        assertTrue(watchAge <= 60, "a late watch loop is replaced by the next minute's: " + watchAge);
        assertTrue(Deployment.resourcesOf(deployment.allowing("sqs:SendMessage").getFirst()).contains("getatt:FailedInvocationQueue.Arn"));
        assertEquals("ApproximateNumberOfMessagesVisible", deployment.properties("FailedInvocationsAlarm").get("MetricName"));
    }

    @Test
    void reservedConcurrency_isOptIn_andTheDocumentedQuotaIsWhatItNeeds() throws Exception {
        // Lambda keeps 100 of the account's concurrency unreserved; new accounts may have less than 100 + 15.
        int total = 0;
        Deployment reserving = Deployment.of(Map.of("ReserveConcurrency", "true"));
        for (String function : FUNCTIONS) {
            assertFalse(Deployment.defaults().properties(function).containsKey("ReservedConcurrentExecutions"),
                    function + ": the default stack must be creatable in a new account");
            Object reserved = reserving.properties(function).get("ReservedConcurrentExecutions");
            assertTrue(reserved instanceof Integer n && n >= 2, function + ": " + reserved);
            total += (Integer) reserved;
        }
        assertTrue((Integer) reserving.properties("HealthCheckFunction").get("ReservedConcurrentExecutions") >= 2,
                "two watch loops overlap at the minute boundary");
        String quota = String.valueOf(100 + total);
        String description = String.valueOf(((Map<?, ?>) TemplateTest.section("Parameters").get("ReserveConcurrency")).get("Description"));
        assertTrue(description.contains(quota), "the parameter must state the quota it needs: " + quota);
        assertTrue(java.nio.file.Files.readString(TemplateTest.ROOT.resolve("docs/deploy.md")).contains("≥ " + quota),
                "docs/deploy.md must state the quota it needs: " + quota);
    }

    @Test
    @SuppressWarnings("unchecked")
    void snapStart_onlyOnFunctionsAScheduleInvokesAtLeastDaily() {
        // A SnapStart version not invoked for 14 days goes Inactive; the next invoke fails (SnapStartNotReadyException).
        Map<String, Object> globals = (Map<String, Object>) TemplateTest.section("Globals").get("Function");
        assertFalse(globals.containsKey("SnapStart"), "SnapStart per function, where it stays ready");
        for (String function : FUNCTIONS) {
            Map<String, Object> p = Deployment.defaults().properties(function);
            if (p.containsKey("SnapStart")) {
                Map<String, Object> events = (Map<String, Object>) p.getOrDefault("Events", Map.of());
                assertTrue(events.values().stream().map(e -> (Map<String, Object>) e)
                        .anyMatch(e -> "ScheduleV2".equals(e.get("Type"))), function + " has SnapStart but no schedule");
            }
        }
        assertTrue(Deployment.defaults().properties("HealthCheckFunction").containsKey("SnapStart"));
    }

    @Test
    void snapStart_canBeTurnedOff_forRegionsWithoutIt() {
        Deployment without = Deployment.of(Map.of("SnapStart", "false"));
        for (String function : FUNCTIONS) {
            assertFalse(without.properties(function).containsKey("SnapStart"), function);
        }
        assertEquals(Map.of("ApplyOn", "PublishedVersions"), Deployment.defaults().properties("HealthCheckFunction").get("SnapStart"));
    }

    @Test
    void theHeartbeatAlarm_toleratesLostMinutes() {
        // A SnapStart version may go Inactive when Lambda recycles its environment: an invocation is lost.
        Map<String, Object> alarm = Deployment.defaults().properties("HeartbeatMissingAlarm");
        int periods = (Integer) alarm.get("EvaluationPeriods");
        assertEquals(60, alarm.get("Period"));
        assertTrue(periods >= 2, "one lost minute must not page: " + periods);
        assertEquals(periods, alarm.get("DatapointsToAlarm"), "every period of the window must be missing");
        assertEquals("breaching", alarm.get("TreatMissingData"));
    }

    // --- Versions: what the live alias runs ---

    @Test
    @SuppressWarnings("unchecked")
    void aNewLayerOrAnyPropertyChange_publishesNewVersions() {
        // Without these SAM hashes only CodeUri, Environment, MemorySize and SnapStart: a new engine layer left
        // the live alias on the old code.
        assertEquals(true, Deployment.defaults().properties("FailoverCoreLayer").get("PublishLambdaVersion"));
        Map<String, Object> globals = (Map<String, Object>) TemplateTest.section("Globals").get("Function");
        assertEquals(List.of(Map.of("Ref", "FailoverCoreLayer")), globals.get("Layers"));
        for (String function : FUNCTIONS) {
            assertEquals(true, Deployment.defaults().properties(function).get("AutoPublishAliasAllProperties"), function);
        }
    }

    // --- Init during the deploy (SnapStart publishes, init reads SSM) ---

    @Test
    void theFunctions_dependOnTheSsmEndpoint_whenTheyReadSsmAtInit() {
        assertEquals("ref:SsmEndpoint", Deployment.of(Map.of("ConfigSource", "ssm-path")).environment().get("VIPFLIP_SSM_ENDPOINT"));
        assertEquals("ref:SsmEndpoint", Deployment.of(Map.of("ConfigSource", "ssm-parameter", "ConfigParameterName", "/ops/vipflip"))
                .environment().get("VIPFLIP_SSM_ENDPOINT"));
        assertFalse(Deployment.of(Map.of("ConfigSource", "ssm-path", "CreateSsmEndpoint", "false")).environment()
                .containsKey("VIPFLIP_SSM_ENDPOINT"), "no endpoint created: nothing to wait for");
        assertFalse(Deployment.defaults().environment().containsKey("VIPFLIP_SSM_ENDPOINT"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWatchLoop_runsOnEventBridgeScheduler_withAGeneratedName_andNoLateDeliveries() {
        Map<String, Object> schedule = (Map<String, Object>) ((Map<String, Object>) Deployment.defaults()
                .properties("HealthCheckFunction").get("Events")).get("EveryMinute");
        Map<String, Object> p = (Map<String, Object>) schedule.get("Properties");

        assertEquals("ScheduleV2", schedule.get("Type"));
        assertEquals("rate(1 minute)", p.get("ScheduleExpression"));
        assertEquals(true, p.get("OmitName"), "a fixed schedule name collides between two stacks");
        assertEquals(60, ((Map<String, Object>) p.get("RetryPolicy")).get("MaximumEventAgeInSeconds"));
    }

    // --- The state table ---

    @Test
    void theTable_survivesStackDeletionAndReplacement_andCannotBeSilentlyReplaced() {
        Map<String, Object> table = Deployment.defaults().resources().get("StateTable");
        // Retain would also keep the table a failed first CREATE made; the retry would then stop on "already exists".
        assertEquals("RetainExceptOnCreate", table.get("DeletionPolicy"));
        assertEquals("Retain", table.get("UpdateReplacePolicy"));
        assertEquals("vipflip-prod-vipflip-state", Deployment.defaults().properties("StateTable").get("TableName"));
    }

    // --- Alarms watch what the engine emits ---

    @Test
    void everyAlarmOnVipflipMetrics_watchesAFigureTheEngineWrites_forEveryGroup() {
        RunReporter reporter = new RunReporter(true);
        GroupHealth down = new GroupHealth(Map.of(
                "a", new NodeHealth(HealthState.DOWN, 0, 3, Optional.empty(), Optional.of(Instant.EPOCH))));
        List<VipRoute> missing = List.of(VipRoute.missing("rtb-1", "192.168.100.10/32"));
        reporter.onRun(new RunResult("api", "schedule", new Decision.NoOp("x"), Outcome.NO_HEALTHY_NODE, 0, missing,
                missing, List.of(), Optional.empty(), down, List.of(), Map.of(), Map.of()));
        reporter.onError("api", new IllegalStateException("x"));
        Set<String> written = new HashSet<>();
        for (MetricPoint point : reporter.metrics()) {
            if (point.dimensions().isEmpty()) {
                written.add(point.name());
            }
        }
        written.add("Failover"); // written per run outcome; asserted in RunReporterTest

        Deployment deployment = Deployment.of(Map.of("ConfigSource", "ssm-path"));
        int alarms = 0;
        for (String alarm : deployment.resourcesOfType("AWS::CloudWatch::Alarm")) {
            Map<String, Object> p = deployment.properties(alarm);
            if ("vipflip".equals(p.get("Namespace"))) {
                alarms++;
                assertFalse(p.containsKey("Dimensions"), alarm + " would watch a single group");
                assertTrue(written.contains((String) p.get("MetricName")), alarm + " watches " + p.get("MetricName"));
            }
        }
        assertTrue(alarms >= 5, "heartbeat, no healthy node, never answered, failover, round errors");
        assertEquals("Error", deployment.properties("RoundErrorsAlarm").get("MetricName"));
        assertEquals("NoNodeEverAnswered", deployment.properties("NoNodeEverAnsweredAlarm").get("MetricName"));
    }

    @Test
    void theDashboardBody_isValidJson_withASearchOrMetricInEveryWidget() throws Exception {
        String body = (String) Deployment.of(Map.of("ConfigSource", "ssm-path")).properties("Dashboard").get("DashboardBody");
        com.fasterxml.jackson.databind.JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);

        assertEquals(4, dashboard.path("widgets").size());
        for (com.fasterxml.jackson.databind.JsonNode widget : dashboard.path("widgets")) {
            com.fasterxml.jackson.databind.JsonNode metrics = widget.path("properties").path("metrics");
            assertTrue(metrics.isArray() && !metrics.isEmpty(), widget.toString());
            assertEquals("eu-west-1", widget.path("properties").path("region").asText());
        }
        assertEquals("SEARCH('{vipflip,Group,Node} MetricName=\"NodeHealthy\"', 'Minimum', 60)",
                dashboard.path("widgets").get(0).path("properties").path("metrics").get(0).get(0).path("expression").asText(),
                "every group's nodes, without a redeploy");
    }
}
