package io.vipflip.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrinterTest {
    @Test
    void status_showsEveryTableInRepairBackoff_withItsNextRetryAndError() {
        ObjectNode status = new ObjectMapper().createObjectNode().put("action", "status").put("group", "web")
                .put("activeNode", "b");
        status.putArray("repairBackoff").addObject().put("table", "rtb-1").put("failures", 3)
                .put("since", "2026-11-25T10:00:00Z").put("retryAt", "2026-11-25T10:02:00Z")
                .put("error", "UnauthorizedOperation: not allowed");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        new Printer(new PrintStream(out, true, StandardCharsets.UTF_8)).answer(status);

        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("repair back-off: rtb-1 - 3 refused write(s) since 2026-11-25T10:00:00Z,"
                + " next retry 2026-11-25T10:02:00Z: UnauthorizedOperation: not allowed"), printed);
    }
}
