package io.vipflip.history;

import io.vipflip.route.RouteWriteOutcome;
import java.util.Map;
import java.util.stream.Collectors;

/** The short, readable message for one history event: an SNS subject (ASCII, under 100 characters) and a body. */
public record Notification(String subject, String body) {
    private static final int MAX_SUBJECT = 99;
    private static final int MAX_LINE = 300;

    public static Notification of(HistoryEvent event) {
        String move = event.from().orElse("-") + " -> " + event.to().orElse("-");
        String kind = event.kind().wire();
        String headline = switch (event.kind()) {
            case FLIP, REPAIR -> kind + " " + move;
            case PAUSED, RESUMED, BACKOFF_ENDED -> kind;
            default -> kind + (event.to().isPresent() ? " (wanted " + event.to().get() + ")" : "");
        };
        headline = clip(headline);
        String subject = ascii("vipflip " + event.group() + ": " + headline);
        StringBuilder body = new StringBuilder()
                .append("group ").append(event.group()).append(": ").append(headline)
                .append(" (token ").append(event.token()).append(")\n")
                .append("trigger: ").append(event.trigger()).append('\n')
                .append("reason: ").append(clip(event.reason())).append('\n')
                .append("at: ").append(event.at()).append('\n');
        if (!event.outcomes().isEmpty()) {
            body.append("tables: ").append(event.outcomes().stream().map(Notification::outcome)
                    .collect(Collectors.joining(", "))).append('\n');
        }
        if (!event.timingsMillis().isEmpty()) {
            body.append("timings ms: ").append(timings(event.timingsMillis())).append('\n');
        }
        return new Notification(subject.length() > MAX_SUBJECT ? subject.substring(0, MAX_SUBJECT) : subject,
                body.toString());
    }

    private static String outcome(RouteWriteOutcome o) {
        return o.tableId() + (o.succeeded() ? " ok" : " FAILED " + clip(o.error().orElse("")));
    }

    private static String timings(Map<String, Long> timings) {
        return timings.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    private static String clip(String text) {
        String line = text.replaceAll("\\p{Cntrl}", " ");
        return line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE) + "...";
    }

    /** SNS subjects: ASCII, no line breaks or control characters. */
    private static String ascii(String text) {
        return text.chars().mapToObj(c -> c >= 32 && c < 127 ? String.valueOf((char) c) : "?")
                .collect(Collectors.joining());
    }
}
