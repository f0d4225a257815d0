package io.vipflip.local.ec2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The conformance suite's second, independent client: the AWS CLI ({@code aws ec2 … --endpoint-url}). */
final class CliDriver implements Ec2Driver {
    private static final Pattern ERROR = Pattern.compile("An error occurred \\(([^)]+)\\)[^:]*: (.*)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String aws;
    private final URI endpoint;

    CliDriver(String aws, URI endpoint) {
        this.aws = aws;
        this.endpoint = endpoint;
    }

    /** The AWS CLI to use: Debian's at /usr/bin/aws first, else the first `aws` on PATH. */
    static Optional<String> find() {
        if (Files.isExecutable(Path.of("/usr/bin/aws"))) {
            return Optional.of("/usr/bin/aws");
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "aws");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
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
        List<String> command = new ArrayList<>(List.of(aws, "ec2"));
        command.addAll(args);
        command.addAll(List.of("--endpoint-url", endpoint.toString(), "--region", "eu-west-1", "--output", "json"));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_PAGER", "");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.remove("AWS_PROFILE");
        try {
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("aws cli timed out: " + command);
            }
            if (process.exitValue() != 0) {
                Matcher m = ERROR.matcher(err);
                if (m.find()) {
                    throw new Ec2Failure(m.group(1), m.group(2).trim());
                }
                throw new IllegalStateException("aws cli failed (" + process.exitValue() + "): " + err);
            }
            return out.isBlank() ? JSON.createObjectNode() : JSON.readTree(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the aws cli: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
