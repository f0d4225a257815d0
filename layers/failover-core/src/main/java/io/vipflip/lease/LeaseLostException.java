package io.vipflip.lease;

/** A write under a lease was refused because the lease is no longer the caller's (expired and taken over). */
public final class LeaseLostException extends RuntimeException {
    public LeaseLostException(Lease lease, String what) {
        super("lease on group " + lease.group() + " with token " + lease.token() + " is no longer held by "
                + lease.owner() + "; refused to " + what);
    }
}
