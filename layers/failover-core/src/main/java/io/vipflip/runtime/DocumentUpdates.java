package io.vipflip.runtime;

import io.vipflip.config.ConfigException;
import io.vipflip.config.ConfigParser;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.orchestrator.GroupControl;
import io.vipflip.orchestrator.Orchestrator;
import io.vipflip.orchestrator.WatchLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the whole configuration document ({@code VIPFLIP_CONFIG_PARAMETER}) every {@code interval}, as the
 * per-group parameters are, and at once after a SnapStart restore: the document read during init is frozen in the
 * snapshot, which may be restored days later (issue 11). A document that cannot be read or does not validate is
 * logged naming the field and changes nothing: the running groups keep running.
 */
public final class DocumentUpdates implements WatchLoop.Updates, Resource {
    private static final Logger LOG = LoggerFactory.getLogger(DocumentUpdates.class);
    private final Supplier<String> read;
    private final Orchestrator orchestrator;
    private final GroupControl control;
    private final Clock clock;
    private final Duration interval;
    private String running;
    private Instant nextCheck;

    public DocumentUpdates(Supplier<String> read, String loaded, Orchestrator orchestrator, GroupControl control,
                           Clock clock, Duration interval) {
        this.read = read;
        this.running = loaded;
        this.orchestrator = orchestrator;
        this.control = control;
        this.clock = clock;
        this.interval = interval;
        this.nextCheck = clock.instant().plus(interval);
    }

    /** Registers with the global CRaC context (Lambda runs its hooks under SnapStart); the engine keeps it referenced. */
    public DocumentUpdates registeredForRestore() {
        Core.getGlobalContext().register(this);
        return this;
    }

    /** Reads the document if a check is due and applies it when it changed and validates; true when applied. */
    @Override
    public synchronized boolean applyIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextCheck)) {
            return false;
        }
        nextCheck = now.plus(interval);
        String text;
        DeploymentConfig next;
        try {
            text = read.get();
            if (text.equals(running)) {
                return false;
            }
            next = new ConfigParser().parse(text);
        } catch (ConfigException invalid) {
            LOG.error("configuration: the new document is refused, the running groups keep running: {}",
                    invalid.getMessage());
            return false;
        } catch (RuntimeException unreadable) {
            LOG.error("configuration: cannot read the document ({}); the running groups keep running",
                    unreadable.toString());
            return false;
        }
        orchestrator.apply(next);
        control.apply(next);
        running = text;
        LOG.info("configuration: document changed, {} groups now", next.groups().size());
        return true;
    }

    @Override
    public synchronized Instant nextDue() {
        return nextCheck;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        // Nothing to release.
    }

    /** A restored snapshot's document is as old as the snapshot: read it again before the next run. */
    @Override
    public synchronized void afterRestore(Context<? extends Resource> context) {
        nextCheck = clock.instant();
    }
}
