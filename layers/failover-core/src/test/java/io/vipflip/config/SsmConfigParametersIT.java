package io.vipflip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.aws.AwsClients;
import io.vipflip.local.ssm.SsmEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** The SSM implementation of the configuration parameters, through the SDK against the local Parameter Store. */
class SsmConfigParametersIT {
    private static final String ROOT = "/vipflip/it";
    private final SsmEndpoint endpoint = SsmEndpoint.start("eu-west-1", "123456789012");
    private final SsmConfigParameters parameters = new SsmConfigParameters(
            new AwsClients(Region.EU_WEST_1, Duration.ofSeconds(10)).ssm(endpoint.endpoint()));

    @AfterEach
    void close() {
        endpoint.close();
    }

    @Test
    void underPath_readsEveryPage_withValuesAndVersions() {
        for (int i = 0; i < 12; i++) {
            assertEquals(1, parameters.put(ROOT + "/groups/g" + i, "{\"n\": " + i + "}"));
        }
        assertEquals(2, parameters.put(ROOT + "/groups/g3", "{\"n\": 33}"), "an overwrite is the next version");
        parameters.put("/elsewhere/x", "{}");

        List<ConfigParameter> all = parameters.underPath(ROOT);

        assertEquals(12, all.size(), all.toString());
        assertEquals(2, endpoint.count("GetParametersByPath"), "12 parameters in pages of 10");
        ConfigParameter g3 = all.stream().filter(p -> p.name().equals(ROOT + "/groups/g3")).findFirst().orElseThrow();
        assertEquals("{\"n\": 33}", g3.value());
        assertEquals(2, g3.version());
        assertTrue(all.stream().allMatch(p -> p.name().startsWith(ROOT + "/")), "only the path asked for");
    }

    @Test
    void get_andDelete_tellAMissingParameterApart() {
        parameters.put(ROOT + "/settings", "{\"leaseMillis\": 15000}");

        assertEquals(Optional.of("{\"leaseMillis\": 15000}"), parameters.get(ROOT + "/settings").map(ConfigParameter::value));
        assertEquals(Optional.empty(), parameters.get(ROOT + "/nothing"));
        assertTrue(parameters.delete(ROOT + "/settings"));
        assertFalse(parameters.delete(ROOT + "/settings"), "deleting what is not there answers false");
        assertEquals(Optional.empty(), parameters.get(ROOT + "/settings"));
    }
}
