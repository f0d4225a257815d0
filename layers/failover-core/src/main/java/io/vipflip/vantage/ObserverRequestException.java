package io.vipflip.vantage;

/** A request an observer will not run, naming the field and the rule. */
public final class ObserverRequestException extends IllegalArgumentException {
    private final String field;

    public ObserverRequestException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
