package io.vipflip.runtime;

import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * DescribeInstances by instance id. EC2 answers {@code InvalidInstanceID.NotFound} for an id it does not know,
 * which for a node that was configured means it was terminated and has aged out of the API.
 */
public final class Ec2InstanceStates implements InstanceStates {
    static final String NOT_FOUND = "InvalidInstanceID.NotFound";
    /**
     * The whole call, retries included. The answer is on an incident's path, and EC2 documents that DescribeInstances
     * can fail while the instance's AZ is disrupted — exactly then; past this bound the probes decide instead.
     */
    static final java.time.Duration CALL_BOUND = java.time.Duration.ofSeconds(1);
    private final Ec2Client ec2;

    public Ec2InstanceStates(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    @Override
    public Optional<String> current(String instanceId) {
        try {
            return ec2.describeInstances(b -> b.instanceIds(instanceId)
                            .overrideConfiguration(o -> o.apiCallTimeout(CALL_BOUND))).reservations().stream()
                    .flatMap(r -> r.instances().stream())
                    .filter(i -> instanceId.equals(i.instanceId()))
                    .map(i -> i.state().nameAsString())
                    .findFirst();
        } catch (Ec2Exception e) {
            if (e.awsErrorDetails() != null && NOT_FOUND.equals(e.awsErrorDetails().errorCode())) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
