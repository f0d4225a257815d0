package io.vipflip.policy;

/**
 * A manual failover's constraint: automation keeps the group on {@code node} (no failback) until an operator's
 * failback clears it, but still moves away from it when it fails. It has no expiry: an operator ends it.
 */
public record Pin(String node, String reason) {
}
