package io.vipflip.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Least privilege in template.yaml, statement by statement (both branches of every Fn::If). */
class IamPolicyTest {

    record Statement(String policy, List<String> actions, Object resource, Object condition) {
        boolean onEverything() {
            return "*".equals(resource) || (resource instanceof List<?> list && list.contains("*"));
        }
    }

    @SuppressWarnings("unchecked")
    static List<Statement> statements() {
        List<Statement> statements = new ArrayList<>();
        for (Object policy : (List<Object>) TemplateTest.properties("OrchestratorRole").get("Policies")) {
            Map<String, Object> p = (Map<String, Object>) policy;
            Map<String, Object> document = (Map<String, Object>) p.get("PolicyDocument");
            for (Object statement : (List<Object>) document.get("Statement")) {
                for (Map<String, Object> branch : branches(statement)) {
                    Object actions = branch.get("Action");
                    statements.add(new Statement((String) p.get("PolicyName"),
                            actions instanceof List<?> l ? (List<String>) l : List.of((String) actions),
                            branch.get("Resource"), branch.get("Condition")));
                }
            }
        }
        return statements;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> branches(Object statement) {
        Map<String, Object> map = (Map<String, Object>) statement;
        if (map.containsKey("Fn::If")) {
            List<Object> args = (List<Object>) map.get("Fn::If");
            return List.of((Map<String, Object>) args.get(1), (Map<String, Object>) args.get(2));
        }
        return List.of(map);
    }

    private static boolean readOnly(String action) {
        String verb = action.substring(action.indexOf(':') + 1);
        return verb.startsWith("Describe") || verb.startsWith("Get") || verb.startsWith("List");
    }

    @Test
    void noMutatingActionIsAllowedOnEveryResource() {
        List<String> offending = statements().stream().filter(Statement::onEverything)
                .flatMap(s -> s.actions().stream().filter(a -> !readOnly(a)).map(a -> s.policy() + ": " + a))
                .toList();
        assertEquals(List.of(), offending);
        assertTrue(statements().stream().noneMatch(s -> s.actions().stream().anyMatch(a -> a.endsWith(":*"))),
                "no wildcard actions");
    }

    @Test
    void routeWritesAreScopedToRouteTableArnsOrToTheGroupsTag() {
        List<Statement> writes = statements().stream()
                .filter(s -> s.actions().contains("ec2:CreateRoute") || s.actions().contains("ec2:ReplaceRoute"))
                .toList();
        assertEquals(2, writes.size(), "one statement per Fn::If branch (table ids / tag)");
        for (Statement write : writes) {
            String resource = String.valueOf(write.resource());
            assertTrue(resource.contains(":route-table/"), resource);
            boolean explicitIds = resource.contains("Fn::Split");
            boolean tagged = String.valueOf(write.condition()).contains("ec2:ResourceTag/vipflip:group");
            assertTrue(explicitIds || tagged, "route writes need explicit table ARNs or the tag condition: " + write);
            assertFalse(write.onEverything());
        }
    }

    @Test
    void dynamoDbActionsAreLimitedToTheStateTable() {
        List<Statement> dynamo = statements().stream()
                .filter(s -> s.actions().stream().anyMatch(a -> a.startsWith("dynamodb:"))).toList();
        assertEquals(1, dynamo.size());
        assertEquals(Map.of("Fn::GetAtt", List.of("StateTable", "Arn")), dynamo.getFirst().resource());
        assertFalse(dynamo.getFirst().actions().contains("dynamodb:DeleteItem"), "the lease item is never deleted");
        assertFalse(dynamo.getFirst().actions().contains("dynamodb:Scan"));
    }

    @Test
    void everyFunctionUsesTheLeastPrivilegeRole() {
        for (String function : List.of("HealthCheckFunction", "AlarmFailoverFunction", "ManualFailoverFunction")) {
            assertEquals(Map.of("Fn::GetAtt", List.of("OrchestratorRole", "Arn")),
                    TemplateTest.properties(function).get("Role"), function);
            assertFalse(TemplateTest.properties(function).containsKey("Policies"), function);
        }
    }
}
