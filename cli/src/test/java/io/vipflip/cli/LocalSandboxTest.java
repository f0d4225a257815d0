package io.vipflip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --local attaches to a running sandbox through its state file, and says clearly when there is none. */
class LocalSandboxTest {
    @TempDir
    Path dir;

    private Path state(long pid) throws Exception {
        Path file = dir.resolve("state.json");
        Files.writeString(file, """
                {"pid": %d, "control": "http://127.0.0.1:1",
                 "environment": {"AWS_ENDPOINT_URL_EC2": "http://127.0.0.1:4000", "VIPFLIP_TABLE": "t",
                                 "VIPFLIP_CONFIG": "{}", "AWS_REGION": "eu-west-1"}}
                """.formatted(pid));
        return file;
    }

    @Test
    void takesTheSandboxEnvironment_fromTheStateFileOfALiveSandbox() throws Exception {
        Path file = state(ProcessHandle.current().pid());

        Map<String, String> env = LocalSandbox.environment(Map.of(LocalSandbox.STATE_VARIABLE, file.toString(),
                "AWS_REGION", "us-east-1", "HOME", "/home/x"));

        assertEquals("http://127.0.0.1:4000", env.get("AWS_ENDPOINT_URL_EC2"));
        assertEquals("t", env.get("VIPFLIP_TABLE"));
        assertEquals("eu-west-1", env.get("AWS_REGION"), "the sandbox's region wins");
        assertEquals("/home/x", env.get("HOME"));
    }

    @Test
    void keepsAnEnvironmentThatAlreadyNamesAWorld() {
        Map<String, String> env = Map.of("VIPFLIP_CONFIG", "{}", LocalSandbox.STATE_VARIABLE, "/nonexistent");

        assertSame(env, LocalSandbox.environment(env));
    }

    @Test
    void refuses_whenNoSandboxStateFileExists() {
        Path missing = dir.resolve("none.json");

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LocalSandbox.environment(Map.of(LocalSandbox.STATE_VARIABLE, missing.toString())));
        assertTrue(e.getMessage().contains("start one with ./sandbox"), e.getMessage());
    }

    @Test
    void refuses_whenTheSandboxThatWroteTheFileIsGone() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        Path file = state(exited.pid());

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LocalSandbox.environment(Map.of(LocalSandbox.STATE_VARIABLE, file.toString())));
        assertTrue(e.getMessage().contains("is not running"), e.getMessage());
    }
}
