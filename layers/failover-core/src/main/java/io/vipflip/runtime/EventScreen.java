package io.vipflip.runtime;

import io.vipflip.policy.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Lets an automation event act only while it says something about now (issue 11; docs/decisions.md, "Late,
 * replayed and outdated events"). Lambda keeps an asynchronous event queued for up to six hours and may deliver
 * one event twice; CloudWatch and EventBridge retry their deliveries for longer. So an event older than {@code maxAge} is dropped (the watch loop
 * has judged the node since), a second delivery of one event is dropped, and an instance's stop is authoritative
 * only once DescribeInstances confirms the instance is still stopping or gone.
 */
public final class EventScreen {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EventScreen.class);
    public static final String MAX_AGE_VARIABLE = "VIPFLIP_MAX_EVENT_AGE_SECONDS";
    /** template.yaml: the alarm function's EventInvokeConfig MaximumEventAgeInSeconds. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(120);
    /** A timestamp further ahead of our clock than any plausible skew is a bad event, not a fresh one. */
    static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);

    public enum Verdict {
        /** Run the targets. */
        ACT,
        /** Older than the bound: it says nothing about now. */
        STALE,
        /** This event was delivered before and taken on. */
        DUPLICATE
    }

    /** The targets to run (empty unless ACT) and why. */
    public record Screened(Verdict verdict, List<AutomationEvent.Target> targets, String why) {
    }

    private final Clock clock;
    private final Duration maxAge;
    private final DeliveryLedger ledger;
    private final InstanceStates instances;

    public EventScreen(Clock clock, Duration maxAge, DeliveryLedger ledger, InstanceStates instances) {
        this.clock = clock;
        this.maxAge = maxAge;
        this.ledger = ledger;
        this.instances = instances;
    }

    public EventScreen withMaxAge(Duration maxAge) {
        return new EventScreen(clock, maxAge, ledger, instances);
    }

    public EventScreen withClock(Clock clock) {
        return new EventScreen(clock, maxAge, ledger, instances);
    }

    public Duration maxAge() {
        return maxAge;
    }

    /**
     * Screens an event whose {@code targets} are not empty. Reads the instance's state and claims the delivery
     * (one conditional write) only when the event is fresh; a bad timestamp is refused naming its field.
     */
    public Screened screen(AutomationEvent event, List<AutomationEvent.Target> targets) {
        Screened screened = judge(event, targets);
        if (screened.verdict() != Verdict.ACT) {
            LOG.info("event {} dropped ({}): {}", shown(event.deliveryKey()), screened.verdict(), screened.why());
        }
        return screened;
    }

    private Screened judge(AutomationEvent event, List<AutomationEvent.Target> targets) {
        Instant now = clock.instant();
        if (event.occurredAt().isAfter(now.plus(FUTURE_TOLERANCE))) {
            throw new InvalidRequestException(event.timeField(), event.occurredAt() + " is more than "
                    + FUTURE_TOLERANCE.toMinutes() + " minutes ahead of this function's clock (" + now + ")");
        }
        Duration age = Duration.between(event.occurredAt(), now);
        if (age.compareTo(maxAge) > 0) {
            return new Screened(Verdict.STALE, List.of(), "the event is " + age.toSeconds() + " s old, more than "
                    + MAX_AGE_VARIABLE + " (" + maxAge.toSeconds() + " s): the watch loop has judged the node since");
        }
        List<AutomationEvent.Target> confirmed = targets;
        if (event instanceof AutomationEvent.InstanceStateChange change) {
            confirmed = confirmStopped(change, targets);
        }
        // Remembered as long as a replay could still pass the age check.
        if (!ledger.claim(event.deliveryKey(), event.occurredAt().plus(maxAge).plus(FUTURE_TOLERANCE))) {
            return new Screened(Verdict.DUPLICATE, List.of(), "this event (" + shown(event.deliveryKey())
                    + ") was delivered before and has been handled");
        }
        return new Screened(Verdict.ACT, confirmed, "fresh (" + age.toMillis() + " ms old)");
    }

    /** Forgets the delivery after its handling failed, so that a retry of it is not taken for a duplicate. */
    public void release(AutomationEvent event) {
        ledger.release(event.deliveryKey());
    }

    /**
     * The targets as EC2 says they are now: authoritative with the current state when it is stopping or gone;
     * probe-confirmed (an alarm's rule) when EC2 reads another state or cannot answer. DescribeInstances is
     * eventually consistent, so a fresh genuine stop may still read "running": neither trusted nor ignored, the
     * probes decide (a stop replayed after the instance came back costs one confirmation burst that finds it up).
     */
    private List<AutomationEvent.Target> confirmStopped(AutomationEvent.InstanceStateChange change,
                                                        List<AutomationEvent.Target> targets) {
        Optional<String> state;
        try {
            state = instances.current(change.instanceId());
        } catch (SdkException unanswered) {
            return probeConfirmed(change, targets, "state unconfirmed: " + unanswered.getClass().getSimpleName());
        }
        String now = state.orElse("terminated");
        if (!AutomationEvent.STOPPING_STATES.contains(now)) {
            return probeConfirmed(change, targets, "EC2 still reads " + now);
        }
        return targets.stream().map(t -> new AutomationEvent.Target(t.group(),
                new Trigger.InstanceStopped(change.instanceId(), node(t.trigger()), now), true)).toList();
    }

    private static List<AutomationEvent.Target> probeConfirmed(AutomationEvent.InstanceStateChange change,
                                                               List<AutomationEvent.Target> targets, String why) {
        return targets.stream().map(t -> new AutomationEvent.Target(t.group(),
                new Trigger.Alarm("instance " + change.instanceId() + " " + change.state() + " (" + why + ")",
                        node(t.trigger())), false)).toList();
    }

    /** A key as logs and answers show it: printable, at most 160 characters (it comes from the event). */
    private static String shown(String key) {
        String printable = key.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 160 ? printable : printable.substring(0, 160) + "…";
    }

    private static String node(Trigger trigger) {
        if (trigger instanceof Trigger.InstanceStopped stopped) {
            return stopped.node();
        }
        throw new IllegalStateException("an instance event maps to InstanceStopped triggers, got " + trigger);
    }

    /** {@value #MAX_AGE_VARIABLE}: 30 s to 6 h (Lambda's longest event age), default {@link #DEFAULT_MAX_AGE}. */
    public static Duration maxAgeFromEnvironment(Map<String, String> env) {
        String text = env.get(MAX_AGE_VARIABLE);
        if (text == null || text.isBlank()) {
            return DEFAULT_MAX_AGE;
        }
        try {
            long seconds = Long.parseLong(text.trim());
            if (seconds >= 30 && seconds <= 21_600) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException(MAX_AGE_VARIABLE + ": must be a whole number of seconds from 30 to 21600"
                + " (got '" + text + "')");
    }
}
