package io.vipflip.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** template.yaml: the official SAM schema, handlers, references, runtime, and the generated configuration. */
class TemplateTest {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Map<String, Object> TEMPLATE = CfnYaml.read(ROOT.resolve("template.yaml"));

    @SuppressWarnings("unchecked")
    static Map<String, Object> section(String name) {
        return (Map<String, Object>) TEMPLATE.get(name);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(String resource) {
        return (Map<String, Object>) ((Map<String, Object>) section("Resources").get(resource)).get("Properties");
    }

    @Test
    void validatesAgainstTheOfficialSamSchema() throws Exception {
        Path schemaFile = ROOT.resolveSibling("shared").resolve("schemas").resolve("sam.schema.json");
        if (!Files.exists(schemaFile) && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("../shared/schemas/sam.schema.json is required in CI");
        }
        assumeTrue(Files.exists(schemaFile), "the SAM schema is not beside this checkout");
        JsonSchema schema;
        try (InputStream in = Files.newInputStream(schemaFile)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
        JsonNode template = new ObjectMapper().valueToTree(TEMPLATE);

        Set<ValidationMessage> errors = schema.validate(template);

        assertEquals(Set.of(), errors, "template.yaml does not match the SAM schema");
    }

    @Test
    void everyHandlerClassExistsInItsFunctionModule() {
        int functions = 0;
        for (Map.Entry<String, Object> entry : section("Resources").entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> resource = (Map<String, Object>) entry.getValue();
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
                continue;
            }
            functions++;
            Map<String, Object> props = properties(entry.getKey());
            String handler = (String) props.get("Handler");
            String className = handler.substring(0, handler.indexOf("::"));
            Path source = ROOT.resolve((String) props.get("CodeUri")).resolve("src/main/java")
                    .resolve(className.replace('.', '/') + ".java");
            assertTrue(Files.exists(source), entry.getKey() + ": " + source + " is missing");
            assertTrue(Files.exists(ROOT.resolve((String) props.get("CodeUri")).resolve("pom.xml")),
                    entry.getKey() + ": CodeUri must be a Maven module for sam build");
        }
        assertEquals(6, functions, "three deciding functions and three AZ observer slots");
    }

    @Test
    void everyReferenceNamesAResourceParameterOrPseudoParameter() {
        Set<String> known = new HashSet<>(section("Resources").keySet());
        known.addAll(section("Parameters").keySet());
        known.addAll(List.of("AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::StackName", "AWS::NoValue",
                "AWS::URLSuffix", "AWS::StackId"));
        List<String> unknown = new ArrayList<>();
        walk(TEMPLATE, Set.of(), known, unknown);
        assertEquals(List.of(), unknown);
    }

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

    @SuppressWarnings("unchecked")
    private static void walk(Object node, Set<String> subVariables, Set<String> known, List<String> unknown) {
        if (node instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.containsKey("Ref")) {
                String name = String.valueOf(map.get("Ref")).replaceFirst("\\.Alias$", "");
                if (!known.contains(name)) {
                    unknown.add("Ref " + name);
                }
            } else if (map.size() == 1 && map.containsKey("Fn::GetAtt")) {
                String name = String.valueOf(((List<Object>) map.get("Fn::GetAtt")).get(0));
                if (!known.contains(name)) {
                    unknown.add("GetAtt " + name);
                }
            } else if (map.size() == 1 && map.containsKey("Fn::Sub")) {
                Object argument = map.get("Fn::Sub");
                String text = argument instanceof List<?> args ? (String) args.get(0) : (String) argument;
                Set<String> local = new HashSet<>();
                if (argument instanceof List<?> args) {
                    local.addAll(((Map<String, Object>) args.get(1)).keySet());
                    walk(args.get(1), Set.of(), known, unknown);
                }
                Matcher m = SUB_VARIABLE.matcher(text);
                while (m.find()) {
                    String name = m.group(1).split("\\.")[0];
                    if (!known.contains(name) && !local.contains(name) && !m.group(1).startsWith("AWS::")) {
                        unknown.add("Sub ${" + m.group(1) + "}");
                    }
                }
                return;
            }
            map.values().forEach(v -> walk(v, subVariables, known, unknown));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> walk(v, subVariables, known, unknown));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void functionsRunJava21OnArm64_withAnAlias() {
        Map<String, Object> globals = (Map<String, Object>) section("Globals").get("Function");
        assertEquals("java21", globals.get("Runtime"));
        assertEquals(List.of("arm64"), globals.get("Architectures"));
        assertEquals("live", globals.get("AutoPublishAlias"));
        for (String function : List.of("HealthCheckFunction", "AlarmFailoverFunction", "ManualFailoverFunction")) {
            assertFalse(properties(function).containsKey("Runtime"), function + " must not override the runtime");
            assertFalse(properties(function).containsKey("Architectures"), function);
        }
        assertEquals(List.of("java21"), properties("FailoverCoreLayer").get("CompatibleRuntimes"));
    }

    @Test
    void theTableIsOnDemand_withTtlAndPointInTimeRecovery() {
        Map<String, Object> table = properties("StateTable");
        assertEquals("PAY_PER_REQUEST", table.get("BillingMode"));
        assertEquals(Map.of("AttributeName", "ttl", "Enabled", true), table.get("TimeToLiveSpecification"));
        assertEquals(Map.of("PointInTimeRecoveryEnabled", true), table.get("PointInTimeRecoverySpecification"));
    }

    @Test
    void aMissingHeartbeatIsTreatedAsBreaching() {
        assertEquals("breaching", properties("HeartbeatMissingAlarm").get("TreatMissingData"));
    }

    @Test
    void theGeneratedConfiguration_isValid_forTableIdsAndForTagDiscovery_scopedToTheVpc() {
        Map<String, Object> ports = Map.of("ProbePorts", List.of("80", "443"));
        DeploymentConfig byIds = generatedConfig(Map.of("ProbePorts", List.of("80", "443"),
                "RouteTableIds", List.of("rtb-0aaaaaaaaaaaaaaa1", "rtb-0bbbbbbbbbbbbbbb2")));
        DeploymentConfig byTag = generatedConfig(ports);

        assertEquals(List.of("rtb-0aaaaaaaaaaaaaaa1", "rtb-0bbbbbbbbbbbbbbb2"), byIds.groups().getFirst().routeTables().ids());
        assertEquals(List.of(80, 443), byIds.groups().getFirst().probe().ports());
        assertEquals(java.util.Optional.of("vpc-0123456789abcdef0"), byIds.groups().getFirst().routeTables().vpcId());
        assertEquals(java.util.Optional.of("vpc-0123456789abcdef0"), byTag.groups().getFirst().routeTables().vpcId());
        assertEquals(200, byTag.groups().getFirst().node("haproxy-a").orElseThrow().priority());
    }

    @Test
    void theDefaultTagValue_isTheStackName_soTwoStacksNeverShareTables() {
        assertEquals("vipflip-prod", generatedConfig(Map.of()).groups().getFirst().routeTables().tag().orElseThrow().value());
        assertEquals("edge", generatedConfig(Map.of("RouteTableTagValue", "edge")).groups().getFirst()
                .routeTables().tag().orElseThrow().value());
    }

    @Test
    void probeAddresses_reachTheConfiguration_andEmptyMeansThePrimaryPrivateIp() {
        DeploymentConfig config = generatedConfig(Map.of("NodeAProbeAddress", "10.0.1.5"));

        assertEquals(java.util.Optional.of("10.0.1.5"), config.groups().getFirst().node("haproxy-a").orElseThrow().probeAddress());
        assertEquals(java.util.Optional.empty(), config.groups().getFirst().node("haproxy-b").orElseThrow().probeAddress());
    }

    static DeploymentConfig generatedConfig(Map<String, Object> parameters) {
        return new ConfigParser().parse((String) Deployment.of(parameters).environment().get("VIPFLIP_CONFIG"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void outputsCarryReadyToPasteInvokeCommands() {
        Map<String, Object> outputs = section("Outputs");
        for (String name : List.of("StatusCommand", "ForcedFailoverCommand")) {
            String command = (String) ((Map<String, Object>) ((Map<String, Object>) outputs.get(name)).get("Value")).get("Fn::Sub");
            assertTrue(command.startsWith("aws lambda invoke --function-name ${ManualFailoverFunction}:live"), command);
        }
        assertTrue(outputs.keySet().containsAll(List.of("HealthCheckFunctionName", "AlarmFailoverFunctionName",
                "ManualFailoverFunctionName", "StateTableName", "NotificationTopicArn")));
    }
}
