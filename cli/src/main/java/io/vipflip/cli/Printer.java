package io.vipflip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Prints the manual function's answers as tables a person reads at 3 a.m. */
final class Printer {
    private final PrintStream out;

    Printer(PrintStream out) {
        this.out = out;
    }

    void answer(JsonNode answer) {
        String action = answer.path("action").asText();
        if (action.equals("status")) {
            status(answer);
        } else if (answer.has("pausedAfter")) {
            out.printf("%s %s: %s (token %d) - automation is now %s%n", action, answer.path("group").asText(),
                    answer.path("outcome").asText(), answer.path("token").asLong(),
                    answer.path("pausedAfter").asBoolean() ? "PAUSED" : "running");
        } else {
            out.printf("%s %s: %s - %s: %s%n", action, answer.path("group").asText(), answer.path("outcome").asText(),
                    answer.path("decision").asText(), answer.path("reason").asText());
            out.printf("token %d%s%n", answer.path("token").asLong(), answer.path("dryRun").asBoolean() ? " (dry run: nothing written)" : "");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"TABLE", "VIP", "BEFORE", "AFTER"});
            answer.path("tables").forEach(t -> rows.add(new String[] {t.path("table").asText(), t.path("vip").asText(),
                    t.path("before").asText(), t.path("after").asText()}));
            table(rows);
            answer.path("writes").forEach(w -> {
                if (!w.path("succeeded").asBoolean()) {
                    out.printf("write FAILED on %s: %s%n", w.path("tableId").asText(), w.path("error").asText());
                }
            });
        }
    }

    private void status(JsonNode s) {
        out.printf("group %s: VIP on %s%s%n", s.path("group").asText(), s.path("activeNode").asText("(no node)"),
                s.path("paused").asBoolean() ? "   [PAUSED: " + s.path("pauseReason").asText() + "]" : "");
        if (s.has("pin")) {
            out.printf("pinned to %s (%s) until failback%n", s.path("pin").path("node").asText(), s.path("pin").path("reason").asText());
        }
        List<String[]> tables = new ArrayList<>();
        tables.add(new String[] {"TABLE", "VIP", "TARGET", "STATE", "NODE"});
        s.path("tables").forEach(t -> tables.add(new String[] {t.path("table").asText(), t.path("vip").asText(),
                t.path("target").asText(), t.path("state").asText(), t.path("node").asText("-")}));
        table(tables);
        List<String[]> nodes = new ArrayList<>();
        nodes.add(new String[] {"NODE", "INSTANCE", "ENI", "PRIORITY", "HEALTH", "PROBE", "SRC/DST CHECK"});
        s.path("nodes").forEach(n -> nodes.add(new String[] {n.path("name").asText(), n.path("instanceId").asText(),
                n.path("eni").asText("-"), n.path("priority").asText(), n.path("health").asText(),
                n.has("probeLatencyMillis") ? n.path("probeLatencyMillis").asText() + " ms" : "-",
                n.has("sourceDestCheck") ? (n.path("sourceDestCheck").asBoolean() ? "ON (warning)" : "off") : "?"}));
        table(nodes);
        s.path("nodes").forEach(n -> {
            if (n.has("warning")) {
                out.println("WARNING: " + n.path("warning").asText());
            }
        });
        s.path("repairBackoff").forEach(b -> out.printf(
                "repair back-off: %s - %d refused write(s) since %s, next retry %s: %s%n", b.path("table").asText(),
                b.path("failures").asInt(), b.path("since").asText(), b.path("retryAt").asText(),
                b.path("error").asText()));
        if (s.has("lease")) {
            JsonNode lease = s.path("lease");
            if (lease.path("owner").isNull()) {
                out.printf("lease: free (last token %d)%n", lease.path("token").asLong());
            } else {
                out.printf("lease: held by %s, token %d, expires %s%n", lease.path("owner").asText(),
                        lease.path("token").asLong(), lease.path("expiresAt").asText());
            }
        }
        history(s.path("history"), 5);
    }

    void history(JsonNode events, int limit) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"AT", "TOKEN", "KIND", "FROM", "TO", "TRIGGER", "REASON"});
        int shown = 0;
        for (JsonNode e : events) {
            if (shown++ >= limit) {
                break;
            }
            rows.add(new String[] {e.path("at").asText(), e.path("token").asText(), e.path("kind").asText(),
                    e.path("from").asText("-"), e.path("to").asText("-"), e.path("trigger").asText(),
                    e.path("reason").asText()});
        }
        if (rows.size() == 1) {
            out.println("history: (empty)");
            return;
        }
        table(rows);
    }

    private void table(List<String[]> rows) {
        int columns = rows.getFirst().length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], Math.min(60, row[i].length()));
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String cell = row[i].length() > 60 ? row[i].substring(0, 57) + "..." : row[i];
                line.append(i == columns - 1 ? cell : String.format("%-" + widths[i] + "s  ", cell));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
