package io.vipflip.local.harness;

import com.sun.net.httpserver.HttpServer;
import io.vipflip.probe.TcpProber;
import io.vipflip.vantage.Observer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * An AZ observer as a process of its own, started inside a zone's network namespace so that it probes from there:
 * {@code POST /invoke} runs the observer's core (what the observer function's handler runs) on the body. The local
 * Lambda endpoint forwards each invocation of the zone's observer here. Arguments: address, port, vantage name.
 */
public final class ObserverServer {
    /** Printed once listening, so the launcher knows it can forward invocations. */
    static final String READY = "observer listening";

    private ObserverServer() {
    }

    public static void main(String[] args) throws IOException {
        Observer observer = new Observer(new TcpProber(), args[2]);
        HttpServer server = HttpServer.create(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/invoke", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                int status = 200;
                byte[] answer;
                try {
                    answer = observer.answer(body);
                } catch (RuntimeException failed) {
                    status = 500; // the endpoint turns it into a function error, as Lambda does for a thrown exception
                    answer = String.valueOf(failed.getMessage()).getBytes(StandardCharsets.UTF_8);
                }
                exchange.sendResponseHeaders(status, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        });
        server.start();
        System.out.println(READY);
        System.out.flush();
    }
}
