package io.vipflip.demo;

import io.vipflip.aws.AwsClients;
import io.vipflip.config.ConfigParser;
import io.vipflip.runtime.Engine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The health-check function's watch loop alone in its own JVM, so the cost benchmark can give it a Lambda size's
 * CPU share (a cgroup quota) and heap while the local world runs outside the quota. Reads commands on stdin:
 * {@code start <table> <config file>} (prints {@code steady} once both nodes are UP), {@code stop}
 * (prints {@code stopped}); exits at end of input.
 */
public final class WatchProcess {
    private WatchProcess() {
    }

    public static void main(String[] args) throws Exception {
        URI ec2Endpoint = URI.create(args[0]);
        URI dynamoEndpoint = URI.create(args[1]);
        AwsClients clients = new AwsClients(Region.of(args[2]), Duration.ofSeconds(10),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        var ec2 = clients.ec2(ec2Endpoint);
        var dynamo = clients.dynamo(dynamoEndpoint);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Thread loop = null;
        Engine running = null;
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split("\\s+");
            if (words[0].equals("start")) {
                Engine engine = Engine.create(new ConfigParser().parse(Files.readString(Path.of(words[2]))), words[1],
                        ec2, dynamo, Clock.systemUTC(), "bench:" + UUID.randomUUID());
                running = engine;
                loop = Thread.ofPlatform().name("watch-loop").start(() -> engine.watch().run(Duration.ofMinutes(5), r -> { }));
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        while (!engine.orchestrator().health("web").map(h -> h.of("haproxy-a").isUp()
                                && h.of("haproxy-b").isUp()).orElse(false)) {
                            Thread.sleep(5);
                        }
                        System.out.println("steady");
                        System.out.flush();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            } else if (words[0].equals("stop") && loop != null) {
                running.watch().stop(); // an interrupt alone can be lost in an SDK call
                loop.join(10_000);
                System.out.println("stopped");
                System.out.flush();
            }
        }
        System.exit(0);
    }
}
