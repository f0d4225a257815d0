package io.vipflip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void aGroupWithMoreTablesThanAnyLeaseCanWrite_isRejected_namingTheField() {
        // 30 s function timeouts less the 3 s end margin leave 27 s: 0.3 + 1 + 1 + ⌈(N − 50)/4⌉ + 4 ≤ 27 → N ≤ 130.
        new ConfigParser().parse(config(130, ""));
        ConfigException rejected = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> new ConfigParser().parse(config(131, "")));

        assertTrue(rejected.getMessage().contains("groups[0].routeTables.ids"), rejected.getMessage());
        assertTrue(rejected.getMessage().contains("131 route writes"), rejected.getMessage());
    }
}
