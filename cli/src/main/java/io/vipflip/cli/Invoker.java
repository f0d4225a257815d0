package io.vipflip.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** Sends a manual request (the manual function's JSON) and returns its answer. */
interface Invoker {
    JsonNode invoke(JsonNode request);

    /** The function refused or failed: its error type and message, as Lambda reports them. */
    final class FunctionError extends RuntimeException {
        final String type;

        FunctionError(String type, String message) {
            super(message);
            this.type = type;
        }
    }
}
