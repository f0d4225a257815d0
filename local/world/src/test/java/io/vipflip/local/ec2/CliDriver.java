package io.vipflip.local.ec2;

import com.fasterxml.jackson.databind.JsonNode;
import io.vipflip.local.cli.AwsCli;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The conformance suite's second, independent client: the AWS CLI ({@code aws ec2 … --endpoint-url}). */
final class CliDriver implements Ec2Driver {
    private final AwsCli cli;

    CliDriver(String aws, URI endpoint) {
        this.cli = new AwsCli(aws, "ec2", endpoint);
    }


    @Override
    public String name() {
        return "aws-cli";
    }

    @Override
    public List<TableView> describeRouteTables(List<String> ids, Map<String, List<String>> filters, Integer pageSize) {
        List<String> args = new ArrayList<>(List.of("describe-route-tables"));
        if (!ids.isEmpty()) {
            args.add("--route-table-ids");
            args.addAll(ids);
        }
        if (!filters.isEmpty()) {
            args.add("--filters");
            filters.forEach((name, values) -> args.add("Name=" + name + ",Values=" + String.join(",", values)));
        }
        if (pageSize != null) {
            args.addAll(List.of("--page-size", pageSize.toString()));
        }
        List<TableView> tables = new ArrayList<>();
        for (JsonNode t : run(args).path("RouteTables")) {
            Map<String, RouteView> routes = new LinkedHashMap<>();
            t.path("Routes").forEach(r -> routes.put(r.path("DestinationCidrBlock").asText(), new RouteView(
                    r.has("NetworkInterfaceId") ? r.get("NetworkInterfaceId").asText() : r.path("GatewayId").asText(),
                    r.path("State").asText())));
            Map<String, String> tags = new LinkedHashMap<>();
            t.path("Tags").forEach(tag -> tags.put(tag.path("Key").asText(), tag.path("Value").asText()));
            List<String> subnets = new ArrayList<>();
            t.path("Associations").forEach(a -> subnets.add(a.path("SubnetId").asText()));
            tables.add(new TableView(t.path("RouteTableId").asText(), t.path("VpcId").asText(), tags, routes, subnets));
        }
        return tables;
    }

    @Override
    public void createRoute(String table, String destination, String eni) {
        run(List.of("create-route", "--route-table-id", table, "--destination-cidr-block", destination,
                "--network-interface-id", eni));
    }

    @Override
    public void replaceRoute(String table, String destination, String eni) {
        run(List.of("replace-route", "--route-table-id", table, "--destination-cidr-block", destination,
                "--network-interface-id", eni));
    }

    @Override
    public void deleteRoute(String table, String destination) {
        run(List.of("delete-route", "--route-table-id", table, "--destination-cidr-block", destination));
    }

    @Override
    public Map<String, InstanceView> describeInstances(List<String> ids) {
        List<String> args = new ArrayList<>(List.of("describe-instances", "--instance-ids"));
        args.addAll(ids);
        Map<String, InstanceView> views = new LinkedHashMap<>();
        for (JsonNode reservation : run(args).path("Reservations")) {
            for (JsonNode i : reservation.path("Instances")) {
                String primary = null;
                for (JsonNode n : i.path("NetworkInterfaces")) {
                    if (n.path("Attachment").path("DeviceIndex").asInt(-1) == 0) {
                        primary = n.path("NetworkInterfaceId").asText();
                    }
                }
                views.put(i.path("InstanceId").asText(), new InstanceView(i.path("State").path("Name").asText(),
                        i.path("PrivateIpAddress").asText(), primary, i.path("Placement").path("AvailabilityZone").asText()));
            }
        }
        return views;
    }

    @Override
    public List<String> networkInterfacesOf(String instanceId) {
        List<String> ids = new ArrayList<>();
        run(List.of("describe-network-interfaces", "--filters", "Name=attachment.instance-id,Values=" + instanceId))
                .path("NetworkInterfaces").forEach(n -> ids.add(n.path("NetworkInterfaceId").asText()));
        return ids;
    }

    @Override
    public boolean sourceDestCheck(String eni) {
        return run(List.of("describe-network-interface-attribute", "--network-interface-id", eni, "--attribute",
                "sourceDestCheck")).path("SourceDestCheck").path("Value").asBoolean();
    }

    @Override
    public void setSourceDestCheck(String eni, boolean enabled) {
        run(List.of("modify-network-interface-attribute", "--network-interface-id", eni,
                enabled ? "--source-dest-check" : "--no-source-dest-check"));
    }

    private JsonNode run(List<String> args) {
        try {
            return cli.run(args);
        } catch (AwsCli.Refused e) {
            throw new Ec2Failure(e.code(), e.getMessage());
        }
    }
}
