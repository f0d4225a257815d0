package io.vipflip.demo;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.vipflip.aws.AwsClients;
import io.vipflip.local.harness.FakeContext;
import io.vipflip.orchestrator.WatchLoop;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.regions.Region;

/**
 * Runs in a fresh JVM started by the cold-start benchmark. {@code handler}: the health-check function's public
 * constructor (Engine from the environment, as Lambda does) and one scheduled invocation of one round.
 * {@code minimal}: only builds the SDK clients. Prints "millis classes" from JVM start.
 */
public final class ColdStartProbe {
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("minimal")) {
            AwsClients clients = new AwsClients(Region.of("eu-west-1"), Duration.ofSeconds(10));
            clients.ec2();
            clients.dynamo();
        } else {
            Object handler = Class.forName("io.vipflip.functions.HealthCheckHandler").getConstructor().newInstance();
            FakeContext context = new FakeContext("health-check", WatchLoop.SAFETY_MARGIN.plusMillis(100),
                    Clock.systemUTC());
            handler.getClass().getMethod("handleRequest", ScheduledEvent.class,
                    com.amazonaws.services.lambda.runtime.Context.class).invoke(handler, new ScheduledEvent(), context);
        }
        System.out.println("COLDSTART " + ManagementFactory.getRuntimeMXBean().getUptime() + " "
                + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
        System.exit(0);
    }
}
