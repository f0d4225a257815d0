package io.vipflip.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vipflip.policy.DecisionKind;
import io.vipflip.policy.GroupState;
import io.vipflip.policy.HistoryKind;
import io.vipflip.policy.TableBackoff;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The state item's kinds are stored by the wire names earlier versions wrote, and unknown values read safely. */
class StateCodecTest {
    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");
    private final StateCodec codec = new StateCodec();

    @Test
    void theLastRefusalAndTheRepairBackoff_roundTrip_underTheirStoredNames() {
        GroupState state = GroupState.initial().withLastRefusal(Optional.of(DecisionKind.NO_HEALTHY_NODE))
                .withBackoff(Map.of("rtb-1", new TableBackoff(2, T, T.plusSeconds(30), "UnauthorizedOperation")));

        Map<String, AttributeValue> item = codec.stateItem("web", state, 4);

        assertEquals("no-healthy-node", item.get("lastOutcome").s());
        GroupState read = codec.state(item);
        assertEquals(state.lastRefusal(), read.lastRefusal());
        assertEquals(state.backoff(), read.backoff());
    }

    @Test
    void valuesThisVersionDoesNotKnow_readAsNothing_notAsAnError() {
        Map<String, AttributeValue> item = new HashMap<>(codec.stateItem("web", GroupState.initial(), 4));
        item.put("lastOutcome", AttributeValue.fromS("something-newer"));
        item.put("repairBackoff", AttributeValue.fromS("[\"not the shape we write\"]"));
        item.put("pinNode", AttributeValue.fromS("b"));
        item.put("pinExpiresAt", AttributeValue.fromN("1"));

        GroupState read = codec.state(item);

        assertEquals(Optional.empty(), read.lastRefusal());
        assertEquals(Map.of(), read.backoff());
        assertEquals("b", read.pin().orElseThrow().node(), "an old item's pin expiry is ignored");
    }

    @Test
    void historyKinds_areStoredByTheirWireNames_andAnUnknownOneReadsAsUnknown() {
        HistoryEvent event = new HistoryEvent("web", T, 3, HistoryKind.NO_HEALTHY_NODE, "schedule", Optional.empty(),
                Optional.empty(), "both down", List.of(), Map.of());

        Map<String, AttributeValue> item = codec.eventItem(event, Duration.ofDays(1));

        assertEquals("no-healthy-node", item.get("kind").s());
        assertEquals(event, codec.event(item));
        Map<String, AttributeValue> newer = new HashMap<>(item);
        newer.put("detail", AttributeValue.fromS(item.get("detail").s().replace("no-healthy-node", "something-newer")));
        assertEquals(HistoryKind.UNKNOWN, codec.event(newer).kind());
    }
}
