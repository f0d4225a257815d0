package io.vipflip.history;

import io.vipflip.aws.CallBound;
import io.vipflip.aws.Keys;
import io.vipflip.lease.Lease;
import io.vipflip.lease.LeaseLostException;
import io.vipflip.policy.GroupState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * State and history in the vipflip table. A write is one TransactWriteItems whose first item is a ConditionCheck
 * on the lease item (owner, token, unexpired): a holder whose lease was taken over records nothing.
 */
public final class DynamoGroupStateStore implements GroupStateStore {
    static final String LEASE_HELD_CONDITION = "#owner = :me AND #token = :token AND #expiresAt > :now";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration historyTtl;
    private final StateCodec codec = new StateCodec();

    public DynamoGroupStateStore(DynamoDbClient dynamo, String table, Duration historyTtl) {
        this.dynamo = dynamo;
        this.table = table;
        this.historyTtl = historyTtl;
    }

    @Override
    public GroupState read(String group) {
        return codec.state(dynamo.getItem(b -> b.tableName(table).key(Keys.key(group, Keys.STATE_SK))
                .consistentRead(true)).item());
    }

    @Override
    public GroupState read(String group, Instant now, Instant deadline) {
        var bound = CallBound.required(deadline, now, "read the state of group " + group);
        return codec.state(dynamo.getItem(b -> b.tableName(table).key(Keys.key(group, Keys.STATE_SK))
                .consistentRead(true).overrideConfiguration(bound)).item());
    }

    @Override
    public void record(Lease lease, Instant now, GroupState state, Optional<HistoryEvent> event) {
        record(lease, now, state, event, Instant.MAX);
    }

    /** The transaction (every attempt) ends by {@code deadline}; not sent when no time is left. */
    @Override
    public void record(Lease lease, Instant now, GroupState state, Optional<HistoryEvent> event, Instant deadline) {
        var bound = CallBound.required(deadline, now, "record the state of group " + lease.group());
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().conditionCheck(c -> c.tableName(table)
                .key(Keys.key(lease.group(), Keys.LEASE_SK))
                .conditionExpression(LEASE_HELD_CONDITION)
                .expressionAttributeNames(Map.of("#owner", "owner", "#token", "token", "#expiresAt", "expiresAt"))
                .expressionAttributeValues(Map.of(
                        ":me", AttributeValue.fromS(lease.owner()),
                        ":token", AttributeValue.fromN(Long.toString(lease.token())),
                        ":now", AttributeValue.fromN(Long.toString(now.toEpochMilli()))))).build());
        items.add(TransactWriteItem.builder().put(p -> p.tableName(table)
                .item(codec.stateItem(lease.group(), state, lease.token()))).build());
        event.ifPresent(e -> items.add(TransactWriteItem.builder().put(p -> p.tableName(table)
                .item(codec.eventItem(e, historyTtl))).build()));
        try {
            dynamo.transactWriteItems(b -> b.transactItems(items).overrideConfiguration(bound));
        } catch (TransactionCanceledException e) {
            boolean leaseCheckFailed = e.hasCancellationReasons() && !e.cancellationReasons().isEmpty()
                    && "ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code());
            if (leaseCheckFailed) {
                throw new LeaseLostException(lease, "record state and history");
            }
            throw e;
        }
    }

    @Override
    public void recordAfterLeaseLost(HistoryEvent event) {
        dynamo.putItem(b -> b.tableName(table).item(codec.eventItem(event, historyTtl)));
    }

    @Override
    public void recordAfterLeaseLost(HistoryEvent event, Instant now, Instant deadline) {
        var bound = CallBound.required(deadline, now, "record the history of group " + event.group());
        dynamo.putItem(b -> b.tableName(table).item(codec.eventItem(event, historyTtl)).overrideConfiguration(bound));
    }

    @Override
    public void handOver(String group, io.vipflip.health.GroupHealth health) {
        dynamo.updateItem(b -> b.tableName(table).key(Keys.key(group, Keys.STATE_SK))
                .updateExpression("SET #health = :health")
                .expressionAttributeNames(Map.of("#health", "health"))
                .expressionAttributeValues(Map.of(":health", AttributeValue.fromS(codec.json(health)))));
    }

    @Override
    public List<HistoryEvent> history(String group, int limit) {
        return history(group, limit, Optional.empty());
    }

    @Override
    public List<HistoryEvent> history(String group, int limit, Instant now, Instant deadline) {
        return history(group, limit, Optional.of(CallBound.required(deadline, now, "read the history of group " + group)));
    }

    private List<HistoryEvent> history(String group, int limit,
                                       Optional<software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration> bound) {
        return dynamo.query(b -> b.tableName(table).overrideConfiguration(bound.orElse(null))
                        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                        .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.groupPk(group)),
                                ":prefix", AttributeValue.fromS(Keys.EVENT_PREFIX)))
                        .scanIndexForward(false)
                        .limit(limit))
                .items().stream().map(codec::event).toList();
    }
}
