package io.vipflip.local.ec2;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * An EC2 endpoint on loopback that speaks the real EC2 Query protocol (API version 2016-11-15): the AWS SDK and
 * the AWS CLI talk to it unchanged. {@code /_vipflip/…} is its control interface ({@link ControlApi}).
 */
public final class Ec2Endpoint implements AutoCloseable {
    private final World world;
    private final Faults faults = new Faults();
    private final CallLog calls = new CallLog();
    private final ThrottleBuckets throttling;
    private final RouteTableActions routeTables;
    private final InstanceActions instances;
    private final CreateActions creates;
    private final HttpServer server;

    private Ec2Endpoint(World world, int port, java.util.function.LongSupplier nanoTime) throws IOException {
        this.world = world;
        this.throttling = new ThrottleBuckets(nanoTime);
        this.routeTables = new RouteTableActions(world);
        this.instances = new InstanceActions(world);
        this.creates = new CreateActions(world);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.createContext(ControlApi.PREFIX, new ControlApi(world, faults, calls)::handle);
        server.start();
    }

    public static Ec2Endpoint start(World world) {
        return start(world, 0);
    }

    public static Ec2Endpoint start(World world, int port) {
        return start(world, port, System::nanoTime);
    }

    /** An endpoint whose throttling buckets refill on {@code nanoTime}: tests drive it instead of waiting. */
    public static Ec2Endpoint start(World world, int port, java.util.function.LongSupplier nanoTime) {
        try {
            return new Ec2Endpoint(world, port, nanoTime);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local EC2 endpoint", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public World world() {
        return world;
    }

    public Faults faults() {
        return faults;
    }

    /** EC2's per-action token buckets; off until enabled (benchmarks and the budget tests turn them on). */
    public ThrottleBuckets throttling() {
        return throttling;
    }

    public CallLog calls() {
        return calls;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (body.isEmpty() && exchange.getRequestURI().getRawQuery() != null) {
                body = exchange.getRequestURI().getRawQuery();
            }
            QueryParams params = QueryParams.parse(body);
            String action = params.get("Action").orElse("");
            Optional<String> table = params.get("RouteTableId").or(() -> params.get("RouteTableId.1"));
            sleep(faults.latencyFor(action).toMillis());
            int status = 200;
            String error = "";
            String xml;
            try {
                Optional<Ec2Error> injected = faults.before(action, table).or(() -> throttling.take(action, params));
                if (injected.isPresent()) {
                    throw injected.get();
                }
                synchronized (world) {
                    xml = dispatch(action, params);
                }
            } catch (Ec2Error e) {
                status = e.status();
                error = e.code();
                xml = errorXml(e);
            }
            calls.add(new CallLog.Call(Instant.now(), System.nanoTime(), action, table.orElse(""), status, error));
            byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private String dispatch(String action, QueryParams params) {
        return switch (action) {
            case "DescribeRouteTables" -> routeTables.describeRouteTables(params);
            case "CreateRoute" -> routeTables.createRoute(params);
            case "ReplaceRoute" -> routeTables.replaceRoute(params);
            case "DeleteRoute" -> routeTables.deleteRoute(params);
            case "DescribeInstances" -> instances.describeInstances(params);
            case "DescribeNetworkInterfaces" -> instances.describeNetworkInterfaces(params);
            case "DescribeNetworkInterfaceAttribute" -> instances.describeNetworkInterfaceAttribute(params);
            case "ModifyNetworkInterfaceAttribute" -> instances.modifyNetworkInterfaceAttribute(params);
            case "CreateVpc" -> creates.createVpc(params);
            case "CreateSubnet" -> creates.createSubnet(params);
            case "CreateNetworkInterface" -> creates.createNetworkInterface(params);
            case "CreateRouteTable" -> creates.createRouteTable(params);
            case "" -> throw Ec2Error.missing("Action");
            default -> throw Ec2Error.client("InvalidAction",
                    "The action " + action + " is not valid for this web service.");
        };
    }

    private static String errorXml(Ec2Error error) {
        return new Xml().open("Response").open("Errors").open("Error").text("Code", error.code())
                .text("Message", error.getMessage()).close("Error").close("Errors")
                .text("RequestID", UUID.randomUUID()).close("Response").toString();
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
