package io.vipflip.demo;

import io.vipflip.health.HealthTransition;
import io.vipflip.local.harness.LocalWorld;
import io.vipflip.orchestrator.Outcome;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.orchestrator.WatchLoop;
import io.vipflip.route.RouteWriteOutcome;
import java.util.Map;

/**
 * Turns runs into timeline lines a person can follow: health transitions, every decision that is not a quiet
 * no-change, each table's write. A decision repeated round after round (paused, no healthy node, refused) is
 * printed when it starts and when it changes, not every round.
 */
final class RunPrinter implements WatchLoop.Listener {
    private final Timeline timeline;
    private final String source;
    private String lastRepeated = "";

    RunPrinter(Timeline timeline, String source) {
        this.timeline = timeline;
        this.source = source;
    }

    @Override
    public synchronized void onRun(RunResult result) {
        for (HealthTransition h : result.transitions()) {
            timeline.say("%s health  %s %s -> %s  (%s)", source, h.node(), h.from(), h.to(), h.why());
        }
        if (result.outcome() == Outcome.NO_CHANGE) {
            lastRepeated = "";
            return;
        }
        String line = String.format("%s decide  %s: %s", source, result.outcome(), result.decision().reason());
        boolean wrote = !result.writes().isEmpty();
        if (!wrote && line.equals(lastRepeated)) {
            return;
        }
        lastRepeated = wrote ? "" : line;
        timeline.say("%s%s", line, result.token() > 0 ? "  [token " + result.token() + ", "
                + result.timingsMillis().getOrDefault("total", 0L) + " ms]" : "");
        for (RouteWriteOutcome w : result.writes()) {
            timeline.say("%s           %s %s -> %s %s (%d ms)", source, w.action(), w.tableId(), nodeOf(w.targetEni()),
                    w.succeeded() ? "ok" : "FAILED: " + w.error().orElse("?"), w.took().toMillis());
        }
    }

    @Override
    public synchronized void onError(String group, RuntimeException error) {
        String line = String.format("%s error   %s: %s", source, group, error.getMessage());
        if (!line.equals(lastRepeated)) {
            lastRepeated = line;
            timeline.say("%s (the round changed nothing; the next one retries)", line);
        }
    }

    static String nodeOf(String eni) {
        return LocalWorld.ENIS.entrySet().stream().filter(e -> e.getValue().equals(eni)).map(Map.Entry::getKey)
                .findFirst().orElse(eni);
    }
}
