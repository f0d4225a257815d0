package io.vipflip.local.ec2;

import java.util.List;
import java.util.Map;

/** One EC2 client, seen through what the conformance suite asks of it. Errors surface as {@link Ec2Failure}. */
interface Ec2Driver {
    String name();

    /** Every page, followed to the end; {@code pageSize} null for the service default. */
    List<TableView> describeRouteTables(List<String> ids, Map<String, List<String>> filters, Integer pageSize);

    void createRoute(String table, String destination, String eni);

    void replaceRoute(String table, String destination, String eni);

    void deleteRoute(String table, String destination);

    Map<String, InstanceView> describeInstances(List<String> ids);

    List<String> networkInterfacesOf(String instanceId);

    boolean sourceDestCheck(String eni);

    void setSourceDestCheck(String eni, boolean enabled);

    record TableView(String id, String vpcId, Map<String, String> tags, Map<String, RouteView> routes,
                     List<String> subnets) {
    }

    /** @param target an ENI id or a gateway id */
    record RouteView(String target, String state) {
    }

    record InstanceView(String state, String privateIp, String primaryEni, String availabilityZone) {
    }

    final class Ec2Failure extends RuntimeException {
        final String code;

        Ec2Failure(String code, String message) {
            super(code + ": " + message);
            this.code = code;
        }
    }
}
