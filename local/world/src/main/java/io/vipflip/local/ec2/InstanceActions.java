package io.vipflip.local.ec2;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * DescribeInstances, DescribeNetworkInterfaces and the SourceDestCheck attribute actions, with EC2's shapes.
 * Callers hold the world's lock.
 */
final class InstanceActions {
    private static final Map<String, Integer> STATE_CODES = Map.of("pending", 0, "running", 16,
            "shutting-down", 32, "terminated", 48, "stopping", 64, "stopped", 80);
    private final World world;

    InstanceActions(World world) {
        this.world = world;
    }

    String describeInstances(QueryParams params) {
        List<String> ids = params.list("InstanceId");
        ids.stream().filter(id -> !world.instances.containsKey(id)).findFirst()
                .ifPresent(id -> { throw Ec2Error.notFound("instance", id); });
        Map<String, List<String>> filters = params.filters();
        Xml xml = new Xml().openRoot("DescribeInstancesResponse").text("requestId", UUID.randomUUID())
                .open("reservationSet");
        for (World.Instance instance : world.instances.values()) {
            if ((!ids.isEmpty() && !ids.contains(instance.id)) || !matches(instance, filters)) {
                continue;
            }
            xml.open("item").text("reservationId", "r-" + instance.id.substring(2)).text("ownerId", world.accountId)
                    .open("groupSet").close("groupSet").open("instancesSet").open("item")
                    .text("instanceId", instance.id).text("imageId", "ami-0123456789abcdef0")
                    .open("instanceState").text("code", STATE_CODES.getOrDefault(instance.state, 16))
                    .text("name", instance.state).close("instanceState")
                    .text("privateIpAddress", instance.privateIp).text("instanceType", "t4g.small")
                    .open("placement").text("availabilityZone", world.availabilityZone(instance.subnetId))
                    .text("tenancy", "default").close("placement")
                    .text("subnetId", instance.subnetId).text("vpcId", world.vpcOf(instance.subnetId))
                    .text("sourceDestCheck", world.enis.get(instance.primaryEni).sourceDestCheck)
                    .open("networkInterfaceSet");
            world.enis.values().stream().filter(e -> instance.id.equals(e.instanceId)).forEach(eni ->
                    xml.open("item").text("networkInterfaceId", eni.id).text("subnetId", eni.subnetId)
                            .text("vpcId", world.vpcOf(eni.subnetId)).text("ownerId", world.accountId)
                            .text("status", "in-use").text("privateIpAddress", eni.privateIp)
                            .text("sourceDestCheck", eni.sourceDestCheck)
                            .open("attachment").text("attachmentId", "eni-attach-" + eni.id.substring(4))
                            .text("deviceIndex", eni.deviceIndex).text("status", "attached")
                            .text("deleteOnTermination", "true").close("attachment").close("item"));
            xml.close("networkInterfaceSet").open("tagSet");
            instance.tags.forEach((k, v) -> xml.open("item").text("key", k).text("value", v).close("item"));
            xml.close("tagSet").close("item").close("instancesSet").close("item");
        }
        return xml.close("reservationSet").close("DescribeInstancesResponse").toString();
    }

    private static boolean matches(World.Instance instance, Map<String, List<String>> filters) {
        for (Map.Entry<String, List<String>> filter : filters.entrySet()) {
            String name = filter.getKey();
            boolean ok = switch (name) {
                case "instance-id" -> Glob.anyMatches(filter.getValue(), instance.id);
                case "instance-state-name" -> Glob.anyMatches(filter.getValue(), instance.state);
                case "subnet-id" -> Glob.anyMatches(filter.getValue(), instance.subnetId);
                default -> {
                    if (name.startsWith("tag:")) {
                        yield Glob.anyMatches(filter.getValue(), instance.tags.get(name.substring(4)));
                    }
                    throw Ec2Error.client("InvalidParameterValue", "The filter '" + name + "' is invalid");
                }
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    String describeNetworkInterfaces(QueryParams params) {
        List<String> ids = params.list("NetworkInterfaceId");
        ids.stream().filter(id -> !world.enis.containsKey(id)).findFirst()
                .ifPresent(id -> { throw Ec2Error.notFound("networkInterface", id); });
        Map<String, List<String>> filters = params.filters();
        Xml xml = new Xml().openRoot("DescribeNetworkInterfacesResponse").text("requestId", UUID.randomUUID())
                .open("networkInterfaceSet");
        for (World.Eni eni : world.enis.values()) {
            if (!ids.isEmpty() && !ids.contains(eni.id)) {
                continue;
            }
            boolean ok = true;
            for (Map.Entry<String, List<String>> filter : filters.entrySet()) {
                ok &= switch (filter.getKey()) {
                    case "network-interface-id" -> Glob.anyMatches(filter.getValue(), eni.id);
                    case "attachment.instance-id" -> Glob.anyMatches(filter.getValue(), eni.instanceId);
                    case "subnet-id" -> Glob.anyMatches(filter.getValue(), eni.subnetId);
                    default -> throw Ec2Error.client("InvalidParameterValue",
                            "The filter '" + filter.getKey() + "' is invalid");
                };
            }
            if (!ok) {
                continue;
            }
            xml.open("item").text("networkInterfaceId", eni.id).text("subnetId", eni.subnetId)
                    .text("vpcId", world.vpcOf(eni.subnetId)).text("availabilityZone", world.availabilityZone(eni.subnetId))
                    .text("ownerId", world.accountId).text("status", eni.instanceId == null ? "available" : "in-use")
                    .text("privateIpAddress", eni.privateIp).text("sourceDestCheck", eni.sourceDestCheck)
                    .text("interfaceType", "interface");
            if (eni.instanceId != null) {
                xml.open("attachment").text("attachmentId", "eni-attach-" + eni.id.substring(4))
                        .text("instanceId", eni.instanceId).text("instanceOwnerId", world.accountId)
                        .text("deviceIndex", eni.deviceIndex).text("status", "attached").close("attachment");
            }
            xml.open("tagSet").close("tagSet").close("item");
        }
        return xml.close("networkInterfaceSet").close("DescribeNetworkInterfacesResponse").toString();
    }

    String describeNetworkInterfaceAttribute(QueryParams params) {
        World.Eni eni = eni(params.required("NetworkInterfaceId"));
        String attribute = params.required("Attribute");
        if (!attribute.equals("sourceDestCheck")) {
            throw Ec2Error.invalidValue("Attribute", attribute, "Only sourceDestCheck is supported here.");
        }
        return new Xml().openRoot("DescribeNetworkInterfaceAttributeResponse").text("requestId", UUID.randomUUID())
                .text("networkInterfaceId", eni.id).open("sourceDestCheck").text("value", eni.sourceDestCheck)
                .close("sourceDestCheck").close("DescribeNetworkInterfaceAttributeResponse").toString();
    }

    String modifyNetworkInterfaceAttribute(QueryParams params) {
        World.Eni eni = eni(params.required("NetworkInterfaceId"));
        String value = params.get("SourceDestCheck.Value")
                .orElseThrow(() -> Ec2Error.missing("SourceDestCheck"));
        if (!value.equals("true") && !value.equals("false")) {
            throw Ec2Error.invalidValue("SourceDestCheck", value, "It must be true or false.");
        }
        eni.sourceDestCheck = Boolean.parseBoolean(value);
        return RouteTableActions.ok("ModifyNetworkInterfaceAttributeResponse");
    }

    private World.Eni eni(String id) {
        World.Eni eni = world.enis.get(id);
        if (eni == null) {
            throw Ec2Error.notFound("networkInterface", id);
        }
        return eni;
    }
}
