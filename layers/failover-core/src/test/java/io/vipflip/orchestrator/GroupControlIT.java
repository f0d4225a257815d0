package io.vipflip.orchestrator;

import static io.vipflip.orchestrator.RunWorld.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.aws.CallBound;
import io.vipflip.history.HistoryEvent;
import io.vipflip.lease.Lease;
import io.vipflip.lease.LeaseRecord;
import io.vipflip.lease.LeaseStore;
import io.vipflip.policy.HistoryKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Pause, resume and configuration records on DynamoDB Local and a driven clock: what each answers, what it writes,
 * and that an answer other than RECORDED wrote nothing.
 */
class GroupControlIT {
    private final RunWorld world = new RunWorld();
    private final GroupControl control = new GroupControl(config(1, 1, "web"), world.leases(), world.states(),
            world.clock, "fn-1", world.notifier);

    private List<HistoryKind> history() {
        return world.history().stream().map(HistoryEvent::kind).toList();
    }

    @Test
    void pauseThenResume_recordEachUnderALease_andAnnounceIt() {
        GroupControl.Change paused = control.pause("web", "maintenance", false);
        GroupControl.Change resumed = control.resume("web", "done", false);

        assertEquals(Outcome.RECORDED, paused.outcome());
        assertTrue(paused.after().paused());
        assertEquals(Outcome.RECORDED, resumed.outcome());
        assertTrue(resumed.before().paused(), "resume read the state the pause wrote");
        assertFalse(resumed.after().paused());
        assertFalse(control.state("web").paused());
        assertEquals(List.of(HistoryKind.RESUMED, HistoryKind.PAUSED), history());
        assertEquals(List.of("maintenance", "done"), world.announced.stream().map(HistoryEvent::reason).toList());
        assertTrue(control.lease("web").orElseThrow().owner().isEmpty(), "the lease is released");
    }

    @Test
    void aDryRun_answersWhatWouldChange_andWritesNothing() {
        GroupControl.Change dry = control.pause("web", "maintenance", true);

        assertEquals(Outcome.DRY_RUN, dry.outcome());
        assertTrue(dry.after().paused());
        assertFalse(control.state("web").paused());
        assertEquals(List.of(), history());
        assertTrue(control.lease("web").isEmpty(), "a dry run takes no lease");
    }

    @Test
    void aHeldLease_isBusyForPauseResumeAndConfigurationRecords_andNothingIsWritten() {
        world.leases().acquire("web", "fn-flipping", world.clock.instant(), Duration.ofSeconds(10)).orElseThrow();

        assertEquals(Outcome.LEASE_BUSY, control.pause("web", "maintenance", false).outcome());
        assertEquals(Outcome.LEASE_BUSY, control.resume("web", "done", false).outcome());
        assertEquals(Outcome.LEASE_BUSY, control.recordConfiguration("web", HistoryKind.GROUP_CHANGED,
                "ssm:/vipflip/groups/web:2", "probe changed").outcome());
        assertFalse(control.state("web").paused());
        assertEquals(List.of(), history());
        assertEquals(List.of(), world.announced);
    }

    @Test
    void tooLittleTimeLeft_isNoTime_andNothingIsWritten() {
        Instant soon = world.clock.instant().plusMillis(500);

        assertEquals(Outcome.NO_TIME, control.pause("web", "maintenance", false, soon).outcome());
        assertEquals(Outcome.NO_TIME, control.recordConfiguration("web", HistoryKind.GROUP_ADDED,
                "ssm:/vipflip/groups/web:1", "added", soon).outcome());
        assertEquals(List.of(), history());
        assertTrue(control.lease("web").isEmpty(), "no lease was taken");
    }

    @Test
    void aConfigurationWrite_isRecordedOnce_thoughTwoLoopsSawIt() {
        GroupControl.Change first = control.recordConfiguration("web", HistoryKind.GROUP_CHANGED,
                "ssm:/vipflip/groups/web:2", "probe changed");
        GroupControl.Change again = control.recordConfiguration("web", HistoryKind.GROUP_CHANGED,
                "ssm:/vipflip/groups/web:2", "probe changed");
        GroupControl.Change next = control.recordConfiguration("web", HistoryKind.GROUP_CHANGED,
                "ssm:/vipflip/groups/web:3", "rise changed");

        assertEquals(Outcome.RECORDED, first.outcome());
        assertEquals(Outcome.NO_CHANGE, again.outcome());
        assertEquals(Outcome.RECORDED, next.outcome());
        assertEquals(List.of("ssm:/vipflip/groups/web:3", "ssm:/vipflip/groups/web:2"),
                world.history().stream().map(HistoryEvent::trigger).toList());
    }

    @Test
    void anUnknownGroup_isRefusedByName() {
        UnknownGroupException refused = assertThrows(UnknownGroupException.class,
                () -> control.pause("nope", "maintenance", false));

        assertEquals("group: unknown group 'nope'", refused.getMessage());
    }

    /** The real lease store, with {@code meanwhile} run once a lease is granted, before its holder hears of it. */
    private LeaseStore grantedThen(Runnable meanwhile) {
        LeaseStore real = world.leases();
        return new LeaseStore() {
            @Override
            public Optional<Lease> acquire(String group, String owner, Instant now, Duration duration) {
                Optional<Lease> granted = real.acquire(group, owner, now, duration);
                meanwhile.run();
                return granted;
            }

            @Override
            public boolean stillHeld(Lease lease, Instant now) {
                return real.stillHeld(lease, now);
            }

            @Override
            public boolean release(Lease lease) {
                return real.release(lease);
            }

            @Override
            public Optional<LeaseRecord> read(String group) {
                return real.read(group);
            }
        };
    }

    private GroupControl controlWith(LeaseStore leases) {
        return new GroupControl(config(1, 1, "web"), leases, world.states(), world.clock, "fn-1", world.notifier);
    }

    @Test
    void aLeaseGrantedTooLateToReadUnderIt_isNoTime_forPauseAndConfigurationRecords_andNothingIsWritten() {
        // The acquire's answer arrives (the SDK's retries) when less than one call fits before the lease's record
        // deadline; its expiry was computed from the clock before the call.
        var timing = config(1, 1, "web").timing();
        Duration late = timing.lease().minus(timing.skewMargin()).minus(CallBound.MIN_CALL).plusMillis(1);
        GroupControl slow = controlWith(grantedThen(() -> world.clock.advance(late)));

        GroupControl.Change paused = slow.pause("web", "maintenance", false);
        GroupControl.Change recorded = slow.recordConfiguration("web", HistoryKind.GROUP_CHANGED,
                "ssm:/vipflip/groups/web:2", "probe changed");

        assertEquals(Outcome.NO_TIME, paused.outcome(), paused.toString());
        assertEquals(Outcome.NO_TIME, recorded.outcome(), recorded.toString());
        assertTrue(paused.token() > 0, "the lease was taken, then given back");
        assertFalse(control.state("web").paused());
        assertEquals(List.of(), history());
        assertEquals(List.of(), world.announced);
        assertTrue(control.lease("web").orElseThrow().owner().isEmpty(), "released");
    }

    @Test
    void aLeaseGrantedWithExactlyOneCallLeft_isEnoughForAPause() {
        var timing = config(1, 1, "web").timing();
        Duration late = timing.lease().minus(timing.skewMargin()).minus(CallBound.MIN_CALL);
        GroupControl slow = controlWith(grantedThen(() -> world.clock.advance(late)));

        GroupControl.Change paused = slow.pause("web", "maintenance", false);

        assertEquals(Outcome.RECORDED, paused.outcome(), paused.toString());
        assertTrue(control.state("web").paused());
    }

    @Test
    void aPauseOrConfigurationRecordWhoseLeaseIsTakenOver_isLeaseLost_andNothingIsWritten() {
        // Right after our acquire, a run whose clock is more than a lease ahead (skew beyond the tolerated margin,
        // or an operator overwriting the lease) takes it over: the fencing of our record is what is checked.
        GroupControl overtaken = controlWith(grantedThen(() -> world.leases()
                .acquire("web", "fn-other", world.clock.instant().plusSeconds(11), Duration.ofSeconds(10))
                .orElseThrow()));

        GroupControl.Change recorded = overtaken.recordConfiguration("web", HistoryKind.GROUP_CHANGED,
                "ssm:/vipflip/groups/web:2", "probe changed");
        world.clock.advance(Duration.ofSeconds(22)); // past the other run's lease
        GroupControl.Change paused = overtaken.pause("web", "maintenance", false);

        assertEquals(Outcome.LEASE_LOST, recorded.outcome(), recorded.toString());
        assertEquals(Outcome.LEASE_LOST, paused.outcome(), paused.toString());
        assertFalse(control.state("web").paused());
        assertEquals(List.of(), history());
        assertEquals(List.of(), world.announced);
        assertEquals("fn-other", control.lease("web").orElseThrow().owner().orElseThrow(), "its lease is left alone");
    }
}
