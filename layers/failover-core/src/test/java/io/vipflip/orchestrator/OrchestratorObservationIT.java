package io.vipflip.orchestrator;

import static io.vipflip.orchestrator.RunWorld.ENI_A;
import static io.vipflip.orchestrator.RunWorld.ENI_B;
import static io.vipflip.orchestrator.RunWorld.TABLES;
import static io.vipflip.orchestrator.RunWorld.VIP;
import static io.vipflip.orchestrator.RunWorld.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.DeploymentConfig;
import io.vipflip.policy.Decision;
import io.vipflip.policy.QuorumRule;
import io.vipflip.policy.Trigger;
import io.vipflip.route.ResolvedNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The observing half of a run, on a driven clock with scripted probes (issue 12: the orchestrator's own rules,
 * each asserted where it shows — which nodes are probed and how often, which routes a decision is made on, what
 * a run reports, what a configuration change keeps).
 */
class OrchestratorObservationIT {
    private final RunWorld world = new RunWorld();

    @Test
    void aColdOperatorRequest_probesBackToBackUntilRiseCanSpeak_andNoFurther() {
        // rise 2, fall 4: after two rounds a is UP, b (refusing) is still UNKNOWN — rise rounds are the most a
        // waiting operator is made to wait, even when a node needs more to be called DOWN.
        Orchestrator orchestrator = world.orchestrator(config(2, 4, "web"));
        world.prober.down("b");

        RunResult result = orchestrator.run("web", new Trigger.ManualFailover("a", "drill", false), true);

        assertEquals(2, world.prober.rounds().size(), world.prober.rounds().toString());
        assertTrue(result.health().of("a").isUp());
        assertFalse(result.health().of("b").isDown(), "fall is 4: two refusals do not make b DOWN");
    }

    @Test
    void aWarmOperatorRequest_isJudgedOnOneRound() {
        Orchestrator orchestrator = world.orchestrator(config(2, 2, "web"));
        world.round(orchestrator);
        world.round(orchestrator);
        world.prober.forget();

        RunResult result = orchestrator.run("web", new Trigger.ManualFailback("drill"), true);

        assertEquals(List.of(List.of("a", "b")), world.prober.rounds(), "both nodes are known: one round");
        assertTrue(result.health().of("b").isUp());
    }

    @Test
    void aHealthChange_isDecidedOnRoutesReadNow_whileAQuietRoundUsesTheCachedOnes() {
        Orchestrator orchestrator = world.orchestrator(config(1, 1, "web"));
        world.round(orchestrator);
        int reads = world.routes.reads();
        TABLES.forEach(t -> world.routes.route(t, VIP, ENI_B)); // moved by hand; the cache still says a

        assertEquals(Outcome.NO_CHANGE, world.round(orchestrator).outcome());
        assertEquals(reads, world.routes.reads(), "no health change: the cached routes, no DescribeRouteTables");

        world.prober.down("b");
        RunResult result = world.round(orchestrator);

        assertEquals(Outcome.FLIPPED, result.outcome(), "b went DOWN while it held the VIP: " + result);
        TABLES.forEach(t -> assertEquals(ENI_A, world.routes.target(t, VIP)));
    }

    @Test
    void anInstanceStoppedEvent_neitherObservesNorConfirmsTheStoppedNode() {
        Orchestrator orchestrator = world.orchestrator(config(1, 1, "web"));

        RunResult result = orchestrator.run("web", new Trigger.InstanceStopped("i-0000000a", "a", "stopped"));

        assertEquals(Outcome.FLIPPED, result.outcome(), result.toString());
        assertEquals(List.of(List.of("b"), List.of("b")), world.prober.rounds(),
                "the observation, then the confirmation of the target alone: EC2's word on a is authoritative");
    }

    @Test
    void aNodeWithoutAProbeAddress_isNotProbed_andCountsAsFailing() {
        DeploymentConfig config = config(1, 1, "web");
        Orchestrator orchestrator = world.orchestrator(config, world.routes, group -> group.nodes().stream()
                .map(n -> new ResolvedNode(n.name(), n.instanceId(), n.eniId(),
                        n.name().equals("b") ? Optional.empty() : n.probeAddress(), n.priority()))
                .toList());

        RunResult result = world.round(orchestrator);

        assertEquals(List.of(List.of("a")), world.prober.rounds());
        assertTrue(result.health().of("b").isDown(), "a node that cannot be checked is not one to flip to");
    }

    @Test
    void aRound_reportsEachNodesLatency_andTheTimeToDecide() {
        Orchestrator orchestrator = world.orchestrator(config(1, 1, "web"));
        world.prober.latency("a", Duration.ofMillis(30)).latency("b", Duration.ofMillis(70))
                .roundTakes(Duration.ofMillis(45));

        RunResult result = world.round(orchestrator);

        assertEquals(Map.of("a", 30L, "b", 70L), result.probeMillis());
        assertEquals(Map.of("detection", 45L), result.timingsMillis());
    }

    @Test
    void aNewConfiguration_dropsRemovedGroups_keepsTheOthersCounters_andReadsTheRoutesAgain() {
        DeploymentConfig both = config(2, 2, "web", "api");
        Orchestrator orchestrator = world.orchestrator(both);
        world.round(orchestrator, "api");
        world.round(orchestrator, "api");
        world.round(orchestrator);
        world.round(orchestrator);
        // Meanwhile another container saw b refuse twice and handed its counters over: newer than ours, but
        // ignored — our own rounds went on without a gap longer than the evidence's 3 s.
        Orchestrator other = world.orchestrator(both);
        world.prober.down("b");
        world.round(other);
        world.round(other);
        other.handOverHealth("web");
        world.prober.up("b");

        orchestrator.apply(config(2, 2, "web"));

        assertTrue(orchestrator.health("api").isEmpty(), "a removed group's counters go");
        assertTrue(orchestrator.health("web").orElseThrow().of("b").isUp(), "a kept group's counters stay");
        int reads = world.routes.reads();
        RunResult next = world.round(orchestrator);
        assertEquals(reads + 1, world.routes.reads(), "the groups changed: their routes are read again");
        assertTrue(next.health().of("b").isUp(), "watched throughout: our counters, not the handed-over ones");
    }

    @Test
    void anUnknownGroup_isRefusedByName() {
        Orchestrator orchestrator = world.orchestrator(config(1, 1, "web"));

        UnknownGroupException refused = assertThrows(UnknownGroupException.class,
                () -> orchestrator.run("nope", new Trigger.Scheduled()));

        assertEquals("group: unknown group 'nope'", refused.getMessage());
        assertEquals(List.of(), world.prober.rounds());
    }

    @Test
    void leasedActionsEnd_theMarginBeforeTheInvocationDoes() {
        DeploymentConfig config = config(1, 1, "web");
        Orchestrator orchestrator = world.orchestrator(config);

        assertEquals(world.clock.instant().plusSeconds(10).minus(config.timing().endMargin()),
                orchestrator.leasedActionsEndBy(Duration.ofSeconds(10)));
    }

    @Test
    void eachQuorumVerdict_hasItsOwnOutcome() {
        assertEquals(Outcome.PARTITION_SUSPECTED, Orchestrator.outcomeOf(
                new Decision.NoQuorum(QuorumRule.Verdict.PARTITION_SUSPECTED, "the observers reach a")));
        assertEquals(Outcome.TOO_FEW_VOTES, Orchestrator.outcomeOf(
                new Decision.NoQuorum(QuorumRule.Verdict.TOO_FEW_VOTES, "one observer answered")));
    }
}
