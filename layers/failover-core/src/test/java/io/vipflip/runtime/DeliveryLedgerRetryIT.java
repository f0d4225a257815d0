package io.vipflip.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.testing.LocalDynamo;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * The SDK's own retry of a claim whose first copy DynamoDB Local applied but whose response was lost: the real
 * client and its default retry policy resend the identical request (same attempt id).
 */
class DeliveryLedgerRetryIT {
    private static final Instant KEEP = Instant.parse("2026-11-25T11:00:00Z");
    private final AtomicInteger putAttempts = new AtomicInteger();
    private final AtomicInteger responsesToLose = new AtomicInteger();
    private String table;
    private DynamoDbClient dynamo;

    @BeforeEach
    void setUp() {
        table = LocalDynamo.freshTable();
        dynamo = LocalDynamo.clientWith(new ExecutionInterceptor() {
                    @Override
                    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context,
                            ExecutionAttributes attributes) {
                        if (!(context.request() instanceof PutItemRequest)) {
                            return context.httpResponse();
                        }
                        putAttempts.incrementAndGet();
                        // The item was written; the caller sees a 500 instead of the answer, and the SDK retries.
                        return responsesToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                                ? context.httpResponse().toBuilder().statusCode(500).build()
                                : context.httpResponse();
                    }
                });
    }

    @Test
    void aClaimWhoseAppliedResponseWasLost_isStillOurs_andTheNextDeliveryIsADuplicate() {
        DynamoDeliveryLedger ledger = new DynamoDeliveryLedger(dynamo, table);
        responsesToLose.set(1);

        assertTrue(ledger.claim("stop-event-1", KEEP), "the retry meets our own item: the claim is ours");
        assertEquals(2, putAttempts.get(), "the first response was lost and the SDK resent the request");
        assertFalse(ledger.claim("stop-event-1", KEEP), "a second delivery of the event is still a duplicate");
    }

    @Test
    void anotherAttemptsItem_isNeverTakenForOurs() {
        DynamoDeliveryLedger ledger = new DynamoDeliveryLedger(dynamo, table);

        assertTrue(ledger.claim("stop-event-2", KEEP, "attempt-1"));
        assertTrue(ledger.claim("stop-event-2", KEEP, "attempt-1"), "the resent copy of the applied attempt");
        assertFalse(ledger.claim("stop-event-2", KEEP, "attempt-2"), "a new delivery with its own attempt id");
    }

    @Test
    void aReleasedItemIsClaimedAgain_byAnyAttempt() {
        DynamoDeliveryLedger ledger = new DynamoDeliveryLedger(dynamo, table);

        assertTrue(ledger.claim("stop-event-3", KEEP, "attempt-1"));
        ledger.release("stop-event-3");
        assertTrue(ledger.claim("stop-event-3", KEEP, "attempt-2"));
        assertFalse(ledger.claim("stop-event-3", KEEP, "attempt-3"));
    }
}
