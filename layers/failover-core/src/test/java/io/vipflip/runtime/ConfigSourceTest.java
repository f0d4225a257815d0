package io.vipflip.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigSourceTest {

    @Test
    void exactlyOneSourceIsSet_andTheErrorNamesThoseThatAre() {
        assertEquals(Optional.of("/vipflip/prod"), ConfigSource.path(Map.of("VIPFLIP_CONFIG_PATH", " /vipflip/prod ")));
        assertEquals(Optional.empty(), ConfigSource.path(Map.of("VIPFLIP_CONFIG", "{}")));
        assertEquals(Optional.empty(), ConfigSource.path(Map.of("VIPFLIP_CONFIG_PARAMETER", "/vipflip/doc")));
        IllegalStateException both = assertThrows(IllegalStateException.class, () -> ConfigSource.path(
                Map.of("VIPFLIP_CONFIG", "{}", "VIPFLIP_CONFIG_PATH", "/vipflip/prod")));
        assertEquals("VIPFLIP_CONFIG / VIPFLIP_CONFIG_PARAMETER / VIPFLIP_CONFIG_PATH: set exactly one of them "
                + "(got VIPFLIP_CONFIG and VIPFLIP_CONFIG_PATH)", both.getMessage());
        assertEquals("VIPFLIP_CONFIG / VIPFLIP_CONFIG_PARAMETER / VIPFLIP_CONFIG_PATH: set exactly one of them (got none)",
                assertThrows(IllegalStateException.class, () -> ConfigSource.path(Map.of("VIPFLIP_CONFIG", " "))).getMessage());
    }

    @Test
    void theRefreshIntervalIsWholeSecondsFrom10To3600_defaulting60() {
        assertEquals(Duration.ofSeconds(60), ConfigSource.refresh(Map.of()));
        assertEquals(Duration.ofSeconds(10), ConfigSource.refresh(Map.of("VIPFLIP_CONFIG_REFRESH_SECONDS", "10")));
        assertEquals(Duration.ofSeconds(3600), ConfigSource.refresh(Map.of("VIPFLIP_CONFIG_REFRESH_SECONDS", "3600")));
        for (String bad : new String[] {"9", "3601", "1m", "-60"}) {
            assertEquals("VIPFLIP_CONFIG_REFRESH_SECONDS: must be a whole number of seconds from 10 to 3600 (got '" + bad + "')",
                    assertThrows(IllegalStateException.class,
                            () -> ConfigSource.refresh(Map.of("VIPFLIP_CONFIG_REFRESH_SECONDS", bad))).getMessage());
        }
    }
}
