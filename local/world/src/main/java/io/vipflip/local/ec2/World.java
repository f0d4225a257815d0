package io.vipflip.local.ec2;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The EC2 resources the local endpoint serves: VPCs, subnets, instances, network interfaces and route tables.
 * All access goes through this object's lock, so concurrent API calls see one consistent world.
 */
public final class World {
    public record Vpc(String id, String cidr) {
    }

    public record Subnet(String id, String vpcId, String availabilityZone, String cidr) {
    }

    /** A route: to a network interface (and the instance it is attached to), or to a gateway such as "local". */
    public record Route(String destination, String eniId, String instanceId, String gatewayId, String origin) {
    }

    public static final class Instance {
        final String id;
        final String subnetId;
        final String privateIp;
        final String primaryEni;
        final Map<String, String> tags;
        String state;

        Instance(String id, String subnetId, String privateIp, String primaryEni, String state, Map<String, String> tags) {
            this.id = id;
            this.subnetId = subnetId;
            this.privateIp = privateIp;
            this.primaryEni = primaryEni;
            this.state = state;
            this.tags = new LinkedHashMap<>(tags);
        }
    }

    public static final class Eni {
        final String id;
        final String subnetId;
        final String privateIp;
        final String instanceId;
        final int deviceIndex;
        boolean sourceDestCheck;

        Eni(String id, String subnetId, String privateIp, String instanceId, int deviceIndex, boolean sourceDestCheck) {
            this.id = id;
            this.subnetId = subnetId;
            this.privateIp = privateIp;
            this.instanceId = instanceId;
            this.deviceIndex = deviceIndex;
            this.sourceDestCheck = sourceDestCheck;
        }
    }

    public static final class RouteTable {
        final String id;
        final String vpcId;
        final Map<String, String> tags;
        final List<String> subnets;
        final Map<String, Route> routes = new LinkedHashMap<>();

        RouteTable(String id, String vpcId, Map<String, String> tags, List<String> subnets) {
            this.id = id;
            this.vpcId = vpcId;
            this.tags = new LinkedHashMap<>(tags);
            this.subnets = new ArrayList<>(subnets);
        }
    }

    final String accountId;
    final Map<String, Vpc> vpcs = new LinkedHashMap<>();
    final Map<String, Subnet> subnets = new LinkedHashMap<>();
    final Map<String, Instance> instances = new LinkedHashMap<>();
    final Map<String, Eni> enis = new LinkedHashMap<>();
    final Map<String, RouteTable> routeTables = new LinkedHashMap<>();

    public World(String accountId) {
        this.accountId = accountId;
    }

    public synchronized World vpc(String id, String cidr) {
        vpcs.put(id, new Vpc(id, cidr));
        return this;
    }

    public synchronized World subnet(String id, String vpcId, String az, String cidr) {
        subnets.put(id, new Subnet(id, vpcId, az, cidr));
        return this;
    }

    /** A running instance with its primary network interface (source/destination check on, as EC2 creates it). */
    public synchronized World instance(String id, String subnetId, String privateIp, String eniId, Map<String, String> tags) {
        instances.put(id, new Instance(id, subnetId, privateIp, eniId, "running", tags));
        enis.put(eniId, new Eni(eniId, subnetId, privateIp, id, 0, true));
        return this;
    }

    /** A route table with the VPC's local route, associated with {@code subnetIds}. */
    public synchronized World routeTable(String id, String vpcId, Map<String, String> tags, List<String> subnetIds) {
        RouteTable table = new RouteTable(id, vpcId, tags, subnetIds);
        Vpc vpc = vpcs.get(vpcId);
        if (vpc != null) {
            table.routes.put(vpc.cidr(), new Route(vpc.cidr(), null, null, "local", "CreateRouteTable"));
        }
        routeTables.put(id, table);
        return this;
    }

    /** Seeds a route to a network interface, as CreateRoute would. */
    public synchronized World route(String tableId, String destination, String eniId) {
        Eni eni = enis.get(eniId);
        routeTables.get(tableId).routes.put(destination,
                new Route(destination, eniId, eni == null ? null : eni.instanceId, null, "CreateRoute"));
        return this;
    }

    public synchronized void removeRouteTable(String tableId) {
        routeTables.remove(tableId);
    }

    public synchronized void setInstanceState(String instanceId, String state) {
        Instance instance = instances.get(instanceId);
        if (instance == null) {
            throw Ec2Error.notFound("instance", instanceId);
        }
        instance.state = state;
    }

    /** The ENI a route points at, or "missing" / the gateway id; with " (blackhole)" when it is one. */
    public synchronized String target(String tableId, String destination) {
        RouteTable table = routeTables.get(tableId);
        Route route = table == null ? null : table.routes.get(destination);
        if (route == null) {
            return "missing";
        }
        String target = route.eniId() != null ? route.eniId() : route.gatewayId();
        return "blackhole".equals(state(route)) ? target + " (blackhole)" : target;
    }

    public synchronized List<String> routeTableIds() {
        return List.copyOf(routeTables.keySet());
    }

    public synchronized Optional<String> instanceState(String instanceId) {
        return Optional.ofNullable(instances.get(instanceId)).map(i -> i.state);
    }

    public synchronized boolean sourceDestCheck(String eniId) {
        return enis.get(eniId).sourceDestCheck;
    }

    /**
     * EC2's route state: a route to an interface that is gone, attached to nothing, or whose instance is not
     * running is a blackhole.
     */
    String state(Route route) {
        if (route.gatewayId() != null) {
            return "active";
        }
        Eni eni = enis.get(route.eniId());
        if (eni == null) {
            return "blackhole";
        }
        if (eni.instanceId == null) {
            return "blackhole"; // an interface attached to nothing cannot carry traffic
        }
        Instance instance = instances.get(eni.instanceId);
        return instance == null || "running".equals(instance.state) ? "active" : "blackhole";
    }

    String availabilityZone(String subnetId) {
        Subnet subnet = subnets.get(subnetId);
        return subnet == null ? null : subnet.availabilityZone();
    }

    String vpcOf(String subnetId) {
        Subnet subnet = subnets.get(subnetId);
        return subnet == null ? null : subnet.vpcId();
    }

    Collection<RouteTable> tables() {
        return routeTables.values();
    }
}
