package io.vipflip.probe;

import java.util.List;

/**
 * An HTTP check on one of a node's ports, as HAProxy's {@code option httpchk} and NLB HTTP health checks do:
 * {@code GET path}, answered with an accepted status within the probe timeout. It catches a frozen process
 * (SIGSTOP), whose kernel still completes TCP handshakes so a connect probe says UP.
 *
 * @param accepted inclusive status ranges, e.g. 200-399 (NLB's default; HAProxy's default accepts 2xx and 3xx)
 */
public record HttpCheck(String path, int port, List<StatusRange> accepted) {
    public static final String DEFAULT_STATUSES = "200-399";

    public HttpCheck {
        accepted = List.copyOf(accepted);
    }

    public boolean accepts(int status) {
        return accepted.stream().anyMatch(r -> status >= r.from() && status <= r.to());
    }

    /** The request line and headers sent: HTTP/1.1 needs a Host; the connection is closed after the answer. */
    public String request(String address) {
        return "GET " + path + " HTTP/1.1\r\nHost: " + address + "\r\nUser-Agent: vipflip-health-check\r\n"
                + "Accept: */*\r\nConnection: close\r\n\r\n";
    }

    /** An inclusive range of HTTP statuses. */
    public record StatusRange(int from, int to) {
    }
}
