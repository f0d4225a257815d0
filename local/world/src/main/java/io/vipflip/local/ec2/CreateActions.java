package io.vipflip.local.ec2;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CreateVpc, CreateSubnet, CreateNetworkInterface and CreateRouteTable (with TagSpecification): enough for a test
 * to seed a world through the EC2 API, as it must on an endpoint it cannot seed directly (LocalStack, AWS).
 * Callers hold the world's lock.
 */
final class CreateActions {
    private final World world;
    private final AtomicLong ids = new AtomicLong(0x7000);

    CreateActions(World world) {
        this.world = world;
    }

    String createVpc(QueryParams params) {
        String cidr = params.required("CidrBlock");
        String id = id("vpc");
        world.vpc(id, cidr);
        return new Xml().openRoot("CreateVpcResponse").text("requestId", UUID.randomUUID()).open("vpc")
                .text("vpcId", id).text("state", "available").text("cidrBlock", cidr).text("ownerId", world.accountId)
                .close("vpc").close("CreateVpcResponse").toString();
    }

    String createSubnet(QueryParams params) {
        String vpc = params.required("VpcId");
        if (!world.vpcs.containsKey(vpc)) {
            throw Ec2Error.client("InvalidVpcID.NotFound", "The vpc ID '" + vpc + "' does not exist");
        }
        String cidr = params.required("CidrBlock");
        String az = params.get("AvailabilityZone").orElse("eu-west-1a");
        String id = id("subnet");
        world.subnet(id, vpc, az, cidr);
        return new Xml().openRoot("CreateSubnetResponse").text("requestId", UUID.randomUUID()).open("subnet")
                .text("subnetId", id).text("vpcId", vpc).text("cidrBlock", cidr).text("availabilityZone", az)
                .text("state", "available").close("subnet").close("CreateSubnetResponse").toString();
    }

    String createNetworkInterface(QueryParams params) {
        String subnet = params.required("SubnetId");
        if (!world.subnets.containsKey(subnet)) {
            throw Ec2Error.client("InvalidSubnetID.NotFound", "The subnet ID '" + subnet + "' does not exist");
        }
        String id = id("eni");
        String ip = "10.255." + ((ids.get() >> 8) & 0xff) + "." + (ids.get() & 0xff);
        world.enis.put(id, new World.Eni(id, subnet, ip, null, -1, true));
        return new Xml().openRoot("CreateNetworkInterfaceResponse").text("requestId", UUID.randomUUID())
                .open("networkInterface").text("networkInterfaceId", id).text("subnetId", subnet)
                .text("vpcId", world.vpcOf(subnet)).text("availabilityZone", world.availabilityZone(subnet))
                .text("privateIpAddress", ip).text("status", "available").text("sourceDestCheck", true)
                .close("networkInterface").close("CreateNetworkInterfaceResponse").toString();
    }

    String createRouteTable(QueryParams params) {
        String vpc = params.required("VpcId");
        if (!world.vpcs.containsKey(vpc)) {
            throw Ec2Error.client("InvalidVpcID.NotFound", "The vpc ID '" + vpc + "' does not exist");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (int s = 1; params.get("TagSpecification." + s + ".ResourceType").isPresent(); s++) {
            for (int t = 1; params.get("TagSpecification." + s + ".Tag." + t + ".Key").isPresent(); t++) {
                tags.put(params.required("TagSpecification." + s + ".Tag." + t + ".Key"),
                        params.get("TagSpecification." + s + ".Tag." + t + ".Value").orElse(""));
            }
        }
        String id = id("rtb");
        world.routeTable(id, vpc, tags, List.of());
        Xml xml = new Xml().openRoot("CreateRouteTableResponse").text("requestId", UUID.randomUUID())
                .open("routeTable").text("routeTableId", id).text("vpcId", vpc).text("ownerId", world.accountId)
                .open("routeSet").close("routeSet").open("associationSet").close("associationSet").open("tagSet");
        tags.forEach((k, v) -> xml.open("item").text("key", k).text("value", v).close("item"));
        return xml.close("tagSet").close("routeTable").close("CreateRouteTableResponse").toString();
    }

    private String id(String prefix) {
        return String.format("%s-%017x", prefix, ids.incrementAndGet());
    }
}
