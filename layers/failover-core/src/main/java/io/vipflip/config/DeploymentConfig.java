package io.vipflip.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A whole deployment: the HA groups vipflip keeps routed, and the settings they share.
 *
 * @param groups        independent HA groups, each with its own lease, state and history
 * @param lease         how long a lease is held; shorter than the function timeout, longer than the worst flip
 * @param historyTtl    how long history events are kept before DynamoDB expires them
 * @param driftCheck    how often a watch loop reads every group's route tables (one call for all) to find drift
 *                      that no health change announced; routes are also read on every health change and under
 *                      the lease before acting
 * @param timing        the validated timing budget (lease, skew margin, write bound, function timeouts)
 */
public record DeploymentConfig(List<GroupConfig> groups, Duration lease, Duration historyTtl, Duration driftCheck,
                               TimingBudget timing) {
    public static final int DEFAULT_DRIFT_CHECK_SECONDS = 30;

    public DeploymentConfig {
        groups = List.copyOf(groups);
    }

    public DeploymentConfig(List<GroupConfig> groups, Duration lease, Duration historyTtl) {
        this(groups, lease, historyTtl, Duration.ofSeconds(DEFAULT_DRIFT_CHECK_SECONDS), TimingBudget.defaults(lease));
    }

    public Optional<GroupConfig> group(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst();
    }
}
