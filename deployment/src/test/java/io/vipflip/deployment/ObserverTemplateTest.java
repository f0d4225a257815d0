package io.vipflip.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The AZ observers in template.yaml (issue 14), evaluated as CloudFormation would create them. */
class ObserverTemplateTest {
    private static final List<String> DECIDING = List.of("HealthCheckFunction", "AlarmFailoverFunction",
            "ManualFailoverFunction");
    private static final List<String> TWO = List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    private static Object variable(Deployment d, String function, String name) {
        return map(map(d.properties(function), "Environment"), "Variables").get(name);
    }

    @Test
    void noObserverSubnets_noObserverAndNothingToInvoke() {
        Deployment d = Deployment.defaults();

        assertTrue(d.resourcesOfType("AWS::Serverless::Function").stream().noneMatch(f -> f.startsWith("Observer")));
        assertFalse(d.has("ObserverRole"));
        assertFalse(d.has("LambdaEndpoint"));
        assertEquals(List.of(), d.allowing("lambda:InvokeFunction"));
        DECIDING.forEach(f -> assertEquals("", variable(d, f, "VIPFLIP_OBSERVERS"), f));
    }

    @Test
    void oneObserverPerGivenSubnet_eachAttachedToItsSubnetAlone_namedByIt() {
        Deployment d = Deployment.of(Map.of("ObserverSubnetIds", TWO));

        assertTrue(d.has("ObserverFunction1") && d.has("ObserverFunction2"));
        assertFalse(d.has("ObserverFunction3"));
        for (int i = 0; i < 2; i++) {
            String function = "ObserverFunction" + (i + 1);
            assertEquals(List.of(TWO.get(i)), map(d.properties(function), "VpcConfig").get("SubnetIds"), function);
            assertEquals(TWO.get(i), variable(d, function, "VIPFLIP_VANTAGE"));
            assertEquals("functions/observer", d.properties(function).get("CodeUri"));
            assertEquals("getatt:ObserverRole.Arn", d.properties(function).get("Role"));
        }
    }

    @Test
    void decidingFunctions_stayInEveryFunctionSubnet_andNameTheObserversTheyMayInvoke() {
        Deployment d = Deployment.of(Map.of("ObserverSubnetIds", TWO));
        String aliases = "ref:ObserverFunction1.Alias,ref:ObserverFunction2.Alias";

        for (String function : DECIDING) {
            assertEquals(Deployment.REQUIRED.get("SubnetIds"), map(d.properties(function), "VpcConfig").get("SubnetIds"));
            assertEquals(aliases, variable(d, function, "VIPFLIP_OBSERVERS"), function);
        }
        List<Map<String, Object>> invoke = d.allowing("lambda:InvokeFunction");
        assertEquals(1, invoke.size());
        assertEquals(List.of("ref:ObserverFunction1.Alias", "ref:ObserverFunction2.Alias"),
                Deployment.resourcesOf(invoke.getFirst()), "exactly the observers, nothing else");
    }

    @Test
    @SuppressWarnings("unchecked")
    void observersMayNotWriteAnything_butLogsAndTheirNetworkInterfaces() {
        Deployment d = Deployment.of(Map.of("ObserverSubnetIds", TWO));
        List<String> allowed = ((List<Object>) d.properties("ObserverRole").get("Policies")).stream()
                .flatMap(p -> ((List<Object>) map((Map<String, Object>) p, "PolicyDocument").get("Statement")).stream())
                .flatMap(s -> Deployment.actions((Map<String, Object>) s).stream())
                .toList();

        assertEquals(List.of("logs:CreateLogStream", "logs:PutLogEvents", "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
                "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"), allowed);
        assertTrue(allowed.stream().noneMatch(a -> a.startsWith("dynamodb:") || a.contains("Route")
                || a.startsWith("sns:") || a.startsWith("lambda:")));
    }

    @Test
    void theLambdaEndpoint_isOptional_andOnlyWithObservers() {
        // on by default, like the other endpoints: a VPC without a NAT cannot reach the observers otherwise
        assertFalse(Deployment.of(Map.of("ObserverSubnetIds", TWO, "CreateLambdaEndpoint", "false")).has("LambdaEndpoint"));
        assertFalse(Deployment.of(Map.of()).has("LambdaEndpoint"), "no observers, no endpoint");
        Deployment d = Deployment.of(Map.of("ObserverSubnetIds", TWO,
                "CreateEc2Endpoint", "false", "CreateSnsEndpoint", "false"));
        assertEquals("Interface", d.properties("LambdaEndpoint").get("VpcEndpointType"));
        assertEquals(true, d.properties("LambdaEndpoint").get("PrivateDnsEnabled"));
        assertTrue(d.has("EndpointSecurityGroup"), "the endpoint's security group comes with it alone");
    }

    @Test
    void threeSlots_aFourthSubnetIsNotUsed() {
        Deployment d = Deployment.of(Map.of("ObserverSubnetIds", List.of("subnet-1", "subnet-2", "subnet-3",
                "subnet-4")));
        assertTrue(d.has("ObserverFunction3"));
        assertEquals(3, d.resourcesOfType("AWS::Serverless::Function").stream()
                .filter(f -> f.startsWith("Observer")).count());
    }
}
