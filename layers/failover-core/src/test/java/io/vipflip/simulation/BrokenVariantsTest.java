package io.vipflip.simulation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.simulation.Simulation.Invariant;
import io.vipflip.simulation.Simulation.Scenario;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulation's invariants can fail: each deliberately broken variant of the code ({@link Broken}) is caught by
 * its invariant, and clocks skewed beyond the documented margin show the documented failure. These test the test,
 * so they are not PIT judges and always run their full budget.
 */
class BrokenVariantsTest {
    private static final int STEPS = 25_000;

    /**
     * The documented bound: writes stop skew margin + settle time before the lease expires on the holder's clock,
     * so two clocks further apart than the margin let a holder's write land (or be sent) after another process
     * could take the lease. Clocks off by up to 3 s either way (6 s apart) with the 2 s margin must show it.
     */
    @Test
    void clocksSkewedBeyondTheMargin_letAWriteLandOutsideItsLease() {
        // A few seeds: whether a run meets the race depends on the schedule; one of them must show it.
        Simulation.Report report = null;
        for (long seed = 5; seed < 10; seed++) {
            report = new Simulation(seed, Scenario.standard().withSkew(Duration.ofSeconds(3)).withSlowWrites(0.3))
                    .runUntil(STEPS, Invariant.WRITES_IN_LEASE, Invariant.SINGLE_WRITER);
            SimulationTest.print("skew beyond margin, seed " + seed, report);
            if (!report.violated().isEmpty()) {
                break;
            }
        }

        assertTrue(report.violated().contains(Invariant.WRITES_IN_LEASE) || report.violated().contains(Invariant.SINGLE_WRITER),
                "the documented failure did not show: " + report.violated());
    }

    static List<Arguments> brokenVariants() {
        return List.of(
                Arguments.of(Broken.LEASE_CONDITION_DROPPED, Scenario.standard(), Invariant.SINGLE_WRITER),
                Arguments.of(Broken.WRITE_BOUND_DROPPED, Scenario.standard().withSlowWrites(0.1), Invariant.WRITES_IN_LEASE),
                Arguments.of(Broken.CONFIRMATION_IGNORED, Scenario.standard(), Invariant.CONFIRMED_TARGET),
                Arguments.of(Broken.DOWN_SEEN_AS_UP, Scenario.standard(), Invariant.NO_WRITE_TOWARD_DOWN),
                Arguments.of(Broken.ACTIVE_FAILURE_IGNORED, Scenario.standard(), Invariant.DETECTION),
                Arguments.of(Broken.PRE_LEASE_DECISION_REUSED, Scenario.standard(), Invariant.ONE_FLIP_PER_CHANGE),
                Arguments.of(Broken.DAMPING_IGNORED, Scenario.damped(), Invariant.DAMPING),
                Arguments.of(Broken.PIN_IGNORED, Scenario.standard(), Invariant.PIN_KEPT),
                Arguments.of(Broken.REPAIR_SKIPPED, Scenario.standard(), Invariant.CONVERGENCE));
    }

    @ParameterizedTest(name = "{0} is caught by {2}")
    @MethodSource("brokenVariants")
    void eachBrokenVariantIsCaughtByItsInvariant(Broken broken, Scenario scenario, Invariant expected) {
        Simulation.Report report = new Simulation(1L, scenario.with(broken)).runUntil(STEPS, expected);
        SimulationTest.print(broken.name(), report);

        assertTrue(report.violated().contains(expected), broken + " went unnoticed by " + expected + "; violated: "
                + report.violated() + "\n" + String.join("\n", report.violations()));
    }
}
