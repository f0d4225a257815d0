package io.vipflip.probe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The probing thread gets no CPU until its deadline has passed, as in a starved container. */
class TcpProberStarvationTest {
    /**
     * Time that stands still until the first wait, which ends (the thread stalled, e.g. 100 ms, while the kernel
     * completed the handshake) with nothing seen and the deadline long past.
     */
    private static TcpProber starvedUntilAfterTheDeadline() {
        return new TcpProber(new TcpProber.Waiting() {
            private long now;

            @Override
            public long nanoTime() {
                return now;
            }

            @Override
            public int select(Selector selector, long millis) throws IOException {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                now = Long.MAX_VALUE / 2;
                return 0;
            }
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
