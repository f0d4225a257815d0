package io.vipflip.orchestrator;

/** A request named a group the configuration does not have. */
public final class UnknownGroupException extends IllegalArgumentException {
    public UnknownGroupException(String group) {
        super("group: unknown group '" + group + "'");
    }
}
