package io.vipflip.local.ssm;

/** An error as SSM answers it over the JSON protocol: HTTP status, {@code __type} and message. */
final class SsmError extends RuntimeException {
    private final int status;
    private final String type;

    SsmError(int status, String type, String message) {
        super(message);
        this.status = status;
        this.type = type;
    }

    static SsmError client(String type, String message) {
        return new SsmError(400, type, message);
    }

    /** SSM's constraint-violation wording, e.g. for MaxResults above 10. */
    static SsmError validation(String value, String member, String constraint) {
        return client("ValidationException", "1 validation error detected: Value '" + value + "' at '" + member
                + "' failed to satisfy constraint: " + constraint);
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }
}
