package io.vipflip.history;

import io.vipflip.aws.Keys;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The watcher item in the vipflip table ({@code pk = sk = "watcher"}, beside the groups' items). Each write is one
 * PutItem conditioned on the version read before it. The SDK resends a PutItem whose answer was lost; if the first
 * copy landed, the resent one fails its condition. Each write therefore carries a write id of its own, and the item
 * returned with a failed condition (ALL_OLD) tells: our write id, the write is done (as the lease store's acquire,
 * decision 42); another one after a resend, the first copy may have landed and been replaced — unknown (decision 58).
 */
public final class DynamoWatcherStore implements WatcherStore {
    static final String PK = "watcher";
    static final String SK = "watcher";
    static final String ABSENT = "attribute_not_exists(#pk)";
    static final String AT_VERSION = "#version = :expected";
    /** Each write's own id, to recognise it in the item a failed condition returns. */
    static final String WRITE_ID = "writeId";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoWatcherStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    private static Map<String, AttributeValue> key() {
        return Map.of(Keys.PK, AttributeValue.fromS(PK), Keys.SK, AttributeValue.fromS(SK));
    }

    @Override
    public Optional<WatcherRecord> read() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key()).consistentRead(true))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Optional<WatcherRecord.Successor> successor = item.containsKey("successor")
                ? Optional.of(new WatcherRecord.Successor(item.get("successor").s(), instant(item, "successorUntil"),
                instant(item, "successorAskedAt")))
                : Optional.empty();
        Map<String, Instant> rounds = new LinkedHashMap<>();
        if (item.containsKey("nextRounds")) {
            item.get("nextRounds").m().forEach((group, at) -> rounds.put(group, Instant.ofEpochMilli(Long.parseLong(at.n()))));
        }
        return Optional.of(new WatcherRecord(item.get("owner").s(), Long.parseLong(item.get("version").n()),
                instant(item, "watchingUntil"), instant(item, "heartbeatAt"), successor, rounds));
    }

    @Override
    public boolean write(long expectedVersion, WatcherRecord next) {
        String writeId = UUID.randomUUID().toString();
        Map<String, AttributeValue> item = new HashMap<>(key());
        item.put(WRITE_ID, AttributeValue.fromS(writeId));
        item.put("owner", AttributeValue.fromS(next.owner()));
        item.put("version", n(next.version()));
        item.put("watchingUntil", n(next.watchingUntil().toEpochMilli()));
        item.put("heartbeatAt", n(next.heartbeatAt().toEpochMilli()));
        next.successor().ifPresent(s -> {
            item.put("successor", AttributeValue.fromS(s.owner()));
            item.put("successorUntil", n(s.watchingUntil().toEpochMilli()));
            item.put("successorAskedAt", n(s.askedAt().toEpochMilli()));
        });
        if (!next.nextRounds().isEmpty()) {
            Map<String, AttributeValue> rounds = new HashMap<>();
            next.nextRounds().forEach((group, at) -> rounds.put(group, n(at.toEpochMilli())));
            item.put("nextRounds", AttributeValue.fromM(rounds));
        }
        try {
            if (expectedVersion == 0) {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression(ABSENT)
                        .expressionAttributeNames(Map.of("#pk", Keys.PK))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            } else {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression(AT_VERSION)
                        .expressionAttributeNames(Map.of("#version", "version"))
                        .expressionAttributeValues(Map.of(":expected", n(expectedVersion)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            }
            return true;
        } catch (ConditionalCheckFailedException changed) {
            AttributeValue found = changed.hasItem() ? changed.item().get(WRITE_ID) : null;
            if (found != null && writeId.equals(found.s())) {
                return true; // our own earlier copy: the SDK resent it after a lost answer
            }
            // Not knowing how many attempts were sent (not through the SDK's retry stage) is as good as more than one.
            if (changed.numAttempts() == null || changed.numAttempts() > 1) {
                throw new WatcherWriteUnknownException("the watcher item changed while the SDK resent our write ("
                        + changed.numAttempts() + " attempts): an earlier copy may have landed", changed);
            }
            return false;
        }
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        return Instant.ofEpochMilli(Long.parseLong(item.get(name).n()));
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
