package io.vipflip.functions;

import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * What the functions log while serving requests — good, refused and oversized — never carries credentials or a
 * request payload of unknown size.
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
        Engine engine = world.engine(Clock.systemUTC());
        ManualFailoverHandler handler = new ManualFailoverHandler(engine);
        String secretish = "AKIA" + "X".repeat(16);
        String padding = "p".repeat(7000);
        List<String> requests = List.of(
                "{\"action\":\"failover\",\"group\":\"web\",\"target\":\"haproxy-b\",\"reason\":\"" + "r".repeat(250) + "\"}",
                "{\"action\":\"status\",\"group\":\"web\",\"" + secretish + padding + "\":1}",
                "{\"action\":\"status\",\"group\":\"web\",\"reason\":\"" + padding + "\"}",
                "{\"action\":\"failover\",\"group\":\"" + secretish + "\",\"target\":\"x\",\"reason\":\"r\"}");
        for (String request : requests) {
            try {
                handler.handleRequest(new ByteArrayInputStream(request.getBytes(StandardCharsets.UTF_8)),
                        new ByteArrayOutputStream(), new FakeContext("manual-failover", Duration.ofSeconds(30), Clock.systemUTC()));
            } catch (InvalidRequestException expected) {
                assertTrue(expected.getMessage().length() < 400, "error messages stay short");
                assertTrue(!expected.getMessage().contains(padding), "the payload is not echoed");
            }
        }

        assertTrue(!LINES.isEmpty(), "the failover was logged");
        for (String line : LINES) {
            assertTrue(line.length() < 2000, "a log line of " + line.length() + " characters");
            assertTrue(!line.contains(padding), "a request payload reached the logs");
            assertTrue(!line.contains("aws_secret_access_key") && !line.contains(secretishSecret()), line);
        }
    }

    /** The static secret the local world's clients sign with. */
    private static String secretishSecret() {
        return "SecretAccessKey=local";
    }
}
