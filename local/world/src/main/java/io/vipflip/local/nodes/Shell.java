package io.vipflip.local.nodes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs the system tools the node faults need ({@code ip}, {@code nft}, {@code kill}) and fails loudly. */
final class Shell {
    private Shell() {
    }

    /** Runs {@code command}; returns its output, or throws with the output when it exits non-zero. */
    static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + exit + "): "
                        + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** True when {@code tool} is an executable in the usual system directories or on PATH. */
    static boolean has(String tool) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** True when this process runs as root (network namespaces and nft need it). */
    static boolean root() {
        try {
            return "0".equals(run(List.of("id", "-u")).strip());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
