package io.vipflip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.local.harness.LocalWorld;
import io.vipflip.local.harness.LocalWorldExtension;
import io.vipflip.policy.Trigger;
import io.vipflip.runtime.Engine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI end to end against the local world: status, failover, pause blocking automatic flips, resume. */
class CliLocalIT {
    @RegisterExtension
    static final LocalWorldExtension WORLD = new LocalWorldExtension();
    private static LocalWorld world;
    private Engine engine;
    private ByteArrayOutputStream printed;

    @BeforeEach
    void reset() {
        world = WORLD.world();
        engine = world.engine(Clock.systemUTC());
        automaticRound();
        automaticRound();
    }

    private void automaticRound() {
        engine.orchestrator().run("web", new Trigger.Scheduled());
    }

    private int vipflip(String... args) {
        VipflipCli cli = new VipflipCli();
        cli.invoker = new LocalInvoker(engine);
        printed = new ByteArrayOutputStream();
        cli.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return new CommandLine(cli).execute(args);
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void status_printsTheActiveNodeTablesAndNodes() {
        assertEquals(0, vipflip("status", "--group", "web"));

        assertTrue(output().startsWith("group web: VIP on haproxy-a"), output());
        assertTrue(output().contains("rtb-0ccccccccccccccc3"), output());
        assertTrue(output().contains("haproxy-b  i-0bbbbbbbbbbbbbbb2"), output());
    }

    @Test
    void failover_movesTheVip_andJsonModeAnswersForScripts() {
        assertEquals(0, vipflip("failover", "--group", "web", "--to", "haproxy-b", "--reason", "drill"));
        assertTrue(output().contains("FLIPPED"), output());
        world.routes().values().forEach(t -> assertEquals(LocalWorld.ENIS.get("haproxy-b"), t));

        assertEquals(0, vipflip("status", "--group", "web", "--json"));
        assertTrue(output().contains("\"activeNode\" : \"haproxy-b\""), output());
    }

    @Test
    void pause_blocksAutomaticFlips_untilResume() {
        assertEquals(0, vipflip("pause", "--group", "web", "--reason", "maintenance"));
        world.nodes().kill("haproxy-a");
        for (int i = 0; i < 4; i++) {
            automaticRound();
        }
        world.routes().values().forEach(t -> assertEquals(LocalWorld.ENIS.get("haproxy-a"), t));
        assertEquals(0, vipflip("history", "--group", "web"));
        assertTrue(output().contains("paused"), output());

        assertEquals(0, vipflip("resume", "--group", "web"));
        automaticRound();
        world.routes().values().forEach(t -> assertEquals(LocalWorld.ENIS.get("haproxy-b"), t));
    }

    @Test
    void aRefusedRequest_exitsNonZero_withTheFieldInTheError() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, vipflip("failover", "--group", "web", "--to", "haproxy-z", "--reason", "typo"));
        } finally {
            System.setErr(err);
        }
        assertTrue(captured.toString(StandardCharsets.UTF_8).contains("target: unknown node 'haproxy-z'"), captured.toString());
        assertEquals(0, world.ec2().calls().writes());
    }
}
