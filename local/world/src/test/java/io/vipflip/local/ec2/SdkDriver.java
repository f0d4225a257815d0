package io.vipflip.local.ec2;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterfaceAttribute;
import software.amazon.awssdk.services.ec2.model.Tag;

/** The conformance suite's first client: the AWS SDK for Java v2 {@code Ec2Client}, over HTTP. */
final class SdkDriver implements Ec2Driver {
    private final Ec2Client ec2;

    SdkDriver(URI endpoint) {
        this.ec2 = Ec2Client.builder().endpointOverride(endpoint).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Override
    public String name() {
        return "aws-sdk-java-v2";
    }

    @Override
    public List<TableView> describeRouteTables(List<String> ids, Map<String, List<String>> filters, Integer pageSize) {
        return call(() -> ec2.describeRouteTablesPaginator(b -> b.routeTableIds(ids.isEmpty() ? null : ids)
                        .filters(filters.entrySet().stream()
                                .map(f -> Filter.builder().name(f.getKey()).values(f.getValue()).build()).toList())
                        .maxResults(pageSize))
                .routeTables().stream().map(t -> {
                    Map<String, RouteView> routes = new LinkedHashMap<>();
                    t.routes().forEach(r -> routes.put(r.destinationCidrBlock(), new RouteView(
                            r.networkInterfaceId() != null ? r.networkInterfaceId() : r.gatewayId(), r.stateAsString())));
                    Map<String, String> tags = new LinkedHashMap<>();
                    t.tags().forEach((Tag tag) -> tags.put(tag.key(), tag.value()));
                    return new TableView(t.routeTableId(), t.vpcId(), tags, routes,
                            t.associations().stream().map(a -> a.subnetId()).toList());
                }).toList());
    }

    @Override
    public void createRoute(String table, String destination, String eni) {
        call(() -> ec2.createRoute(b -> b.routeTableId(table).destinationCidrBlock(destination).networkInterfaceId(eni)));
    }

    @Override
    public void replaceRoute(String table, String destination, String eni) {
        call(() -> ec2.replaceRoute(b -> b.routeTableId(table).destinationCidrBlock(destination).networkInterfaceId(eni)));
    }

    @Override
    public void deleteRoute(String table, String destination) {
        call(() -> ec2.deleteRoute(b -> b.routeTableId(table).destinationCidrBlock(destination)));
    }

    @Override
    public Map<String, InstanceView> describeInstances(List<String> ids) {
        Map<String, InstanceView> views = new LinkedHashMap<>();
        call(() -> ec2.describeInstances(b -> b.instanceIds(ids))).reservations().forEach(r -> r.instances().forEach(i ->
                views.put(i.instanceId(), new InstanceView(i.state().nameAsString(), i.privateIpAddress(),
                        i.networkInterfaces().stream().filter(n -> n.attachment().deviceIndex() == 0)
                                .map(n -> n.networkInterfaceId()).findFirst().orElse(null),
                        i.placement().availabilityZone()))));
        return views;
    }

    @Override
    public List<String> networkInterfacesOf(String instanceId) {
        return call(() -> ec2.describeNetworkInterfaces(b -> b.filters(Filter.builder().name("attachment.instance-id")
                .values(instanceId).build()))).networkInterfaces().stream().map(n -> n.networkInterfaceId()).toList();
    }

    @Override
    public boolean sourceDestCheck(String eni) {
        return call(() -> ec2.describeNetworkInterfaceAttribute(b -> b.networkInterfaceId(eni)
                .attribute(NetworkInterfaceAttribute.SOURCE_DEST_CHECK))).sourceDestCheck().value();
    }

    @Override
    public void setSourceDestCheck(String eni, boolean enabled) {
        call(() -> ec2.modifyNetworkInterfaceAttribute(b -> b.networkInterfaceId(eni)
                .sourceDestCheck(AttributeBooleanValue.builder().value(enabled).build())));
    }

    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (Ec2Exception e) {
            throw new Ec2Failure(e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage());
        }
    }
}
