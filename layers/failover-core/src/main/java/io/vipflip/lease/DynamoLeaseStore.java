package io.vipflip.lease;

import static io.vipflip.lease.Keys.n;
import static io.vipflip.lease.Keys.s;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The lease as one DynamoDB item per group. Acquire is a single conditional UpdateItem that also increments the
 * fencing token; release is conditioned on owner and token. The item is never deleted, so tokens only grow.
 * No heartbeat thread: a Lambda container is frozen between invocations, so the lease is held only across one
 * decide → act → verify → record.
 */
public final class DynamoLeaseStore implements LeaseStore {
    /**
     * Free or expired, whoever asks: not re-entrant. Two execution environments restored from one SnapStart
     * snapshot could share an owner string; a second acquire while the lease is held must fail for them too
     * (issue 11, docs/decisions.md 24). The fencing token tells the holders apart.
     */
    static final String ACQUIRE_CONDITION = "attribute_not_exists(#owner) OR #expiresAt < :now";
    static final String ACQUIRE_UPDATE = "SET #owner = :me, #expiresAt = :expires ADD #token :one";
    static final String RELEASE_CONDITION = "#owner = :me AND #token = :token";
    static final String RELEASE_UPDATE = "REMOVE #owner SET #expiresAt = :zero";
    static final Map<String, String> NAMES = Map.of("#owner", "owner", "#expiresAt", "expiresAt", "#token", "token");

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoLeaseStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Lease> acquire(String group, String owner, Instant now, Duration duration) {
        Instant expires = now.plus(duration);
        try {
            UpdateItemResponse response = dynamo.updateItem(b -> b.tableName(table)
                    .key(Keys.key(group, Keys.LEASE_SK))
                    .conditionExpression(ACQUIRE_CONDITION)
                    .updateExpression(ACQUIRE_UPDATE)
                    .expressionAttributeNames(NAMES)
                    .expressionAttributeValues(Map.of(":me", s(owner), ":now", n(now.toEpochMilli()),
                            ":expires", n(expires.toEpochMilli()), ":one", n(1)))
                    .returnValues(ReturnValue.ALL_NEW));
            long token = Long.parseLong(response.attributes().get("token").n());
            return Optional.of(new Lease(group, owner, token, expires));
        } catch (ConditionalCheckFailedException held) {
            return Optional.empty();
        }
    }

    @Override
    public boolean stillHeld(Lease lease, Instant now) {
        return read(lease.group())
                .filter(r -> r.owner().filter(lease.owner()::equals).isPresent())
                .filter(r -> r.token() == lease.token() && r.expiresAt().isAfter(now))
                .isPresent();
    }

    @Override
    public boolean release(Lease lease) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Keys.key(lease.group(), Keys.LEASE_SK))
                    .conditionExpression(RELEASE_CONDITION)
                    .updateExpression(RELEASE_UPDATE)
                    .expressionAttributeNames(NAMES)
                    .expressionAttributeValues(Map.of(":me", s(lease.owner()), ":token", n(lease.token()),
                            ":zero", n(0))));
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    @Override
    public Optional<LeaseRecord> read(String group) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).key(Keys.key(group, Keys.LEASE_SK))
                .consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = response.item();
        return Optional.of(new LeaseRecord(group,
                Optional.ofNullable(item.get("owner")).map(AttributeValue::s),
                Instant.ofEpochMilli(Long.parseLong(item.getOrDefault("expiresAt", n(0)).n())),
                Long.parseLong(item.getOrDefault("token", n(0)).n())));
    }
}
