package io.vipflip.lease;

import java.util.UUID;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Who takes leases from this execution environment. Under SnapStart many environments are restored from one
 * snapshot of the initialised function, so an identity made during init would be shared by all of them; Lambda
 * calls {@link #afterRestore} in each restored environment, which draws a new one (docs/decisions.md 24).
 */
public final class LeaseOwner implements Resource, Supplier<String> {
    private final String prefix;
    private final boolean fixed;
    private volatile String current;

    private LeaseOwner(String prefix, boolean fixed, String current) {
        this.prefix = prefix;
        this.fixed = fixed;
        this.current = current;
    }

    /** An identity unique to this environment: {@code prefix:random}, drawn again after every restore. */
    public static LeaseOwner perEnvironment(String prefix) {
        return new LeaseOwner(prefix, false, prefix + ":" + UUID.randomUUID());
    }

    /** A constant identity (tests and the local world, where nothing is snapshotted). */
    public static LeaseOwner fixed(String owner) {
        return new LeaseOwner(owner, true, owner);
    }

    /**
     * Registers with the global CRaC context, whose Lambda implementation runs the hooks of a SnapStart function.
     * The context may hold resources weakly: the caller keeps this owner referenced (the engine does).
     */
    public LeaseOwner registeredForRestore() {
        Core.getGlobalContext().register(this);
        return this;
    }

    @Override
    public String get() {
        return current;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        // Nothing to release: no lease is held between invocations, and the snapshot is taken during init.
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        if (!fixed) {
            current = prefix + ":" + UUID.randomUUID();
        }
    }

    @Override
    public String toString() {
        return current;
    }
}
