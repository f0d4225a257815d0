package io.vipflip.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.runtime.AutomationEvent.InstanceScope;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which instance state changes the alarm function acts on, per subscription scope (issue 10, many groups). */
class AutomationEventTest {
    private static final DeploymentConfig CONFIG = new ConfigParser().parse("""
            {"groups": [{"name": "web", "vips": ["192.168.100.10/32"],
              "nodes": [{"name": "a", "instanceId": "i-0aaaaaaaaaaaaaaa1"}, {"name": "b", "instanceId": "i-0bbbbbbbbbbbbbbb2"}],
              "routeTables": {"tag": {"key": "vipflip:group", "value": "web"}}}]}
            """);

    private static AutomationEvent stopped(String instance) {
        return AutomationEvent.parse(("""
                {"source": "aws.ec2", "detail-type": "EC2 Instance State-change Notification",
                 "detail": {"instance-id": "%s", "state": "stopped"}}
                """).formatted(instance).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withEveryInstanceSubscribed_anotherInstancesStop_asksForNothing() {
        assertEquals(List.of(), stopped("i-0fffffffffffffff9").targets(CONFIG, InstanceScope.ALL_INSTANCES));
    }

    @Test
    void withEveryInstanceSubscribed_aNodesStop_stillFailsOver() {
        List<AutomationEvent.Target> targets = stopped("i-0aaaaaaaaaaaaaaa1").targets(CONFIG, InstanceScope.ALL_INSTANCES);

        assertEquals(1, targets.size());
        assertEquals("web", targets.getFirst().group());
        assertTrue(targets.getFirst().authoritative());
    }

    @Test
    void withOnlyTheNodesSubscribed_anotherInstance_isRefusedNamingTheField() {
        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> stopped("i-0fffffffffffffff9").targets(CONFIG, InstanceScope.CONFIGURED_NODES));
        assertEquals("detail.instance-id", error.field());
    }

    @Test
    void theScope_comesFromTheEnvironment_andAnUnknownValueNamesTheVariable() {
        assertEquals(InstanceScope.CONFIGURED_NODES, InstanceScope.fromEnvironment(null));
        assertEquals(InstanceScope.CONFIGURED_NODES, InstanceScope.fromEnvironment("nodes"));
        assertEquals(InstanceScope.ALL_INSTANCES, InstanceScope.fromEnvironment("all"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> InstanceScope.fromEnvironment("every"));
        assertTrue(error.getMessage().startsWith("VIPFLIP_INSTANCE_EVENTS"), error.getMessage());
    }
}
