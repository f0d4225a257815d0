package io.vipflip.local.ec2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * DescribeRouteTables, CreateRoute, ReplaceRoute and DeleteRoute, with EC2's parameters, errors and XML shapes
 * (API version 2016-11-15). Callers hold the world's lock.
 */
final class RouteTableActions {
    private final World world;

    RouteTableActions(World world) {
        this.world = world;
    }

    String describeRouteTables(QueryParams params) {
        List<String> ids = params.list("RouteTableId");
        for (String id : ids) {
            if (!world.routeTables.containsKey(id)) {
                throw Ec2Error.notFound("routeTable", id);
            }
        }
        Map<String, List<String>> filters = params.filters();
        List<World.RouteTable> matching = new ArrayList<>();
        for (World.RouteTable table : world.tables()) {
            if ((ids.isEmpty() || ids.contains(table.id)) && matches(table, filters)) {
                matching.add(table);
            }
        }
        int start = params.get("NextToken").map(RouteTableActions::decodeToken).orElse(0);
        int pageSize = params.get("MaxResults").map(RouteTableActions::maxResults).orElse(Integer.MAX_VALUE);
        int end = (int) Math.min(matching.size(), (long) start + pageSize);
        Xml xml = new Xml().openRoot("DescribeRouteTablesResponse").text("requestId", UUID.randomUUID())
                .open("routeTableSet");
        for (World.RouteTable table : matching.subList(Math.min(start, matching.size()), end)) {
            writeTable(xml, table);
        }
        xml.close("routeTableSet");
        if (end < matching.size()) {
            xml.text("nextToken", encodeToken(end));
        }
        return xml.close("DescribeRouteTablesResponse").toString();
    }

    private boolean matches(World.RouteTable table, Map<String, List<String>> filters) {
        for (Map.Entry<String, List<String>> filter : filters.entrySet()) {
            String name = filter.getKey();
            List<String> values = filter.getValue();
            boolean ok;
            if (name.equals("route-table-id")) {
                ok = Glob.anyMatches(values, table.id);
            } else if (name.equals("vpc-id")) {
                ok = Glob.anyMatches(values, table.vpcId);
            } else if (name.equals("tag-key")) {
                ok = table.tags.keySet().stream().anyMatch(k -> Glob.anyMatches(values, k));
            } else if (name.startsWith("tag:")) {
                ok = Glob.anyMatches(values, table.tags.get(name.substring(4)));
            } else if (name.equals("association.subnet-id")) {
                ok = table.subnets.stream().anyMatch(s -> Glob.anyMatches(values, s));
            } else if (name.equals("route.destination-cidr-block")) {
                ok = table.routes.keySet().stream().anyMatch(d -> Glob.anyMatches(values, d));
            } else {
                throw Ec2Error.client("InvalidParameterValue", "The filter '" + name + "' is invalid");
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private void writeTable(Xml xml, World.RouteTable table) {
        xml.open("item").text("routeTableId", table.id).text("vpcId", table.vpcId).text("ownerId", world.accountId)
                .open("routeSet");
        for (World.Route route : table.routes.values()) {
            xml.open("item").text("destinationCidrBlock", route.destination())
                    .text("gatewayId", route.gatewayId())
                    .text("instanceId", route.instanceId())
                    .text("instanceOwnerId", route.instanceId() == null ? null : world.accountId)
                    .text("networkInterfaceId", route.eniId())
                    .text("state", world.state(route))
                    .text("origin", route.origin())
                    .close("item");
        }
        xml.close("routeSet").open("associationSet");
        for (int i = 0; i < table.subnets.size(); i++) {
            xml.open("item").text("routeTableAssociationId", "rtbassoc-" + table.id.substring(4) + i)
                    .text("routeTableId", table.id).text("subnetId", table.subnets.get(i)).text("main", "false")
                    .open("associationState").text("state", "associated").close("associationState")
                    .close("item");
        }
        xml.close("associationSet").open("propagatingVgwSet").close("propagatingVgwSet").open("tagSet");
        table.tags.forEach((k, v) -> xml.open("item").text("key", k).text("value", v).close("item"));
        xml.close("tagSet").close("item");
    }

    String createRoute(QueryParams params) {
        World.RouteTable table = table(params.required("RouteTableId"));
        String destination = canonical(destination(params));
        World.Route route = resolveTarget(params, destination, "CreateRoute");
        if (table.routes.containsKey(destination)) {
            // EC2 refuses whatever the existing route's target is, even the same one.
            throw Ec2Error.client("RouteAlreadyExists",
                    "The route identified by " + destination + " already exists.");
        }
        table.routes.put(destination, route);
        return ok("CreateRouteResponse");
    }

    String replaceRoute(QueryParams params) {
        World.RouteTable table = table(params.required("RouteTableId"));
        String destination = canonical(destination(params));
        World.Route route = resolveTarget(params, destination, "CreateRoute");
        World.Route existing = table.routes.get(destination);
        if (existing == null) {
            throw Ec2Error.client("InvalidParameterValue", "There is no route defined for '" + destination
                    + "' in the route table. Use CreateRoute instead.");
        }
        if ("local".equals(existing.gatewayId())) {
            throw Ec2Error.client("InvalidParameterValue", "Cannot replace local route " + destination + ".");
        }
        table.routes.put(destination, route);
        return ok("ReplaceRouteResponse");
    }

    String deleteRoute(QueryParams params) {
        World.RouteTable table = table(params.required("RouteTableId"));
        String destination = destination(params);
        if (!table.routes.containsKey(destination)) {
            throw Ec2Error.client("InvalidRoute.NotFound", "no route with destination-cidr-block " + destination
                    + " in route table " + table.id);
        }
        table.routes.remove(destination);
        return ok("DeleteRouteResponse");
    }

    private World.RouteTable table(String id) {
        World.RouteTable table = world.routeTables.get(id);
        if (table == null) {
            throw Ec2Error.notFound("routeTable", id);
        }
        return table;
    }

    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern CIDR = Pattern.compile("(?:" + OCTET + "\\.){3}" + OCTET + "/(?:3[0-2]|[12]?\\d)");

    /**
     * The DestinationCidrBlock of CreateRoute, ReplaceRoute and DeleteRoute: four decimal octets (0-255, no leading
     * zero) and a prefix length 0-32, else InvalidParameterValue as EC2 answers. Only CreateRoute canonicalizes a
     * misaligned block (EC2's documented behaviour); Replace/Delete take the value as given, so a misaligned one
     * matches no route - harsher than assuming EC2 canonicalizes there too.
     */
    private static String destination(QueryParams params) {
        String cidr = params.required("DestinationCidrBlock");
        if (!CIDR.matcher(cidr).matches()) {
            throw Ec2Error.invalidValue("destinationCidrBlock", cidr, "This is not a valid CIDR block.");
        }
        return cidr;
    }

    /** EC2 stores 100.68.0.18/18 as 100.68.0.0/18 (CreateRoute, DestinationCidrBlock). */
    static String canonical(String cidr) {
        String[] parts = cidr.split("/");
        int prefix = Integer.parseInt(parts[1]);
        long address = 0;
        for (String octet : parts[0].split("\\.")) {
            address = address << 8 | Integer.parseInt(octet);
        }
        long network = address & (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        return (network >> 24) + "." + (network >> 16 & 0xFF) + "." + (network >> 8 & 0xFF) + "." + (network & 0xFF)
                + "/" + prefix;
    }

    /** Exactly one target: NetworkInterfaceId, InstanceId (its primary interface) or GatewayId. */
    private World.Route resolveTarget(QueryParams params, String destination, String origin) {
        var eniId = params.get("NetworkInterfaceId");
        var instanceId = params.get("InstanceId");
        var gatewayId = params.get("GatewayId");
        int targets = (eniId.isPresent() ? 1 : 0) + (instanceId.isPresent() ? 1 : 0) + (gatewayId.isPresent() ? 1 : 0);
        if (targets != 1) {
            throw Ec2Error.client("InvalidParameterCombination",
                    "The request must contain exactly one of gatewayId, networkInterfaceId or instanceId");
        }
        if (eniId.isPresent()) {
            World.Eni eni = world.enis.get(eniId.get());
            if (eni == null) {
                throw Ec2Error.notFound("networkInterface", eniId.get());
            }
            return new World.Route(destination, eni.id, eni.instanceId, null, origin);
        }
        if (instanceId.isPresent()) {
            World.Instance instance = world.instances.get(instanceId.get());
            if (instance == null) {
                throw Ec2Error.notFound("instance", instanceId.get());
            }
            return new World.Route(destination, instance.primaryEni, instance.id, null, origin);
        }
        return new World.Route(destination, null, null, gatewayId.get(), origin);
    }

    static String ok(String root) {
        return new Xml().openRoot(root).text("requestId", UUID.randomUUID()).text("return", "true").close(root).toString();
    }

    private static int maxResults(String text) {
        try {
            int value = Integer.parseInt(text);
            if (value >= 5 && value <= 100) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw Ec2Error.invalidValue("MaxResults", text, "It must be between 5 and 100.");
    }

    private static String encodeToken(int offset) {
        return Base64.getEncoder().encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeToken(String token) {
        try {
            String text = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            return Integer.parseInt(text.substring("offset:".length()));
        } catch (RuntimeException e) {
            throw Ec2Error.invalidValue("NextToken", token, "The token is not valid.");
        }
    }
}
