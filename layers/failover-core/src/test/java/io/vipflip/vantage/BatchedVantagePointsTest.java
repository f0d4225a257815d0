package io.vipflip.vantage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.probe.ProbeTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * How asks are grouped into batches: within the observer's limits, never so late that an ask's own deadline is lost,
 * and sent with the latest deadline of the batch. The observers here answer at once and record what they were asked
 * (the Lambda round trip itself is {@link BatchedVantagePointsIT}'s).
 */
class BatchedVantagePointsTest {
    private record Asked(int nodes, int ports, Duration deadline) {
    }

    /** One observer that sees every node UP at once. */
    private static final class RecordingObserver implements VantagePoints {
        final List<Asked> asked = new CopyOnWriteArrayList<>();

        @Override
        public int count() {
            return 1;
        }

        @Override
        public VantageVotes ask(List<ProbeTarget> targets, Duration probeTimeout, Duration deadline) {
            asked.add(new Asked(targets.size(), targets.stream().mapToInt(t -> t.ports().size()).sum(), deadline));
            Map<String, NodeSeen> nodes = new LinkedHashMap<>();
            targets.forEach(t -> nodes.put(t.node(), new NodeSeen(t.node(),
                    t.ports().stream().map(p -> new PortSeen(p, PortState.UP, 1, "")).toList())));
            return new VantageVotes(1, List.of(new VantageView("az-x", nodes)), List.of());
        }
    }

    private static List<ProbeTarget> node(String name, int ports) {
        return List.of(new ProbeTarget(name, "10.0.1.5", IntStream.rangeClosed(1, ports).boxed().toList()));
    }

    @Test
    void aBatchHoldsAtMost512Ports_theOpenSocketsOfTheFormer32NodeLimit() throws Exception {
        RecordingObserver observer = new RecordingObserver();
        BatchedVantagePoints batched = new BatchedVantagePoints(observer, Duration.ofSeconds(1));
        // 17 asks of 32 ports each: 16 fill one batch (512), the 17th needs another.
        List<List<ProbeTarget>> asks = IntStream.range(0, 17).mapToObj(i -> node("a", 32)).toList();

        List<VantageVotes> votes = ConcurrentAsks.atOnce(batched, asks, Duration.ofMillis(100),
                asks.stream().map(a -> Duration.ofSeconds(10)).toList());

        assertEquals(2, observer.asked.size(), observer.asked.toString());
        assertTrue(observer.asked.stream().allMatch(a -> a.ports() <= BatchedVantagePoints.MAX_PORTS));
        assertEquals(17 * 32, observer.asked.stream().mapToInt(Asked::ports).sum());
        votes.forEach(v -> assertEquals(List.of(java.util.Optional.of(true)),
                v.answers().stream().map(view -> view.sees("a")).toList()));
    }

    @Test
    void anAskWithOnlyTheMinimumRoundTripLeft_isSentAtOnce_notHeldForTheGatherWindow() throws Exception {
        RecordingObserver observer = new RecordingObserver();
        // A gather window longer than the ask's whole deadline: waiting it out would leave no vote.
        BatchedVantagePoints batched = new BatchedVantagePoints(observer, Duration.ofSeconds(3));

        VantageVotes votes = batched.ask(node("a", 1), Duration.ofMillis(1000), Duration.ofMillis(1050));

        assertEquals(List.of(), votes.silent());
        assertEquals(1, votes.answers().size());
    }

    @Test
    void aBatchIsSentWithTheLatestDeadlineOfItsMembers_soAShortOneCutsNobodyElsesAskShort() throws Exception {
        RecordingObserver observer = new RecordingObserver();
        BatchedVantagePoints batched = new BatchedVantagePoints(observer, Duration.ofMillis(500));

        ConcurrentAsks.atOnce(batched, List.of(node("a", 1), node("b", 1)), Duration.ofMillis(100),
                List.of(Duration.ofMillis(1000), Duration.ofSeconds(5)));

        assertEquals(1, observer.asked.size(), "one batch: " + observer.asked);
        assertTrue(observer.asked.getFirst().deadline().compareTo(Duration.ofSeconds(3)) > 0,
                "sent with the 5 s member's deadline: " + observer.asked.getFirst().deadline());
    }
}
