package io.vipflip.policy;

import static io.vipflip.health.HealthState.UP;
import static io.vipflip.policy.PolicyFixture.ENI_A;
import static io.vipflip.policy.PolicyFixture.NOW;
import static io.vipflip.policy.PolicyFixture.group;
import static io.vipflip.policy.PolicyFixture.obs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.health.GroupHealth;
import io.vipflip.health.HealthState;
import io.vipflip.health.HealthTransition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The policy decides what an instance-state trigger means for health (it was in the orchestrator). */
class TriggerEvidenceTest {
    private final FailoverPolicy policy = new FailoverPolicy();
    private final Observation probedUp = obs().health("a", UP).health("b", UP).allOn(ENI_A).build();

    @Test
    void anInstanceStoppedTrigger_makesItsNodeDownWhateverTheProbesSaid_andThePolicyFlips() {
        Trigger stopped = new Trigger.InstanceStopped("i-0000000a", "a", "stopping");

        GroupHealth.Update update = policy.withTriggerEvidence(stopped,
                new GroupHealth.Update(probedUp.health(), List.of()), NOW);

        assertEquals(HealthState.DOWN, update.health().of("a").state());
        assertEquals(HealthState.UP, update.health().of("b").state());
        HealthTransition down = update.transitions().getFirst();
        assertEquals("a", down.node());
        assertTrue(down.why().contains("i-0000000a is stopping"), down.why());
        Observation decided = new Observation(NOW, probedUp.nodes(), update.health(), probedUp.routes(), Map.of());
        assertEquals(DecisionKind.FLIP, policy.decide(group(), GroupState.initial(), decided, stopped).kind());
    }

    @Test
    void anyOtherTrigger_leavesTheProbedHealthAsItIs() {
        GroupHealth.Update probed = new GroupHealth.Update(probedUp.health(), List.of());

        assertSame(probed, policy.withTriggerEvidence(new Trigger.Scheduled(), probed, NOW));
        assertSame(probed, policy.withTriggerEvidence(new Trigger.Alarm("x", "a"), probed, NOW));
    }

    @Test
    void underTheLease_theTargetAndTheHolderAreProbedAgain_butNotAStoppedInstance_andNothingForAForcedFailover() {
        Decision flipToB = policy.decide(group(), GroupState.initial(),
                obs().health("a", HealthState.DOWN).health("b", UP).allOn(ENI_A).build(), new Trigger.Scheduled());

        assertEquals(java.util.Set.of("a", "b"), policy.toConfirm(flipToB, probedUp, new Trigger.Scheduled()));
        assertEquals(java.util.Set.of("b"), policy.toConfirm(flipToB, probedUp,
                new Trigger.InstanceStopped("i-0000000a", "a", "stopped")));
        assertEquals(java.util.Set.of(), policy.toConfirm(flipToB, probedUp, new Trigger.ManualFailover("b", "x", true)));
        assertEquals(java.util.Set.of("a", "b"), policy.toConfirm(new Decision.Refused("no"), probedUp,
                new Trigger.ManualFailover("b", "x", false)), "an operator's target is confirmed even when refused");
    }
}
