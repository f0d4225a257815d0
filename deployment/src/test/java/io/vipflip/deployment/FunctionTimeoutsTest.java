package io.vipflip.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipflip.config.TimingBudget;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The timing budget validates the configuration against the functions' timeouts (docs/decisions.md 25). The
 * template's generated configuration has no {@code timing} section, so the budget's defaults must be the
 * template's timeouts: change one, change the other.
 */
class FunctionTimeoutsTest {

    @SuppressWarnings("unchecked")
    private static int timeout(String function) {
        Object own = TemplateTest.properties(function).get("Timeout");
        Object global = ((Map<String, Object>) TemplateTest.section("Globals").get("Function")).get("Timeout");
        return ((Number) (own != null ? own : global)).intValue();
    }

    @Test
    void theBudgetsDefaultTimeouts_areTheTemplatesTimeouts() {
        assertEquals(TimingBudget.DEFAULT_WATCH_TIMEOUT_SECONDS, timeout("HealthCheckFunction"));
        assertEquals(TimingBudget.DEFAULT_ALARM_TIMEOUT_SECONDS, timeout("AlarmFailoverFunction"));
        assertEquals(TimingBudget.DEFAULT_MANUAL_TIMEOUT_SECONDS, timeout("ManualFailoverFunction"));
    }
}
