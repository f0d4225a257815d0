package io.vipflip.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./sandbox's commands without a sandbox: help, and a clear answer when none is running. */
class SandboxCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Path state, String... args) {
        return new SandboxCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), state).run(List.of(args));
    }

    @Test
    void help_listsEveryFault_withItsUndo() {
        assertEquals(0, run(dir.resolve("none.json"), "--help"));

        String help = out.toString(StandardCharsets.UTF_8);
        for (String command : List.of("kill NODE", "restart NODE", "freeze NODE", "thaw NODE", "lose NODE",
                "reconnect NODE", "stop-instance NODE", "start-instance NODE", "event FILE", "ec2 latency MILLIS",
                "ec2 throttle N", "ec2 fail-writes TABLE", "ec2 clear", "undo: restart NODE", "undo: thaw NODE",
                "undo: reconnect NODE")) {
            assertTrue(help.contains(command), command);
        }
    }

    @Test
    void aCommand_withoutARunningSandbox_exits1AndSaysHowToStartOne() {
        assertEquals(1, run(dir.resolve("none.json"), "kill", "haproxy-a"));

        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no sandbox is running"), err.toString());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("start one with ./sandbox"), err.toString());
    }

    @Test
    void aStateFileOfADeadSandbox_countsAsNoSandbox() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        Path state = dir.resolve("state.json");
        Files.writeString(state, "{\"pid\": " + exited.pid() + ", \"control\": \"http://127.0.0.1:1\"}");

        assertEquals(1, run(state, "status"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no sandbox is running"), err.toString());
    }
}
