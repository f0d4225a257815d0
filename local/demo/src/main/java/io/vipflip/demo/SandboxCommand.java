package io.vipflip.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code ./sandbox <command>}: a fault sent to the running sandbox, found through its state file. */
public final class SandboxCommand {
    static final String HELP = """
            Usage: ./sandbox                       start the sandbox (runs until Ctrl-C or SIGTERM)
                   ./sandbox <command> [args]      act on the running sandbox from another terminal

            Nodes (haproxy-a, haproxy-b):
              kill NODE            kill -9 its haproxy: connections refused            undo: restart NODE
              restart NODE         start it again (a frozen node is killed first)
              freeze NODE          SIGSTOP: handshakes still complete, nothing answers  undo: thaw NODE
              thaw NODE            SIGCONT
              lose NODE            drop every packet to/from it, no RST: probes time out undo: reconnect NODE
                                   (needs root: each node then runs in its own network namespace)
              reconnect NODE       remove the drop rules
            EC2 instances (the EC2 state-change path):
              stop-instance NODE   instance stopped (routes to it blackhole, haproxy down), and the EC2 Instance
                                   State-change Notification delivered to the alarm function   undo: start-instance NODE
              start-instance NODE  instance running, haproxy up, the 'running' notification delivered
              event FILE           deliver an event file (e.g. events/instance-haproxy-a-stopped.json,
                                   events/alarm-haproxy-a-ALARM.json) to the alarm function
            EC2 API faults (the local EC2 endpoint):
              ec2 latency MILLIS   every call takes MILLIS longer                        undo: ec2 latency 0
              ec2 throttle N       the next N calls fail with RequestLimitExceeded       undo: ec2 clear
              ec2 server-errors N  the next N calls fail with InternalError              undo: ec2 clear
              ec2 fail-writes TABLE [N]  route writes to TABLE fail (N times, or until cleared)  undo: ec2 clear
              ec2 clear            remove every EC2 fault
            Looking:
              status               each node's state and address, each table's target
              env                  export lines for the AWS CLI or a function (the CLI's --local finds the
                                   sandbox by itself)
            The sandbox prints each command's effect on its timeline. State file: $VIPFLIP_SANDBOX_STATE, else
            vipflip-sandbox.json in the temporary directory.
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final Path stateFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SandboxCommand(PrintStream out, PrintStream err, Path stateFile) {
        this.out = out;
        this.err = err;
        this.stateFile = stateFile;
    }

    public static void main(String[] args) {
        System.exit(new SandboxCommand(System.out, System.err, SandboxState.path()).run(List.of(args)));
    }

    /** Runs one command; 0 done, 1 no sandbox running, 2 a bad command or one the sandbox refused. */
    int run(List<String> args) {
        if (args.isEmpty() || args.contains("--help") || args.contains("-h") || args.get(0).equals("help")) {
            out.print(HELP);
            return 0;
        }
        Optional<JsonNode> state = SandboxState.read(stateFile).filter(SandboxState::ownerAlive);
        if (state.isEmpty()) {
            err.println("no sandbox is running (no live state file at " + stateFile + "); start one with ./sandbox");
            return 1;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (command) {
                case "kill", "restart", "freeze", "thaw", "lose", "reconnect" ->
                        send(state.get(), "POST", "/node/" + one(rest, "NODE") + "/" + command, null);
                case "stop-instance", "start-instance" -> send(state.get(), "POST", "/instance/" + one(rest, "NODE")
                        + "/" + command.replace("-instance", ""), null);
                case "event" -> send(state.get(), "POST", "/event", Files.readString(Path.of(one(rest, "FILE"))));
                case "ec2" -> send(state.get(), "POST", ec2Path(rest), null);
                case "status" -> send(state.get(), "GET", "/status", null);
                case "env" -> {
                    for (Map.Entry<String, JsonNode> e : state.get().path("environment").properties()) {
                        out.println("export " + e.getKey() + "='" + e.getValue().asText() + "'");
                    }
                    yield 0;
                }
                default -> throw new IllegalArgumentException("unknown command '" + command + "' (./sandbox --help)");
            };
        } catch (IllegalArgumentException | IOException e) {
            err.println(e.getMessage());
            return 2;
        }
    }

    private static String ec2Path(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("ec2 needs a fault: latency MILLIS, throttle N, server-errors N, "
                    + "fail-writes TABLE [N], clear");
        }
        List<String> values = args.subList(1, args.size());
        return "/ec2/" + switch (args.get(0)) {
            case "latency" -> "latency?millis=" + number(one(values, "MILLIS"), "MILLIS");
            case "throttle" -> "throttle?calls=" + number(one(values, "N"), "N");
            case "server-errors" -> "server-errors?calls=" + number(one(values, "N"), "N");
            case "fail-writes" -> {
                if (values.isEmpty() || values.size() > 2) {
                    throw new IllegalArgumentException("usage: ec2 fail-writes TABLE [N]");
                }
                yield "fail-writes?table=" + URLEncoder.encode(values.get(0), StandardCharsets.UTF_8)
                        + (values.size() == 2 ? "&times=" + number(values.get(1), "N") : "");
            }
            case "clear" -> "clear";
            default -> throw new IllegalArgumentException("unknown EC2 fault '" + args.get(0)
                    + "' (latency, throttle, server-errors, fail-writes, clear)");
        };
    }

    private static String one(List<String> args, String what) {
        if (args.size() != 1) {
            throw new IllegalArgumentException("expected exactly one " + what + " (./sandbox --help)");
        }
        return args.get(0);
    }

    private static String number(String value, String what) {
        try {
            if (Long.parseLong(value) < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a whole number >= 0, not '" + value + "'");
        }
    }

    private int send(JsonNode state, String method, String path, String body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(state.path("control").asText() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            (response.statusCode() == 200 ? out : err).print(response.body());
            return response.statusCode() == 200 ? 0 : 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
