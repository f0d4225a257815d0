package io.vipflip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The CLI's exit code is read from the answer's outcome as the core's {@code Outcome}, not by comparing strings. */
class ExitCodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static int exit(String outcome) {
        return VipflipCli.exitCode(JSON.createObjectNode().put("outcome", outcome));
    }

    @Test
    void whatIsNotDone_exits3_whatIsDoneOrNeededNothing_exits0() {
        assertEquals(3, exit("REFUSED"));
        assertEquals(3, exit("PARTIAL"));
        assertEquals(3, exit("LEASE_BUSY"));
        assertEquals(3, exit("NO_TIME"));
        assertEquals(0, exit("FLIPPED"));
        assertEquals(0, exit("NO_CHANGE"));
        assertEquals(0, exit("RECORDED"));
    }

    @Test
    void anOutcomeThisVersionDoesNotKnow_exits3_andAStatusAnswerWithoutOne_exits0() {
        assertEquals(3, exit("SOMETHING_NEWER"));
        assertEquals(0, VipflipCli.exitCode(JSON.createObjectNode().put("action", "status")));
    }
}
