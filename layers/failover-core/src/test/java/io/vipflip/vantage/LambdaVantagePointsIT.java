package io.vipflip.vantage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.local.lambda.LambdaEndpoint;
import io.vipflip.probe.ProbeTarget;
import io.vipflip.probe.TcpProber;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The real SDK client against the local Lambda endpoint (Invoke's REST-JSON protocol): observers that answer are
 * votes; one that is throttled, fails, answers garbage, does not exist or is slower than the deadline is none.
 */
class LambdaVantagePointsIT {
    private static final Duration DEADLINE = Duration.ofMillis(3000);
    private LambdaEndpoint endpoint;
    private LambdaClient lambda;
    private ServerSocket node;
    private List<ProbeTarget> targets;

    @BeforeEach
    void world() throws IOException {
        endpoint = LambdaEndpoint.start();
        lambda = io.vipflip.testing.LocalLambda.client(endpoint, Duration.ofSeconds(5));
        node = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        targets = List.of(new ProbeTarget("a", "127.0.0.1", List.of(node.getLocalPort())));
        for (String az : List.of("az-a", "az-b", "az-c")) {
            Observer observer = new Observer(new TcpProber(), az);
            endpoint.register("observer-" + az, observer::answer);
        }
        // A warm container: the SDK's first call in a JVM (class loading, signer, endpoint rules) is not the test.
        new LambdaVantagePoints(lambda, List.of("observer-az-a")).ask(targets, Duration.ofMillis(300),
                Duration.ofSeconds(20));
    }

    @AfterEach
    void close() throws IOException {
        endpoint.close();
        lambda.close();
        node.close();
    }

    private VantageVotes ask(String... functions) {
        return new LambdaVantagePoints(lambda, List.of(functions)).ask(targets, Duration.ofMillis(300), DEADLINE);
    }

    @Test
    void everyObserverThatAnswers_isAVote_askedSynchronously() {
        VantageVotes votes = ask("observer-az-a", "observer-az-b", "observer-az-c");

        assertEquals(3, votes.observers());
        assertEquals(List.of("az-a", "az-b", "az-c"), votes.answers().stream().map(VantageView::vantage).toList());
        votes.answers().forEach(v -> assertEquals(java.util.Optional.of(true), v.sees("a")));
        assertEquals(List.of(), votes.silent());
        assertEquals(4, endpoint.calls().size());
        endpoint.calls().forEach(c -> assertEquals("RequestResponse", c.invocationType()));
    }

    @Test
    void throttledFailedAndMissingObservers_areNoVotes() {
        endpoint.fault("observer-az-b", LambdaEndpoint.Fault.THROTTLED);
        endpoint.fault("observer-az-c", LambdaEndpoint.Fault.FUNCTION_ERROR);

        VantageVotes votes = ask("observer-az-a", "observer-az-b", "observer-az-c", "observer-az-x");

        assertEquals(4, votes.observers());
        assertEquals(List.of("az-a"), votes.answers().stream().map(VantageView::vantage).toList());
        assertEquals(3, votes.silent().size(), String.join("\n", votes.silent()));
        assertTrue(votes.silent().get(0).startsWith("observer-az-b: TooManyRequestsException"), votes.silent().get(0));
        assertTrue(votes.silent().get(1).startsWith("observer-az-c: IllegalStateException: function error Unhandled"),
                votes.silent().get(1));
        assertTrue(votes.silent().get(2).startsWith("observer-az-x: ResourceNotFoundException"), votes.silent().get(2));
    }

    @Test
    void anObserverSlowerThanTheDeadline_isNoVote() {
        endpoint.delay("observer-az-b", DEADLINE.plusSeconds(2));

        VantageVotes votes = ask("observer-az-a", "observer-az-b");

        assertEquals(List.of("az-a"), votes.answers().stream().map(VantageView::vantage).toList());
        assertEquals(1, votes.silent().size());
        assertTrue(votes.silent().getFirst().startsWith("observer-az-b: "), votes.silent().getFirst());
    }

    @Test
    void anAnswerThatIsNotAnObserversAnswer_isNoVote() {
        endpoint.register("impostor", payload -> "{\"hello\":1}".getBytes(StandardCharsets.UTF_8));

        VantageVotes votes = ask("observer-az-a", "impostor");

        assertEquals(1, votes.answers().size());
        assertTrue(votes.silent().getFirst().startsWith("impostor: ObserverRequestException"), votes.silent().getFirst());
    }

    @Test
    void observersNamedInTheEnvironment() {
        assertEquals(List.of("a", "b"), LambdaVantagePoints.fromEnvironment(" a, ,b "));
        assertEquals(List.of(), LambdaVantagePoints.fromEnvironment(" "));
        assertEquals(List.of(), LambdaVantagePoints.fromEnvironment(null));
    }
}
