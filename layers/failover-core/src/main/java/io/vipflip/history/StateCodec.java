package io.vipflip.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vipflip.health.GroupHealth;
import io.vipflip.aws.Keys;
import com.fasterxml.jackson.core.type.TypeReference;
import io.vipflip.policy.DecisionKind;
import io.vipflip.policy.GroupState;
import io.vipflip.policy.TableBackoff;
import io.vipflip.policy.Pin;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Maps the state item and history items to and from DynamoDB attributes. */
final class StateCodec {
    private final ObjectMapper json = Json.mapper();

    Map<String, AttributeValue> stateItem(String group, GroupState state, long token) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.key(group, Keys.STATE_SK));
        item.put("paused", AttributeValue.fromBool(state.paused()));
        state.pauseReason().ifPresent(r -> item.put("pauseReason", AttributeValue.fromS(r)));
        state.pin().ifPresent(pin -> {
            item.put("pinNode", AttributeValue.fromS(pin.node()));
            item.put("pinReason", AttributeValue.fromS(pin.reason()));
        });
        item.put("recentFlips", AttributeValue.fromL(state.recentFlips().stream()
                .map(t -> number(t.toEpochMilli())).toList()));
        item.put("token", number(token));
        // "lastOutcome" and the kinds' wire names are what earlier versions stored.
        state.lastRefusal().ifPresent(k -> item.put("lastOutcome", AttributeValue.fromS(k.wire())));
        if (!state.backoff().isEmpty()) {
            item.put("repairBackoff", AttributeValue.fromS(write(state.backoff())));
        }
        state.health().ifPresent(h -> item.put("health", AttributeValue.fromS(write(h))));
        return item;
    }

    GroupState state(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return GroupState.initial();
        }
        Optional<Pin> pin = Optional.ofNullable(item.get("pinNode")).map(node -> new Pin(node.s(),
                Optional.ofNullable(item.get("pinReason")).map(AttributeValue::s).orElse("")));
        List<Instant> flips = Optional.ofNullable(item.get("recentFlips")).map(AttributeValue::l).orElse(List.of())
                .stream().map(v -> Instant.ofEpochMilli(Long.parseLong(v.n()))).toList();
        return new GroupState(
                Optional.ofNullable(item.get("paused")).map(AttributeValue::bool).orElse(false),
                Optional.ofNullable(item.get("pauseReason")).map(AttributeValue::s),
                pin, flips,
                Optional.ofNullable(item.get("token")).map(v -> Long.parseLong(v.n())).orElse(0L),
                Optional.ofNullable(item.get("lastOutcome")).map(AttributeValue::s).flatMap(DecisionKind::fromWire),
                Optional.ofNullable(item.get("health")).map(v -> read(v.s(), GroupHealth.class)),
                Optional.ofNullable(item.get("repairBackoff")).map(v -> backoff(v.s())).orElse(Map.of()));
    }

    Map<String, AttributeValue> eventItem(HistoryEvent event, Duration ttl) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.key(event.group(), eventSortKey(event)));
        item.put("at", AttributeValue.fromS(event.at().toString()));
        item.put("token", number(event.token()));
        item.put("kind", AttributeValue.fromS(event.kind().wire()));
        item.put("detail", AttributeValue.fromS(write(event)));
        item.put(Keys.TTL, number(event.at().plus(ttl).getEpochSecond()));
        return item;
    }

    HistoryEvent event(Map<String, AttributeValue> item) {
        return read(item.get("detail").s(), HistoryEvent.class);
    }

    /**
     * Sorts by time, then token. The time has a fixed width: {@code Instant.toString()} drops a zero fraction and
     * prints 3, 6 or 9 digits, so "…:00.500Z" sorted before "…:00Z" and history read back out of order within a
     * second. Keys written before this change differ only within a second, where they were already misordered.
     */
    static String eventSortKey(HistoryEvent event) {
        return Keys.EVENT_PREFIX + SORTABLE_TIME.format(event.at()) + "#" + String.format("%012d", event.token());
    }

    private static final java.time.format.DateTimeFormatter SORTABLE_TIME = java.time.format.DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private static final TypeReference<Map<String, TableBackoff>> BACKOFF = new TypeReference<>() { };

    /** The repair back-off as stored; one this version cannot read is dropped (the tables are retried at once). */
    private Map<String, TableBackoff> backoff(String text) {
        try {
            return json.readValue(text, BACKOFF);
        } catch (JsonProcessingException | IllegalArgumentException unreadable) {
            return Map.of();
        }
    }

    String json(Object value) {
        return write(value);
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
