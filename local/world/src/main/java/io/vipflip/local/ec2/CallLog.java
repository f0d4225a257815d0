package io.vipflip.local.ec2;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every call the endpoint answered: what, on which table, when, and how it ended. For tests and benchmarks. */
public final class CallLog {
    /**
     * @param tableId the route table the call names, or empty
     * @param status  the HTTP status answered
     * @param error   EC2's error code, or empty
     */
    public record Call(Instant at, long nanoTime, String action, String tableId, int status, String error) {
        public boolean isWrite() {
            return action.equals("CreateRoute") || action.equals("ReplaceRoute") || action.equals("DeleteRoute");
        }
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();

    void add(Call call) {
        calls.add(call);
    }

    public List<Call> all() {
        return List.copyOf(calls);
    }

    public long count(String action) {
        return calls.stream().filter(c -> c.action().equals(action)).count();
    }

    public long writes() {
        return calls.stream().filter(Call::isWrite).count();
    }

    public void clear() {
        calls.clear();
    }
}
