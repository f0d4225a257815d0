package io.vipflip.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.RouteTableSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The route model and the parallel writer, without EC2: what a snapshot says, how writes fan out. */
class RouteModelTest {
    private static final String VIP = "192.168.100.10/32";

    private static VipRoute active(String table, String eni) {
        return VipRoute.toEni(table, VIP, RouteStatus.ACTIVE, eni);
    }

    @Test
    void aSnapshotIsAllActiveOnAnEni_onlyWhenEveryRouteIsActiveThere() {
        assertTrue(new RouteSnapshot(List.of(active("t1", "eni-a"), active("t2", "eni-a")), List.of()).allActiveOn("eni-a"));
        assertFalse(new RouteSnapshot(List.of(active("t1", "eni-a"), active("t2", "eni-b")), List.of()).allActiveOn("eni-a"));
        assertFalse(new RouteSnapshot(List.of(VipRoute.toEni("t1", VIP, RouteStatus.BLACKHOLE, "eni-a")), List.of())
                .allActiveOn("eni-a"), "a blackhole carries no traffic");
        assertFalse(new RouteSnapshot(List.of(VipRoute.missing("t1", VIP)), List.of()).allActiveOn("eni-a"));
        assertFalse(new RouteSnapshot(List.of(), List.of("t1")).allActiveOn("eni-a"), "nothing read proves nothing");
    }

    @Test
    void aRouteDescribesItsTargetForOperators() {
        assertEquals("missing", VipRoute.missing("t1", VIP).describeTarget());
        assertEquals("eni-a", active("t1", "eni-a").describeTarget());
        assertEquals("eni-a (blackhole)", VipRoute.toEni("t1", VIP, RouteStatus.BLACKHOLE, "eni-a").describeTarget());
        assertEquals("igw-1", new VipRoute("t1", VIP, RouteStatus.ACTIVE, Optional.empty(), Optional.of("igw-1"))
                .describeTarget());
        assertEquals("?", new VipRoute("t1", VIP, RouteStatus.ACTIVE, Optional.empty(), Optional.empty()).describeTarget());
    }

    @Test
    void anUnknownOutcome_failedButMayHaveLanded() {
        RouteChange change = new RouteChange("t1", VIP, "eni-b", active("t1", "eni-a"));
        RouteWriteOutcome unknown = RouteWriteOutcome.unknown(change, "ReplaceRoute", "timeout", Duration.ofSeconds(1));

        assertFalse(unknown.succeeded());
        assertTrue(unknown.mayHaveLanded());
        assertEquals(Optional.of("timeout"), unknown.error());
        assertEquals("eni-b", unknown.targetEni());
    }

    /** Records every write with its bound; throws for table "boom". */
    private static final class Recording implements RouteTables {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public RouteSnapshot read(RouteTableSelector selector, List<String> vips) {
            calls.add("read " + selector.ids());
            return new RouteSnapshot(selector.ids().stream().map(t -> active(t, "eni-a")).toList(), List.of());
        }

        @Override
        public RouteWriteOutcome write(RouteChange change, Duration within) {
            calls.add("write " + change.tableId() + " within " + within);
            if (change.tableId().equals("boom")) {
                throw new IllegalStateException("boom");
            }
            return RouteWriteOutcome.ok(change, "ReplaceRoute", Duration.ZERO);
        }
    }

    /** A clock that does not move: each write's bound is exactly what is left of the window. */
    private static final ParallelRouteWriter.Ticker FROZEN = new ParallelRouteWriter.Ticker() {
        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public void sleepUntil(long nanoTime) {
        }
    };

    private static RouteChange toB(String table) {
        return new RouteChange(table, VIP, "eni-b", active(table, "eni-a"));
    }

    @Test
    void theParallelWriter_writesEveryChangeWithItsBound_andReportsInOrder() {
        Recording tables = new Recording();

        List<RouteWriteOutcome> outcomes = new ParallelRouteWriter(tables, FROZEN)
                .writeAll(List.of(toB("t1"), toB("boom"), toB("t3")), Duration.ofSeconds(3));

        assertEquals(List.of("t1", "boom", "t3"), outcomes.stream().map(RouteWriteOutcome::tableId).toList());
        assertEquals(List.of(true, false, true), outcomes.stream().map(RouteWriteOutcome::succeeded).toList());
        assertTrue(outcomes.get(1).error().orElseThrow().contains("boom"), outcomes.get(1).toString());
        assertEquals(3, tables.calls.size());
        assertTrue(tables.calls.stream().allMatch(c -> c.endsWith("within PT3S")), tables.calls.toString());
    }

    @Test
    void oneChange_isWrittenInline_withItsBound_andWithoutABoundOutsideALease() {
        Recording tables = new Recording();

        List<RouteWriteOutcome> bounded = new ParallelRouteWriter(tables, FROZEN).writeAll(List.of(toB("t1")), Duration.ofSeconds(2));
        List<RouteWriteOutcome> unbounded = new ParallelRouteWriter(tables, FROZEN).writeAll(List.of(toB("t2")));
        RouteWriteOutcome direct = tables.write(toB("t3"));

        assertEquals("t1", bounded.getFirst().tableId());
        assertTrue(bounded.getFirst().succeeded());
        assertEquals("t2", unbounded.getFirst().tableId());
        assertTrue(direct.succeeded());
        assertEquals(List.of("write t1 within PT2S", "write t2 within PT24H", "write t3 within PT24H"), tables.calls);
    }

    @Test
    void readAll_byDefault_readsEachGroupWithItsOwnQuery() {
        Recording tables = new Recording();
        Map<String, RouteQuery> queries = new LinkedHashMap<>();
        queries.put("web", new RouteQuery(RouteTableSelector.ofIds(List.of("t1", "t2")), List.of(VIP)));
        queries.put("api", new RouteQuery(RouteTableSelector.ofIds(List.of("t3")), List.of(VIP)));

        Map<String, RouteSnapshot> all = tables.readAll(queries);

        assertEquals(List.of("web", "api"), List.copyOf(all.keySet()));
        assertEquals(List.of("t1", "t2"), all.get("web").tableIds());
        assertEquals(List.of("t3"), all.get("api").tableIds());
        assertEquals(List.of("read [t1, t2]", "read [t3]"), tables.calls);
    }
}
