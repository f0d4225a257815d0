package io.vipflip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vipflip.config.GroupParameters;
import io.vipflip.config.SsmConfigParameters;
import io.vipflip.history.Notifier;
import io.vipflip.local.harness.LocalWorld;
import io.vipflip.local.harness.LocalWorldExtension;
import io.vipflip.runtime.Engine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** {@code vipflip group put|get|list|remove} against the local world's Parameter Store, through the SDK over HTTP. */
class GroupCommandsIT {
    @RegisterExtension
    static final LocalWorldExtension WORLD = new LocalWorldExtension();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = "/vipflip/local";
    private LocalWorld world;
    private String out;
    private String err;
    private Engine engine;

    @BeforeEach
    void reset() {
        world = WORLD.world();
    }

    private String webDocument() throws Exception {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(world.configJson()).get("groups").get(0));
    }

    private int vipflip(String stdin, String... args) {
        VipflipCli cli = new VipflipCli();
        cli.parameters = new SsmConfigParameters(world.ssmClient());
        if (engine != null) {
            cli.invoker = new LocalInvoker(engine);
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        cli.out = new PrintStream(o, true, StandardCharsets.UTF_8);
        cli.err = new PrintStream(e, true, StandardCharsets.UTF_8);
        cli.in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        int code = new CommandLine(cli).execute(args);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void put_validatesThenWritesOneParameterPerGroup_andCountsVersions() throws Exception {
        assertEquals(0, vipflip(webDocument(), "group", "put", "--config-path", ROOT), err);
        assertTrue(out.startsWith("created /vipflip/local/groups/web (version 1, "), out);

        assertEquals(0, vipflip(webDocument(), "group", "put", "--config-path", ROOT, "--file", "-"), err);
        assertTrue(out.startsWith("updated /vipflip/local/groups/web (version 2, "), out);
        String stored = world.ssm().store().get(ROOT + "/groups/web").orElseThrow().value();
        assertEquals(JSON.readTree(webDocument()), JSON.readTree(stored));
        assertTrue(stored.length() < webDocument().length(), "stored compact: the standard tier holds 4,096 characters");
    }

    @Test
    void anInvalidDocument_isRefusedWithItsFields_andNothingIsWritten() throws Exception {
        String bad = webDocument().replace("\"fall\" : 3", "\"fall\" : 0").replace("\"vipflip:group\"", "\"\"");
        world.ssm().clearCalls();

        assertEquals(2, vipflip(bad, "group", "put", "--config-path", ROOT));

        assertTrue(err.contains("invalid group document, nothing written:"), err);
        assertTrue(err.contains("  probe.fall: must be between 1 and 100 (got 0)"), err);
        assertTrue(err.contains("  routeTables.tag.key: must not be blank"), err);
        assertEquals(0, world.ssm().count("PutParameter"));
    }

    @Test
    void aGroupTakingAnotherGroupsVip_isRefused() throws Exception {
        vipflip(webDocument(), "group", "put", "--config-path", ROOT);
        String thief = webDocument().replace("\"name\" : \"web\"", "\"name\" : \"api\"");

        assertEquals(2, vipflip(thief, "group", "put", "--config-path", ROOT));

        assertTrue(err.contains("vips[0]: VIP '192.168.100.10/32' is already routed by group 'web'"), err);
        assertEquals(Optional.empty(), world.ssm().store().get(ROOT + "/groups/api"));
    }

    @Test
    void list_showsEveryGroupParameter_andWhyAHandWrittenOneIsInvalid() throws Exception {
        vipflip(webDocument(), "group", "put", "--config-path", ROOT);
        world.ssm().store().put(ROOT + "/groups/db", "{\"name\": \"db\"}", Optional.of("String"), false, Optional.empty());

        assertEquals(3, vipflip("", "group", "list", "--config-path", ROOT));

        assertTrue(out.startsWith("GROUP"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("db ") && l.contains("INVALID vips: is required")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("web ") && l.endsWith("ok, VIPs 192.168.100.10/32")), out);
    }

    @Test
    void getPrintsTheDocument_andRemoveDeletesIt() throws Exception {
        vipflip(webDocument(), "group", "put", "--config-path", ROOT);

        assertEquals(0, vipflip("", "group", "get", "--config-path", ROOT, "--group", "web"));
        assertEquals(JSON.readTree(webDocument()), JSON.readTree(out));

        assertEquals(0, vipflip("", "group", "remove", "--config-path", ROOT, "--group", "web"));
        assertTrue(out.startsWith("deleted /vipflip/local/groups/web: its routes are left as they are"), out);
        assertEquals(2, vipflip("", "group", "remove", "--config-path", ROOT, "--group", "web"));
        assertTrue(err.contains("no group 'web': /vipflip/local/groups/web does not exist"), err);
        assertEquals(2, vipflip("", "group", "get", "--config-path", ROOT, "--group", "web"));
    }

    @Test
    void aGroupPutAfterTheFunctionStarted_isKnownToTheNextRequest() throws Exception {
        engine = Engine.fromParameters(new GroupParameters(ROOT), new SsmConfigParameters(world.ssmClient()),
                Duration.ofSeconds(60), world.table(), world.ec2Client(), world.dynamoClient(), Clock.systemUTC(),
                "cli-it", Notifier.NONE);
        assertEquals(0, engine.config().groups().size());

        assertEquals(0, vipflip(webDocument(), "group", "put", "--config-path", ROOT));
        assertEquals(0, vipflip("", "status", "--group", "web"), err);

        assertTrue(out.startsWith("group web: VIP on haproxy-a"), out);
    }

    @Test
    void theConfigPathIsRequired_andMustBeAPath() {
        assertEquals(2, vipflip("", "group", "list", "--config-path", "vipflip/local"));
    }
}
