package io.vipflip.aws;

import io.vipflip.aws.Keys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Creates the vipflip table where the template does not (the local world, tests): pk + sk, TTL on ttl. */
public final class VipflipTable {
    private VipflipTable() {
    }

    public static void createIfMissing(DynamoDbClient dynamo, String table) {
        try {
            dynamo.createTable(b -> b.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            a -> a.attributeName(Keys.PK).attributeType(ScalarAttributeType.S),
                            a -> a.attributeName(Keys.SK).attributeType(ScalarAttributeType.S))
                    .keySchema(
                            k -> k.attributeName(Keys.PK).keyType(KeyType.HASH),
                            k -> k.attributeName(Keys.SK).keyType(KeyType.RANGE)));
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
            dynamo.updateTimeToLive(b -> b.tableName(table)
                    .timeToLiveSpecification(t -> t.attributeName(Keys.TTL).enabled(true)));
        } catch (ResourceInUseException exists) {
            // Already there: nothing to do.
        }
    }
}
