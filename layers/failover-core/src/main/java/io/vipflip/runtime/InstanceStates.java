package io.vipflip.runtime;

import java.util.Optional;

/** What EC2 says an instance's state is now (an event says what it was). */
public interface InstanceStates {
    /**
     * The instance's state name now ({@code running}, {@code stopped}, …); empty when EC2 no longer knows the
     * instance (terminated a while ago). Throws when EC2 cannot answer.
     */
    Optional<String> current(String instanceId);
}
