package io.vipflip.functions;

import io.vipflip.local.harness.LocalWorld;
import io.vipflip.orchestrator.WatchLoop;
import io.vipflip.runtime.Engine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Time the test drives: the watch loop's and the burst's waits move this clock instead of sleeping, so how many
 * rounds an invocation's budget holds depends on the loop's rules, not on how loaded the machine is. The probes,
 * EC2 and DynamoDB calls stay real.
 */
final class VirtualTime extends Clock implements WatchLoop.Sleeper {
    private final Instant start = Instant.now();
    private volatile Instant now = start;

    @Override
    public void sleep(Duration duration) {
        now = now.plus(duration);
    }

    /** Virtual time passed since the start. */
    Duration elapsed() {
        return Duration.between(start, now);
    }

    /** vipflip wired to the world as {@link LocalWorld#engine} does, its watch loop waiting on this clock. */
    Engine engine(LocalWorld world) {
        Engine engine = world.engine(this);
        return new Engine(engine.orchestrator(), engine.control(), new WatchLoop(engine.orchestrator(), this, this),
                engine.ec2(), engine.updates(), engine.events().withClock(this), engine.document());
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("virtual time is UTC only");
    }
}
