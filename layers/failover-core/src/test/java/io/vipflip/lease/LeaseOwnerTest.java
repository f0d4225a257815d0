package io.vipflip.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The lease owner is unique per execution environment after a SnapStart restore (issue 11, decision 24). */
class LeaseOwnerTest {

    @Test
    void afterRestore_drawsANewIdentity_underTheSamePrefix() {
        LeaseOwner owner = LeaseOwner.perEnvironment("vipflip-HealthCheck");
        String snapshotted = owner.get();

        owner.afterRestore(null);

        assertNotEquals(snapshotted, owner.get(), "two environments restored from one snapshot must differ");
        assertTrue(owner.get().startsWith("vipflip-HealthCheck:"), owner.get());
    }

    @Test
    void twoRestoresOfOneSnapshot_getDifferentIdentities() {
        LeaseOwner first = LeaseOwner.perEnvironment("fn");
        LeaseOwner twin = LeaseOwner.perEnvironment("fn");
        // A restored twin starts from the same snapshotted value; emulate that by restoring both.
        first.afterRestore(null);
        twin.afterRestore(null);

        assertNotEquals(first.get(), twin.get());
    }

    @Test
    void aFixedOwner_isKeptAcrossRestores() {
        LeaseOwner fixed = LeaseOwner.fixed("local");
        fixed.afterRestore(null);

        assertEquals("local", fixed.get());
    }

    @Test
    void registeringWithTheGlobalCracContext_keepsTheIdentity() {
        LeaseOwner owner = LeaseOwner.perEnvironment("fn");
        String before = owner.get();

        assertEquals(before, owner.registeredForRestore().get());
        assertEquals(before, owner.toString(), "logged as its identity");
    }
}
