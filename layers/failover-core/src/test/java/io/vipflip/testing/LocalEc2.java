package io.vipflip.testing;

import io.vipflip.local.ec2.Ec2Endpoint;
import io.vipflip.local.ec2.World;
import java.net.URI;
import java.time.Duration;
import io.vipflip.aws.AwsClients;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** An SDK client for an EC2 endpoint, built as production builds it (standard retries, URL-connection client). */
public final class LocalEc2 {
    private LocalEc2() {
    }

    public static Ec2Client client(URI endpoint) {
        return new AwsClients(Region.EU_WEST_1, Duration.ofSeconds(20)).ec2(endpoint);
    }

    /** A world with {@code tables} route tables tagged vipflip:group=web, each routing the VIP to node a. */
    public static World world(int tables) {
        World world = new World("123456789012")
                .vpc("vpc-0000000000000001", "10.0.0.0/16")
                .subnet("subnet-0000000000000001a", "vpc-0000000000000001", "eu-west-1a", "10.0.1.0/24")
                .subnet("subnet-0000000000000001b", "vpc-0000000000000001", "eu-west-1b", "10.0.2.0/24")
                .instance("i-0aaaaaaaaaaaaaaa1", "subnet-0000000000000001a", "127.0.0.1", "eni-0aaaaaaaaaaaaaaa1",
                        java.util.Map.of("Name", "a"))
                .instance("i-0bbbbbbbbbbbbbbb2", "subnet-0000000000000001b", "127.0.0.2", "eni-0bbbbbbbbbbbbbbb2",
                        java.util.Map.of("Name", "b"));
        for (int i = 0; i < tables; i++) {
            String id = tableId(i);
            world.routeTable(id, "vpc-0000000000000001", java.util.Map.of("vipflip:group", "web"),
                    java.util.List.of(i % 2 == 0 ? "subnet-0000000000000001a" : "subnet-0000000000000001b"));
            world.route(id, "192.168.100.10/32", "eni-0aaaaaaaaaaaaaaa1");
        }
        return world;
    }

    public static String tableId(int index) {
        return String.format("rtb-%017x", 0x1000 + index);
    }

    public static Ec2Endpoint start(int tables) {
        return Ec2Endpoint.start(world(tables));
    }
}
