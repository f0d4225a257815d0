package io.vipflip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The lease a flip of many tables needs under EC2's mutating-action bucket (docs/decisions.md 56). */
class WriteWindowTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private static String config(int tables, String lease) {
        String ids = IntStream.range(0, tables).mapToObj(i -> String.format("\"rtb-%017x\"", i))
                .collect(Collectors.joining(","));
        return """
                {%s "groups": [{"name": "web", "vips": ["192.168.100.10/32"],
                  "nodes": [{"name": "a", "instanceId": "i-0aaaaaaaaaaaaaaa1"},
                            {"name": "b", "instanceId": "i-0bbbbbbbbbbbbbbb2"}],
                  "routeTables": {"ids": [%s]},
                  "probe": {"ports": [80], "timeoutMillis": 300}}]}
                """.formatted(lease, ids);
    }

    @Test
    void theWriteWindow_growsBeyondTheBurst_byOneSecondPerFourWrites() {
        assertEquals(TimingBudget.MIN_WRITE_WINDOW, TimingBudget.writeWindow(3));
        assertEquals(TimingBudget.MIN_WRITE_WINDOW, TimingBudget.writeWindow(50));
        assertEquals(TimingBudget.MIN_WRITE_WINDOW.plusSeconds(1), TimingBudget.writeWindow(51));
        assertEquals(TimingBudget.MIN_WRITE_WINDOW.plusSeconds(13), TimingBudget.writeWindow(100));
        assertEquals(TimingBudget.MIN_WRITE_WINDOW.plusSeconds(13), TimingBudget.writeWindow(102));
        assertEquals(TimingBudget.MIN_WRITE_WINDOW.plusSeconds(14), TimingBudget.writeWindow(103));
    }

    @Test
    void aFlipOfAHundredTables_getsALongerLeaseThanConfigured_withinTheInvocation() {
        DeploymentConfig config = new ConfigParser().parse(config(100, "\"leaseMillis\": 10000,"));
        GroupConfig group = config.groups().get(0);
        TimingBudget timing = config.timing();
        // probe 300 ms + re-read 1 s + window 14 s + settle 2 s + skew 2 s
        Duration needed = Duration.ofMillis(19_300);

        assertEquals(needed, timing.leaseFor(group, NOW, NOW.plusSeconds(60), 100));
        assertEquals(Duration.ofSeconds(10), timing.leaseFor(group, NOW, NOW.plusSeconds(60), 3),
                "a small flip keeps the configured lease");
        assertEquals(Duration.ofSeconds(12), timing.leaseFor(group, NOW, NOW.plusSeconds(12), 100),
                "shortened to end with the invocation; the rest is the next holder's to repair");
        assertEquals(Duration.ZERO, timing.leaseFor(group, NOW, NOW.plusSeconds(6), 100));
    }

    @Test
    void aGroupWithMoreTablesThanAnAlarmsLeaseCanWrite_isRejected_namingTheFieldAndThePath() {
        // An alarm: a burst of max(fall 3, rise 2) × (300 + 250) ms = 1.65 s, then the lease 0.3 + 1 + 1 +
        // ⌈(N − 50)/4⌉ + 4 s, then the 3 s end margin, within 30 s → ⌈(N − 50)/4⌉ ≤ 19 → N ≤ 126.
        new ConfigParser().parse(config(126, ""));
        ConfigException rejected = assertThrows(ConfigException.class, () -> new ConfigParser().parse(config(127, "")));

        assertEquals(List.of("groups[0].routeTables.ids: 127 route writes (tables × VIPs) need a lease of 26300 ms"
                + " under EC2's mutating-action throttling (50 at once, then 5 per second); after an alarm's"
                + " confirmation burst (1650 ms) and with the end margin that is 30950 ms, more than that function's"
                + " timeout (30 s): split the group, or raise the functions' timeouts"), rejected.errors());
    }

    @Test
    void withALongerAlarmTimeout_theOperatorsPathBinds_thenTheWatch() {
        // A cold operator request: rise 2 × 300 ms, then the lease, then the end margin, within 30 s → N ≤ 130.
        String longAlarm = "\"timing\": {\"alarmFunctionTimeoutSeconds\": 60},";
        new ConfigParser().parse(config(130, longAlarm));
        ConfigException manual = assertThrows(ConfigException.class, () -> new ConfigParser().parse(config(131, longAlarm)));
        assertTrue(manual.getMessage().contains("after a cold operator request's probes (600 ms)"), manual.getMessage());

        // Both at 60 s, the watch at 29 s: one probe of 300 ms before the lease → ⌈(N − 50)/4⌉ ≤ 19 → N ≤ 126.
        String shortWatch = "\"timing\": {\"alarmFunctionTimeoutSeconds\": 60, \"manualFunctionTimeoutSeconds\": 60,"
                + " \"watchFunctionTimeoutSeconds\": 29},";
        new ConfigParser().parse(config(126, shortWatch));
        ConfigException watch = assertThrows(ConfigException.class, () -> new ConfigParser().parse(config(127, shortWatch)));
        assertTrue(watch.getMessage().contains("after a watch round's probe (300 ms)"), watch.getMessage());
    }

    @Test
    void probeSettingsThatCannotFlipAtAll_areBlamedAlone() {
        // fall 40: the alarm's burst alone leaves no room for the shortest lease; the tables are not blamed too.
        String ids = config(60, "").replace("\"timeoutMillis\": 300", "\"timeoutMillis\": 300, \"fall\": 40");
        ConfigException rejected = assertThrows(ConfigException.class, () -> new ConfigParser().parse(ids));

        assertEquals(1, rejected.errors().size(), rejected.getMessage());
        assertTrue(rejected.errors().getFirst().startsWith("groups[0].probe.fall"), rejected.getMessage());
    }
}
