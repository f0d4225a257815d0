package io.vipflip.policy;

import static io.vipflip.health.HealthState.DOWN;
import static io.vipflip.health.HealthState.UP;
import static io.vipflip.policy.PolicyFixture.ENI_A;
import static io.vipflip.policy.PolicyFixture.ENI_B;
import static io.vipflip.policy.PolicyFixture.obs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.config.GroupConfig;
import io.vipflip.config.VantageSettings;
import io.vipflip.vantage.NodeSeen;
import io.vipflip.vantage.PortSeen;
import io.vipflip.vantage.PortState;
import io.vipflip.vantage.VantageView;
import io.vipflip.vantage.VantageVotes;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The quorum rule through the policy's one entry point: the active node a is DOWN from the deciding run, b is UP;
 * the observers' answers decide whether the flip a -> b goes ahead.
 */
class QuorumRuleTest {
    private static final Trigger SCHEDULE = new Trigger.Scheduled();
    private final FailoverPolicy policy = new FailoverPolicy();

    private static GroupConfig quorumGroup() {
        return PolicyFixture.group().withVantage(new VantageSettings(VantageSettings.Mode.QUORUM,
                Duration.ofMillis(400)));
    }

    /** What one AZ saw: a and b UP or not; null leaves the node out of the answer. */
    private static VantageView view(String az, Boolean aUp, Boolean bUp) {
        Map<String, NodeSeen> nodes = new LinkedHashMap<>();
        if (aUp != null) {
            nodes.put("a", seen("a", aUp));
        }
        if (bUp != null) {
            nodes.put("b", seen("b", bUp));
        }
        return new VantageView(az, nodes);
    }

    private static NodeSeen seen(String node, boolean up) {
        return new NodeSeen(node, List.of(new PortSeen(80, up ? PortState.UP : PortState.TIMEOUT, up ? 1 : 300,
                up ? "" : "no answer within 300ms (connect)")));
    }

    private static VantageVotes votes(int observers, VantageView... answers) {
        return new VantageVotes(observers, Arrays.asList(answers),
                observers > answers.length ? List.of("observer-x: TooManyRequestsException") : List.of());
    }

    private static Observation aDownFromHere(VantageVotes votes) {
        return obs().health("a", DOWN).health("b", UP).allOn(ENI_A).build().withVantage(votes);
    }

    private Decision decide(GroupConfig group, Observation obs, Trigger trigger) {
        return policy.decide(group, GroupState.initial(), obs, trigger);
    }

    @Test
    void flips_whenEveryAzSeesTheActiveDownAndTheTargetUp() {
        Decision d = decide(quorumGroup(), aDownFromHere(votes(2, view("az-a", false, true), view("az-b", false, true))),
                SCHEDULE);
        Decision.Flip flip = assertInstanceOf(Decision.Flip.class, d);
        assertEquals("b", flip.target());
        assertEquals(3, flip.changes().size());
        assertTrue(flip.reason().contains("3 of 3 vantage points see a DOWN"), flip.reason());
    }

    @Test
    void partitionSuspected_whenOnlyTheDecidingAzSeesTheActiveDown() {
        // Three AZs: the deciding run and its AZ's observer lost a; the two other AZs still reach it.
        Decision d = decide(quorumGroup(), aDownFromHere(votes(3, view("az-a", false, true), view("az-b", true, true),
                view("az-c", true, true))), SCHEDULE);
        Decision.NoQuorum no = assertInstanceOf(Decision.NoQuorum.class, d);
        assertEquals(QuorumRule.Verdict.PARTITION_SUSPECTED, no.verdict());
        assertEquals("partition-suspected", no.kind().wire());
        assertTrue(no.reason().contains("only 2 of 4 vantage points see a DOWN"), no.reason());
        assertTrue(no.reason().contains("az-b: a UP, b UP"), no.reason());
        assertTrue(no.reason().contains("az-a: a DOWN (80 TIMEOUT), b UP"), no.reason());
    }

    @Test
    void partitionSuspected_whenSomeAzCannotReachTheTarget() {
        Decision d = decide(quorumGroup(), aDownFromHere(votes(2, view("az-a", false, true), view("az-b", false, false))),
                SCHEDULE);
        Decision.NoQuorum no = assertInstanceOf(Decision.NoQuorum.class, d);
        assertEquals(QuorumRule.Verdict.PARTITION_SUSPECTED, no.verdict());
        assertTrue(no.reason().contains("b is not UP from az-b"), no.reason());
    }

    @Test
    void targetLeftOutOfAnAnswer_isNotSeenUp() {
        Decision d = decide(quorumGroup(), aDownFromHere(votes(2, view("az-a", false, true), view("az-b", false, null))),
                SCHEDULE);
        assertEquals("partition-suspected", d.kind().wire());
    }

    @Test
    void halfTheVotes_isNoMajority() {
        Decision d = decide(quorumGroup(), aDownFromHere(votes(1, view("az-b", true, true))), SCHEDULE);
        assertEquals("partition-suspected", d.kind().wire());
        Decision agreed = decide(quorumGroup(), aDownFromHere(votes(1, view("az-b", false, true))), SCHEDULE);
        assertEquals("flip", agreed.kind().wire());
    }

    @Test
    void aSilentObserverIsNoVote_neverADownVote() {
        // Two observers: one throttled, one sees a UP. Counted as DOWN, the silent one would make 2 of 3 and flip.
        Decision d = decide(quorumGroup(), aDownFromHere(votes(2, view("az-b", true, true))), SCHEDULE);
        assertEquals("partition-suspected", d.kind().wire());
    }

    @Test
    void anAnswerWithoutTheActiveNode_isNoDownVote() {
        Decision d = decide(quorumGroup(), aDownFromHere(votes(1, view("az-b", null, true))), SCHEDULE);
        assertEquals("partition-suspected", d.kind().wire());
    }

    @Test
    void tooFewVotes_whenNoObserverAnswered() {
        Decision d = decide(quorumGroup(), aDownFromHere(votes(2)), SCHEDULE);
        Decision.NoQuorum no = assertInstanceOf(Decision.NoQuorum.class, d);
        assertEquals(QuorumRule.Verdict.TOO_FEW_VOTES, no.verdict());
        assertEquals("too-few-votes", no.kind().wire());
        assertTrue(no.reason().contains("only 1 of 3 vantage points answered (2 needed)"), no.reason());
        assertTrue(no.reason().contains("TooManyRequestsException"), no.reason());
    }

    @Test
    void tooFewVotes_whenLessThanAMajorityOfAllVantagePointsAnswered() {
        // Four vantage points (three observers and the deciding run): two that agree are not enough.
        Decision d = decide(quorumGroup(), aDownFromHere(votes(3, view("az-b", false, true))), SCHEDULE);
        assertEquals("too-few-votes", d.kind().wire());
        Decision three = decide(quorumGroup(), aDownFromHere(votes(3, view("az-b", false, true),
                view("az-c", false, true))), SCHEDULE);
        assertEquals("flip", three.kind().wire());
    }

    @Test
    void tooFewVotes_withoutObservers_theDecidingRunAloneIsNoQuorum() {
        Decision d = decide(quorumGroup(), aDownFromHere(new VantageVotes(0, List.of(), List.of("none"))), SCHEDULE);
        assertEquals("too-few-votes", d.kind().wire());
    }

    @Test
    void beforeTheLease_theFlipIsProvisional() {
        Observation unasked = obs().health("a", DOWN).health("b", UP).allOn(ENI_A).build();
        assertEquals("flip", decide(quorumGroup(), unasked, SCHEDULE).kind().wire());
    }

    @Test
    void localGroup_ignoresVotes() {
        Decision d = decide(PolicyFixture.group(), aDownFromHere(votes(3, view("az-b", true, true),
                view("az-c", true, true))), SCHEDULE);
        assertEquals("flip", d.kind().wire());
    }

    @Test
    void manualFailover_isNotGated() {
        Observation obs = obs().health("a", UP).health("b", UP).allOn(ENI_A).build()
                .withVantage(votes(2, view("az-b", true, false)));
        Decision d = decide(quorumGroup(), obs, new Trigger.ManualFailover("b", "drill", false));
        assertEquals("flip", d.kind().wire());
    }

    @Test
    void instanceStoppedForTheActive_isAuthoritative_butNotForAnotherNode() {
        Observation obs = aDownFromHere(votes(2, view("az-b", true, true), view("az-c", true, true)));
        assertEquals("flip", decide(quorumGroup(), obs,
                new Trigger.InstanceStopped("i-0000000a", "a", "stopping")).kind().wire());
        assertEquals("partition-suspected", decide(quorumGroup(), obs,
                new Trigger.InstanceStopped("i-0000000c", "c", "stopping")).kind().wire());
    }

    @Test
    void alarmAndReconcile_areGatedLikeTheSchedule() {
        Observation obs = aDownFromHere(votes(2, view("az-b", true, true), view("az-c", true, true)));
        assertEquals("partition-suspected", decide(quorumGroup(), obs, new Trigger.Alarm("web-a", "a")).kind().wire());
        assertEquals("partition-suspected", decide(quorumGroup(), obs, new Trigger.Reconcile("check")).kind().wire());
    }

    @Test
    void failback_isNotGated_theActiveIsUp() {
        GroupConfig failback = PolicyFixture.group(Duration.ofSeconds(60), Duration.ofSeconds(30), 6)
                .withVantage(new VantageSettings(VantageSettings.Mode.QUORUM, Duration.ofMillis(400)));
        Observation obs = obs().health("a", UP).health("b", UP).allOn(ENI_B).build()
                .withVantage(votes(2, view("az-b", false, false)));
        Decision d = decide(failback, obs, SCHEDULE);
        assertEquals("flip", d.kind().wire());
        assertEquals("a", ((Decision.Flip) d).target());
    }

    @Test
    void placingTheVipWhenNoNodeHoldsIt_isNotGated() {
        PolicyFixture.Obs none = obs().health("a", UP).health("b", UP);
        PolicyFixture.TABLES.forEach(t -> none.route(t, io.vipflip.route.RouteStatus.MISSING, null));
        Observation obs = none.build().withVantage(votes(2));
        assertEquals("flip", decide(quorumGroup(), obs, SCHEDULE).kind().wire());
    }
}
