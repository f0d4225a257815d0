package io.vipflip.runtime;

/**
 * A request or event vipflip refuses, naming the field and the rule. Thrown before anything is read or changed,
 * so a refused request changes nothing. Lambda reports it as the invocation's error type.
 */
public final class InvalidRequestException extends IllegalArgumentException {
    private final String field;

    public InvalidRequestException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
