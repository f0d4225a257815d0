package io.vipflip.testing;

import io.vipflip.aws.AwsClients;
import io.vipflip.local.ec2.Ec2Endpoint;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Where the route-table integration tests run: the local world (default; seeded directly, with fault injection
 * and a call log) or any EC2 endpoint named by {@code VIPFLIP_IT_EC2_ENDPOINT} or {@code AWS_ENDPOINT_URL}, e.g.
 * LocalStack, seeded through the EC2 API itself (a VPC, a subnet, two ENIs, N tagged route tables).
 */
public final class Ec2Target implements AutoCloseable {
    public static final String VIP = "192.168.100.10/32";
    private final Optional<Ec2Endpoint> local;
    private final Ec2Client ec2;
    private final List<String> tables;
    private final String eniA;
    private final String eniB;
    private final String tagValue;

    private Ec2Target(Optional<Ec2Endpoint> local, Ec2Client ec2, List<String> tables, String eniA, String eniB,
                      String tagValue) {
        this.local = local;
        this.ec2 = ec2;
        this.tables = List.copyOf(tables);
        this.eniA = eniA;
        this.eniB = eniB;
        this.tagValue = tagValue;
    }

    /** The endpoint given by the environment, if any: the tests then run against it instead of the local world. */
    public static Optional<URI> externalEndpoint() {
        String url = Optional.ofNullable(System.getenv("VIPFLIP_IT_EC2_ENDPOINT")).orElse(System.getenv("AWS_ENDPOINT_URL"));
        return url == null || url.isBlank() ? Optional.empty() : Optional.of(URI.create(url));
    }

    public static Ec2Target start(int tables) {
        return start(tables, externalEndpoint());
    }

    /** On the local world when {@code external} is empty, else seeded through the EC2 API of that endpoint. */
    public static Ec2Target start(int tables, Optional<URI> external) {
        if (external.isEmpty()) {
            Ec2Endpoint endpoint = LocalEc2.start(tables);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < tables; i++) {
                ids.add(LocalEc2.tableId(i));
            }
            return new Ec2Target(Optional.of(endpoint), LocalEc2.client(endpoint.endpoint()), ids,
                    "eni-0aaaaaaaaaaaaaaa1", "eni-0bbbbbbbbbbbbbbb2", "web");
        }
        Region region = AwsClients.regionFromEnvironment("us-east-1");
        Ec2Client ec2 = new AwsClients(region, Duration.ofSeconds(30)).ec2(external.get());
        String run = "it-" + UUID.randomUUID();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.77.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.77.1.0/24")).subnet().subnetId();
        String a = ec2.createNetworkInterface(b -> b.subnetId(subnet)).networkInterface().networkInterfaceId();
        String bEni = ec2.createNetworkInterface(b -> b.subnetId(subnet)).networkInterface().networkInterfaceId();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < tables; i++) {
            String id = ec2.createRouteTable(b -> b.vpcId(vpc).tagSpecifications(TagSpecification.builder()
                    .resourceType(ResourceType.ROUTE_TABLE)
                    .tags(Tag.builder().key("vipflip:group").value(run).build()).build()))
                    .routeTable().routeTableId();
            ec2.createRoute(b -> b.routeTableId(id).destinationCidrBlock(VIP).networkInterfaceId(a));
            ids.add(id);
        }
        return new Ec2Target(Optional.empty(), ec2, ids, a, bEni, run);
    }

    public Ec2Client client() {
        return ec2;
    }

    public List<String> tableIds() {
        return tables;
    }

    public List<String> tableIds(int count) {
        return tables.subList(0, count);
    }

    public String eniA() {
        return eniA;
    }

    public String eniB() {
        return eniB;
    }

    /** The value of the vipflip:group tag on this run's tables. */
    public String tagValue() {
        return tagValue;
    }

    /** The local world, when the tests run against it: fault injection, call log, instance states. */
    public Optional<Ec2Endpoint> local() {
        return local;
    }

    /** Where the VIP route of a table points now, read through the API (works on any endpoint). */
    public String target(String table) {
        return ec2.describeRouteTables(b -> b.routeTableIds(table)).routeTables().getFirst().routes().stream()
                .filter(r -> VIP.equals(r.destinationCidrBlock()))
                .map(r -> r.networkInterfaceId() == null ? "?" : r.networkInterfaceId())
                .findFirst().orElse("missing");
    }

    @Override
    public void close() {
        local.ifPresent(Ec2Endpoint::close);
    }
}
