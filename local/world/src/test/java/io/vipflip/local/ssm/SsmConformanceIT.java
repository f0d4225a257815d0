package io.vipflip.local.ssm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vipflip.local.ssm.SsmDriver.Param;
import io.vipflip.local.ssm.SsmDriver.SsmFailure;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The local Parameter Store through two independent clients, the AWS SDK v2 and the AWS CLI: what they send and
 * parse (JSON 1.1, X-Amz-Target, pagination, error shapes) is what real SSM's clients send and parse. With
 * VIPFLIP_CI=true a missing CLI fails the suite instead of skipping it.
 */
class SsmConformanceIT {
    private SsmEndpoint endpoint;

    @BeforeEach
    void start() {
        endpoint = SsmEndpoint.start("eu-west-1", "123456789012");
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private SsmDriver driver(String name) {
        if (name.equals("sdk")) {
            return new SdkSsmDriver(endpoint.endpoint());
        }
        Optional<String> aws = io.vipflip.local.cli.AwsCli.find();
        if (aws.isEmpty() && "true".equals(System.getenv("VIPFLIP_CI"))) {
            throw new AssertionError("the AWS CLI is required in CI (apt-get install awscli)");
        }
        assumeTrue(aws.isPresent(), "the AWS CLI is not installed");
        return new CliSsmDriver(aws.get(), endpoint.endpoint());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdk", "cli"})
    void putCreatesVersion1_refusesToOverwriteUnlessAsked_andCountsVersions(String client) {
        SsmDriver ssm = driver(client);

        assertEquals(1, ssm.put("/vipflip/t/groups/web", "{\"a\":1}", "String", false));
        SsmFailure exists = assertThrows(SsmFailure.class, () -> ssm.put("/vipflip/t/groups/web", "{\"a\":2}", "String", false));
        assertEquals("ParameterAlreadyExists", exists.code);
        assertEquals(2, ssm.put("/vipflip/t/groups/web", "{\"a\":3}", null, true), "overwrite keeps the type");

        assertEquals(new Param("/vipflip/t/groups/web", "{\"a\":3}", 2), ssm.get("/vipflip/t/groups/web"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdk", "cli"})
    void byPath_pagesTenAtMost_recursiveOrOneLevel(String client) {
        SsmDriver ssm = driver(client);
        for (int i = 0; i < 23; i++) {
            endpoint.store().put(String.format("/vipflip/t/groups/g%02d", i), "{}", Optional.of("String"), false, Optional.empty());
        }
        endpoint.store().put("/vipflip/t/settings", "{}", Optional.of("String"), false, Optional.empty());
        endpoint.store().put("/vipflip/other/groups/x", "{}", Optional.of("String"), false, Optional.empty());
        endpoint.clearCalls();

        List<Param> all = ssm.byPath("/vipflip/t", true, 10);

        assertEquals(24, all.size());
        assertEquals(24, all.stream().map(Param::name).distinct().count());
        assertEquals(3, endpoint.count("GetParametersByPath"), "24 parameters in pages of 10");
        assertEquals(List.of("/vipflip/t/settings"), ssm.byPath("/vipflip/t", false, 10).stream().map(Param::name).toList(),
                "without Recursive, one level below the path only");
        assertEquals("ValidationException", assertThrows(SsmFailure.class, () -> ssm.byPath("/vipflip/t", true, 11)).code,
                "MaxResults is at most 10");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdk", "cli"})
    void shortAndEmptyPages_stillYieldEveryParameterToAClientThatFollowsNextToken(String client) {
        SsmDriver ssm = driver(client);
        for (int i = 0; i < 17; i++) {
            endpoint.store().put("/vipflip/t/groups/g" + i, "{}", Optional.of("String"), false, Optional.empty());
        }
        endpoint.shortPages(true);
        endpoint.clearCalls();

        assertEquals(17, ssm.byPath("/vipflip/t/groups", false, 10).size());
        assertTrue(endpoint.count("GetParametersByPath") > 2, "more pages than 17/10 rounds up to");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdk", "cli"})
    void answersErrorsWithSsmsCodes(String client) {
        SsmDriver ssm = driver(client);

        assertEquals("ParameterNotFound", assertThrows(SsmFailure.class, () -> ssm.get("/vipflip/t/nope")).code);
        assertEquals("ParameterNotFound", assertThrows(SsmFailure.class, () -> ssm.delete("/vipflip/t/nope")).code);
        SsmFailure tooLong = assertThrows(SsmFailure.class, () -> ssm.put("/vipflip/t/big", "x".repeat(4097), "String", false));
        assertEquals("ValidationException", tooLong.code);
        assertTrue(tooLong.getMessage().contains("maximum parameter value of 4096 characters"), tooLong.getMessage());
        assertEquals(1, ssm.put("/vipflip/t/big", "x".repeat(4096), "String", false), "4,096 characters fit");
        assertEquals("ValidationException", assertThrows(SsmFailure.class, () -> ssm.put("/vipflip/t/untyped", "v", null, false)).code,
                "a new parameter needs a type");
        assertEquals("ValidationException", assertThrows(SsmFailure.class, () -> ssm.put("/aws/reserved", "v", "String", false)).code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdk", "cli"})
    void deleteRemoves_andARecreatedParameterStartsAgainAtVersion1(String client) {
        SsmDriver ssm = driver(client);
        ssm.put("/vipflip/t/groups/web", "one", "String", false);
        ssm.put("/vipflip/t/groups/web", "two", "String", true);

        ssm.delete("/vipflip/t/groups/web");

        assertEquals("ParameterNotFound", assertThrows(SsmFailure.class, () -> ssm.get("/vipflip/t/groups/web")).code);
        assertEquals(1, ssm.put("/vipflip/t/groups/web", "three", "String", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdk"})
    void throttlingIsRetriedByTheSdk(String client) {
        SsmDriver ssm = driver(client);
        endpoint.store().put("/vipflip/t/x", "v", Optional.of("String"), false, Optional.empty());
        endpoint.throttleNext(2);

        assertEquals("v", ssm.get("/vipflip/t/x").value());
        assertEquals(3, endpoint.count("GetParameter"), "two throttled attempts, then the answer");
    }
}
