package io.vipflip.probe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The probing thread gets no CPU until its deadline has passed, as in a starved container. */
class TcpProberStarvationTest {
    /** A ticker whose first reading starts the round; every later one comes after a stall past any deadline. */
    private static TcpProber starvedUntilAfterTheDeadline() {
        AtomicInteger readings = new AtomicInteger();
        return new TcpProber(() -> {
            if (readings.getAndIncrement() == 0) {
                return 0;
            }
            try {
                Thread.sleep(100); // descheduled: meanwhile the kernel completes the handshake
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Long.MAX_VALUE / 2;
        });
    }

    @Test
    void anAnswerTheKernelAlreadyHolds_isNotReportedAsTheNodesSilence() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            ProbeRound round = starvedUntilAfterTheDeadline().probe(
                    List.of(new ProbeTarget("a", "127.0.0.1", List.of(listener.getLocalPort()))),
                    Duration.ofMillis(250));

            assertTrue(round.passed("a"), round.toString());
        }
    }

    @Test
    void aPortThatNeverAnswers_stillFailsAfterTheLastLook() throws IOException {
        int closed;
        try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            closed = gone.getLocalPort();
        }
        ProbeRound round = starvedUntilAfterTheDeadline().probe(
                List.of(new ProbeTarget("a", "127.0.0.1", List.of(closed))), Duration.ofMillis(250));

        assertFalse(round.passed("a"), round.toString());
    }
}
