package io.vipflip.policy;

import io.vipflip.config.DampingSettings;
import io.vipflip.config.FailbackSettings;
import io.vipflip.config.GroupConfig;
import io.vipflip.config.NodeConfig;
import io.vipflip.config.ProbeSettings;
import io.vipflip.config.RouteTableSelector;
import io.vipflip.health.GroupHealth;
import io.vipflip.health.HealthState;
import io.vipflip.health.NodeHealth;
import io.vipflip.route.ResolvedNode;
import io.vipflip.route.RouteSnapshot;
import io.vipflip.route.RouteStatus;
import io.vipflip.route.VipRoute;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A two-node group (a: priority 200, b: 100) over three tables, and a small builder of observations. */
final class PolicyFixture {
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    static final String VIP = "192.168.100.10/32";
    static final List<String> TABLES = List.of("rtb-00000001", "rtb-00000002", "rtb-00000003");
    static final String ENI_A = "eni-0000000a";
    static final String ENI_B = "eni-0000000b";

    static GroupConfig group(Duration failbackDelay, Duration minBetweenFlips, int maxPerHour) {
        return new GroupConfig("web", List.of(VIP),
                List.of(new NodeConfig("a", "i-0000000a", Optional.of(ENI_A), Optional.of("127.0.0.1"), 200),
                        new NodeConfig("b", "i-0000000b", Optional.of(ENI_B), Optional.of("127.0.0.2"), 100)),
                RouteTableSelector.ofIds(TABLES),
                new ProbeSettings(List.of(80), Duration.ofMillis(200), Duration.ofMillis(500), 3, 2, true),
                new FailbackSettings(failbackDelay), new DampingSettings(minBetweenFlips, maxPerHour));
    }

    static GroupConfig group() {
        return group(Duration.ZERO, Duration.ofSeconds(30), 6);
    }

    static final class Obs {
        private final Map<String, NodeHealth> health = new LinkedHashMap<>();
        private final List<VipRoute> routes = new ArrayList<>();
        private final Map<String, Boolean> confirmation = new LinkedHashMap<>();

        Obs health(String node, HealthState state) {
            return health(node, state, NOW.minus(Duration.ofHours(1)));
        }

        Obs health(String node, HealthState state, Instant upSince) {
            health.put(node, new NodeHealth(state, 0, 0,
                    state == HealthState.UP ? Optional.of(upSince) : Optional.empty(), Optional.of(NOW)));
            return this;
        }

        /** Every table's VIP route active on {@code eni}. */
        Obs allOn(String eni) {
            TABLES.forEach(t -> routes.add(VipRoute.toEni(t, VIP, RouteStatus.ACTIVE, eni)));
            return this;
        }

        /** Every table's VIP route in {@code status} toward {@code eni} (MISSING: no route, eni ignored). */
        Obs allTables(RouteStatus status, String eni) {
            TABLES.forEach(t -> route(t, status, eni));
            return this;
        }

        Obs route(String table, RouteStatus status, String eni) {
            routes.add(status == RouteStatus.MISSING ? VipRoute.missing(table, VIP) : VipRoute.toEni(table, VIP, status, eni));
            return this;
        }

        Obs confirmed(String node, boolean passed) {
            confirmation.put(node, passed);
            return this;
        }

        Observation build() {
            List<ResolvedNode> nodes = List.of(
                    new ResolvedNode("a", "i-0000000a", Optional.of(ENI_A), Optional.of("127.0.0.1"), 200),
                    new ResolvedNode("b", "i-0000000b", Optional.of(ENI_B), Optional.of("127.0.0.2"), 100));
            Map<String, NodeHealth> all = new LinkedHashMap<>();
            nodes.forEach(n -> all.put(n.name(), health.getOrDefault(n.name(), NodeHealth.unknown())));
            return new Observation(NOW, nodes, new GroupHealth(all), new RouteSnapshot(routes, List.of()), confirmation);
        }
    }

    static Obs obs() {
        return new Obs();
    }
}
