package io.vipflip.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.aws.AwsClients;
import io.vipflip.local.harness.FakeContext;
import io.vipflip.local.harness.LocalWorld;
import io.vipflip.runtime.Engine;
import io.vipflip.runtime.InvalidRequestException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * What the functions log while serving requests — good, refused and oversized — never carries the credentials
 * vipflip signs with, a credential-shaped string a request carried, or a request payload of unknown size.
 */
class LogHygieneIT {
    private static final List<String> LINES = new CopyOnWriteArrayList<>();
    private static LocalWorld world;
    private static AbstractAppender appender;

    @BeforeAll
    static void start() {
        world = LocalWorld.start(LocalWorld.Settings.demo());
        world.reset();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        appender = new AbstractAppender("capture", (Filter) null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                LINES.add(event.getMessage().getFormattedMessage()
                        + (event.getThrown() == null ? "" : " " + event.getThrown()));
            }
        };
        appender.start();
        config.getRootLogger().addAppender(appender, org.apache.logging.log4j.Level.ALL, null);
        config.getLoggerConfig("io.vipflip").addAppender(appender, org.apache.logging.log4j.Level.ALL, null);
        context.updateLoggers();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    void logsCarryNeitherCredentialsNorUnboundedPayloads() throws Exception {
        // GIVEN vipflip signing its AWS calls with a secret key unique to this run (DynamoDB Local keeps one
        // database per access key id, so that stays the world's)
        String accessKeyId = "local";
        String secretAccessKey = UUID.randomUUID() + "/" + UUID.randomUUID();
        AwsClients clients = new AwsClients(Region.of(LocalWorld.REGION), Duration.ofSeconds(20),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
        Engine engine = Engine.create(world.config(), world.table(), clients.ec2(world.ec2().endpoint()),
                clients.dynamo(world.dynamo().endpoint()), Clock.systemUTC(), "log-hygiene");
        ManualFailoverHandler handler = new ManualFailoverHandler(engine);
        // and requests carrying a credential-shaped string and payloads of unbounded size
        String injected = "AKIA" + randomUpper(16);
        String padding = "p".repeat(7000);

        // WHEN one good request and three bad ones are served
        serve(handler, "{\"action\":\"failover\",\"group\":\"web\",\"target\":\"haproxy-b\",\"reason\":\""
                + "r".repeat(250) + "\"}");
        InvalidRequestException unknownField = assertThrows(InvalidRequestException.class, () -> serve(handler,
                "{\"action\":\"status\",\"group\":\"web\",\"" + injected + padding + "\":1}"));
        InvalidRequestException longReason = assertThrows(InvalidRequestException.class, () -> serve(handler,
                "{\"action\":\"status\",\"group\":\"web\",\"reason\":\"" + padding + "\"}"));
        InvalidRequestException unknownGroup = assertThrows(InvalidRequestException.class, () -> serve(handler,
                "{\"action\":\"failover\",\"group\":\"" + injected + "\",\"target\":\"x\",\"reason\":\"r\"}"));

        // THEN the good one flipped and was logged, the bad ones were refused naming their field, unechoed payload
        assertTrue(world.allOn("haproxy-b"), "the good request was served: " + world.routes());
        assertTrue(LINES.stream().anyMatch(line -> line.contains("haproxy-b")), "the failover was logged: " + LINES);
        assertTrue(unknownField.field().startsWith(injected), unknownField.field());
        assertEquals("reason", longReason.field());
        assertEquals("group", unknownGroup.field());
        for (InvalidRequestException refused : List.of(unknownField, longReason, unknownGroup)) {
            assertTrue(refused.getMessage().length() < 400, "error messages stay short: " + refused.getMessage());
            assertFalse(refused.getMessage().contains(padding), "the payload is not echoed");
        }
        // and no log line carries the credentials, the injected secret, or a payload
        for (String line : LINES) {
            assertTrue(line.length() < 2000, "a log line of " + line.length() + " characters");
            assertFalse(line.contains(padding), () -> "a request payload reached the logs: " + line.substring(0, 200));
            assertFalse(line.contains(secretAccessKey), "the secret access key reached the logs");
            assertFalse(line.contains(injected), () -> "the injected secret reached the logs: " + line);
        }
    }

    private static void serve(ManualFailoverHandler handler, String request) throws Exception {
        handler.handleRequest(new ByteArrayInputStream(request.getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), new FakeContext("manual-failover", Duration.ofSeconds(30), Clock.systemUTC()));
    }

    private static String randomUpper(int length) {
        StringBuilder text = new StringBuilder();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < length; i++) {
            text.append((char) ('A' + random.nextInt(26)));
        }
        return text.toString();
    }
}
