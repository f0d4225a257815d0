package io.vipflip.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Least privilege in template.yaml, evaluated as CloudFormation would for every configuration mode. */
class IamPolicyTest {
    static final String VPC_ARN = "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0123456789abcdef0";
    static final List<String> TABLES = List.of("rtb-0aaaaaaaaaaaaaaa1", "rtb-0bbbbbbbbbbbbbbb2");

    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of("template, table ids", Map.of("RouteTableIds", TABLES)),
                Arguments.of("template, tag", Map.of()),
                Arguments.of("ssm-path", Map.of("ConfigSource", "ssm-path")),
                Arguments.of("ssm-parameter", Map.of("ConfigSource", "ssm-parameter", "ConfigParameterName", "/ops/vipflip")));
    }

    private static boolean readOnly(String action) {
        String verb = action.substring(action.indexOf(':') + 1);
        return verb.startsWith("Describe") || verb.startsWith("Get") || verb.startsWith("List");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void noMutatingActionIsAllowedOnEveryResource(String mode, Map<String, Object> parameters) {
        List<String> offending = Deployment.of(parameters).statements().stream()
                .filter(s -> Deployment.resourcesOf(s).contains("*"))
                .flatMap(s -> Deployment.actions(s).stream().filter(a -> !readOnly(a)).map(a -> s.get("Policy") + ": " + a))
                .toList();
        assertEquals(List.of(), offending);
        assertTrue(Deployment.of(parameters).statements().stream()
                .noneMatch(s -> Deployment.actions(s).stream().anyMatch(a -> a.endsWith(":*"))), "no wildcard actions");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void routeWrites_areOneStatement_pinnedToTheStacksVpc(String mode, Map<String, Object> parameters) {
        List<Map<String, Object>> writes = Deployment.of(parameters).allowing("ec2:ReplaceRoute");

        assertEquals(1, writes.size(), "exactly one route-write statement per mode: " + writes);
        assertEquals(writes, Deployment.of(parameters).allowing("ec2:CreateRoute"));
        assertEquals(Map.of("ec2:Vpc", VPC_ARN), condition(writes.getFirst(), "ArnEquals"));
        assertTrue(Deployment.resourcesOf(writes.getFirst()).stream().allMatch(r -> r.contains(":route-table/")));
    }

    @Test
    void routeWrites_withTableIds_nameEachTableAndNothingElse() {
        Map<String, Object> write = Deployment.of(Map.of("RouteTableIds", TABLES)).allowing("ec2:ReplaceRoute").getFirst();

        assertEquals(List.of("arn:*:ec2:*:*:route-table/rtb-0aaaaaaaaaaaaaaa1", "arn:*:ec2:*:*:route-table/rtb-0bbbbbbbbbbbbbbb2"),
                Deployment.resourcesOf(write));
    }

    @Test
    void routeWrites_byTag_needTheGroupsTagValue_whichDefaultsToTheStackName() {
        Map<String, Object> byDefault = Deployment.defaults().allowing("ec2:ReplaceRoute").getFirst();
        Map<String, Object> named = Deployment.of(Map.of("RouteTableTagValue", "edge")).allowing("ec2:ReplaceRoute").getFirst();

        assertEquals(Map.of("ec2:ResourceTag/vipflip:group", "vipflip-prod"), condition(byDefault, "StringEquals"));
        assertEquals(Map.of("ec2:ResourceTag/vipflip:group", "edge"), condition(named, "StringEquals"));
        assertEquals(List.of("arn:aws:ec2:eu-west-1:123456789012:route-table/*"), Deployment.resourcesOf(byDefault));
    }

    @Test
    void routeWrites_forManyGroups_needTheVipflipTagKey_onTablesOfTheVpc() {
        Map<String, Object> write = Deployment.of(Map.of("ConfigSource", "ssm-path")).allowing("ec2:ReplaceRoute").getFirst();

        assertEquals(Map.of("ec2:ResourceTag/vipflip:group", "false"), condition(write, "Null"));
    }

    @Test
    void theConfigurationPath_isReadable_onlyUnderTheStacksPrefix() {
        List<Map<String, Object>> reads = Deployment.of(Map.of("ConfigSource", "ssm-path")).allowing("ssm:GetParametersByPath");

        assertEquals(1, reads.size());
        assertEquals(List.of("arn:aws:ssm:eu-west-1:123456789012:parameter/vipflip/vipflip-prod",
                "arn:aws:ssm:eu-west-1:123456789012:parameter/vipflip/vipflip-prod/*"), Deployment.resourcesOf(reads.getFirst()));
        assertEquals(List.of("arn:aws:ssm:eu-west-1:123456789012:parameter/ops/vipflip"), Deployment.resourcesOf(
                Deployment.of(Map.of("ConfigSource", "ssm-parameter", "ConfigParameterName", "/ops/vipflip"))
                        .allowing("ssm:GetParameter").getFirst()));
        assertEquals(List.of(), Deployment.defaults().allowing("ssm:GetParameter"), "no SSM access without SSM configuration");
    }

    @Test
    void logs_areWrittenOnlyToTheStacksOwnLogGroups_whateverTheFunctionNames() {
        Deployment deployment = Deployment.defaults();
        List<Map<String, Object>> logs = deployment.allowing("logs:PutLogEvents");

        assertEquals(1, logs.size());
        assertFalse(Deployment.actions(logs.getFirst()).contains("logs:CreateLogGroup"), "the stack creates them");
        for (String function : List.of("HealthCheckFunction", "AlarmFailoverFunction", "ManualFailoverFunction")) {
            String group = ((String) ((Map<?, ?>) deployment.properties(function).get("LoggingConfig")).get("LogGroup"))
                    .replaceFirst("^ref:", "");
            assertTrue(Deployment.resourcesOf(logs.getFirst()).contains("getatt:" + group + ".Arn"), function);
            String name = (String) deployment.properties(group).get("LogGroupName");
            assertTrue(name.startsWith("/vipflip/vipflip-prod/"), name);
            assertFalse(name.contains("ref:"), "a log group named after a generated (truncated) function name: " + name);
        }
    }

    @Test
    void dynamoDbActionsAreLimitedToTheStateTable() {
        List<Map<String, Object>> dynamo = Deployment.defaults().statements().stream()
                .filter(s -> Deployment.actions(s).stream().anyMatch(a -> a.startsWith("dynamodb:"))).toList();
        assertEquals(1, dynamo.size());
        assertEquals(List.of("getatt:StateTable.Arn"), Deployment.resourcesOf(dynamo.getFirst()));
        assertFalse(Deployment.actions(dynamo.getFirst()).contains("dynamodb:DeleteItem"), "the lease item is never deleted");
        assertFalse(Deployment.actions(dynamo.getFirst()).contains("dynamodb:Scan"));
    }

    @Test
    void everyFunctionUsesTheLeastPrivilegeRole() {
        for (String function : List.of("HealthCheckFunction", "AlarmFailoverFunction", "ManualFailoverFunction")) {
            assertEquals("getatt:OrchestratorRole.Arn", Deployment.defaults().properties(function).get("Role"), function);
            assertFalse(Deployment.defaults().properties(function).containsKey("Policies"), function);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> condition(Map<String, Object> statement, String operator) {
        return (Map<String, Object>) ((Map<String, Object>) statement.get("Condition")).get(operator);
    }
}
