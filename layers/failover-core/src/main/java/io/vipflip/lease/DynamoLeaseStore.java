package io.vipflip.lease;

import io.vipflip.aws.Keys;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
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
    /** Each call stamps its own attempt id, so that the SDK's retry of an acquire that was applied is recognised. */
    static final String ACQUIRE_UPDATE = "SET #owner = :me, #expiresAt = :expires, #attempt = :attempt ADD #token :one";
    static final String RELEASE_CONDITION = "#owner = :me AND #token = :token";
    static final String RELEASE_UPDATE = "REMOVE #owner SET #expiresAt = :zero";
    static final Map<String, String> NAMES = Map.of("#owner", "owner", "#expiresAt", "expiresAt", "#token", "token");
    static final Map<String, String> ACQUIRE_NAMES = Map.of("#owner", "owner", "#expiresAt", "expiresAt",
            "#token", "token", "#attempt", "attempt");

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoLeaseStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Lease> acquire(String group, String owner, Instant now, Duration duration) {
        return acquire(group, owner, now, duration, UUID.randomUUID().toString());
    }

    /**
     * One acquire attempt. The SDK resends the same request when a response is lost (timeout, reset, 5xx); if the
     * first copy was applied, the copy fails the condition because we now hold the lease. The old item returned
     * with the failure then carries our attempt id: the lease is ours, with the token the first copy took.
     * Without this the group stayed locked for a whole lease while no run acted (review of issue 11).
     */
    Optional<Lease> acquire(String group, String owner, Instant now, Duration duration, String attempt) {
        Instant expires = now.plus(duration);
        try {
            UpdateItemResponse response = dynamo.updateItem(b -> b.tableName(table)
                    .key(Keys.key(group, Keys.LEASE_SK))
                    .conditionExpression(ACQUIRE_CONDITION)
                    .updateExpression(ACQUIRE_UPDATE)
                    .expressionAttributeNames(ACQUIRE_NAMES)
                    .expressionAttributeValues(Map.of(":me", s(owner), ":now", n(now.toEpochMilli()),
                            ":expires", n(expires.toEpochMilli()), ":one", n(1), ":attempt", s(attempt)))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            long token = Long.parseLong(response.attributes().get("token").n());
            return Optional.of(new Lease(group, owner, token, expires));
        } catch (ConditionalCheckFailedException held) {
            Map<String, AttributeValue> old = held.hasItem() ? held.item() : Map.of();
            boolean ours = attempt.equals(Optional.ofNullable(old.get("attempt")).map(AttributeValue::s).orElse(null))
                    && owner.equals(Optional.ofNullable(old.get("owner")).map(AttributeValue::s).orElse(null));
            if (ours) {
                return Optional.of(new Lease(group, owner, Long.parseLong(old.get("token").n()),
                        Instant.ofEpochMilli(Long.parseLong(old.get("expiresAt").n()))));
            }
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
        return release(lease, Optional.empty());
    }

    @Override
    public boolean release(Lease lease, Instant now, Instant deadline) {
        Optional<software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration> bound =
                io.vipflip.aws.CallBound.until(deadline, now);
        return bound.isPresent() && release(lease, bound);
    }

    private boolean release(Lease lease, Optional<software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration> bound) {
        try {
            dynamo.updateItem(b -> b.tableName(table).overrideConfiguration(bound.orElse(null))
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

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
