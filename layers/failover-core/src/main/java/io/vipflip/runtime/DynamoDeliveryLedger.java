package io.vipflip.runtime;

import io.vipflip.aws.Keys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * One small item per delivered event in the vipflip table ({@code pk = delivery#<sha-256 of the key>}), written
 * with a condition that it does not exist yet; DynamoDB's TTL removes it after {@code keepUntil}. A release marks
 * the item rather than deleting it: the functions' role has no DeleteItem, and needs none.
 */
public final class DynamoDeliveryLedger implements DeliveryLedger {
    /** Never claimed, or claimed by a delivery whose handling failed and was released. */
    static final String FIRST_DELIVERY_CONDITION = "attribute_not_exists(#pk) OR #released = :true";
    static final String PK_PREFIX = "delivery#";
    static final String SK = "delivery";
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDeliveryLedger(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean claim(String key, Instant keepUntil) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(Keys.PK, AttributeValue.fromS(pk(key)), Keys.SK, AttributeValue.fromS(SK),
                            "key", AttributeValue.fromS(key.length() <= 512 ? key : key.substring(0, 512)),
                            Keys.TTL, AttributeValue.fromN(Long.toString(keepUntil.getEpochSecond() + 1))))
                    .conditionExpression(FIRST_DELIVERY_CONDITION)
                    .expressionAttributeNames(Map.of("#pk", Keys.PK, "#released", "released"))
                    .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true))));
            return true;
        } catch (ConditionalCheckFailedException seen) {
            return false;
        }
    }

    @Override
    public void release(String key) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(Map.of(Keys.PK, AttributeValue.fromS(pk(key)), Keys.SK, AttributeValue.fromS(SK)))
                .updateExpression("SET #released = :true")
                .expressionAttributeNames(Map.of("#released", "released"))
                .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true))));
    }

    static String pk(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return PK_PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
