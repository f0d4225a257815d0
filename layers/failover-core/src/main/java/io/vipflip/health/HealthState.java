package io.vipflip.health;

/** A node's health as vipflip believes it. UNKNOWN until enough rounds have been seen to say UP or DOWN. */
public enum HealthState {
    UP, DOWN, UNKNOWN
}
