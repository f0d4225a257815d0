package io.vipflip.route;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * Which EC2 errors prove that a route write was not applied (the lease may then be released) and which "may have
 * landed" (the lease is kept until it expires): only a 4xx that is not throttling, on the call's only attempt.
 */
class Ec2RefusalTest {
    private static Ec2Exception error(int status, String code, Integer attempts) {
        return (Ec2Exception) Ec2Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build())
                .numAttempts(attempts).build();
    }

    @Test
    void aClientErrorOnTheOnlyAttempt_isARefusal_atBothEndsOfTheRange() {
        assertTrue(Ec2RouteTables.definiteRefusal(error(400, "InvalidParameterValue", 1)));
        assertTrue(Ec2RouteTables.definiteRefusal(error(499, "InvalidRoute.NotFound", 1)));
        assertTrue(Ec2RouteTables.definiteRefusal(error(403, "UnauthorizedOperation", null)),
                "attempts unknown: the SDK made one");
    }

    @Test
    void aServerError_aRetriedCall_orThrottling_mayHaveLanded() {
        assertFalse(Ec2RouteTables.definiteRefusal(error(399, "Unknown", 1)));
        assertFalse(Ec2RouteTables.definiteRefusal(error(500, "InternalError", 1)));
        assertFalse(Ec2RouteTables.definiteRefusal(error(503, "Unavailable", 1)));
        assertFalse(Ec2RouteTables.definiteRefusal(error(400, "InvalidParameterValue", 2)),
                "an earlier attempt (a 5xx, a timeout) may have landed whatever the last one answered");
        assertFalse(Ec2RouteTables.definiteRefusal(error(400, "RequestLimitExceeded", 1)));
    }
}
