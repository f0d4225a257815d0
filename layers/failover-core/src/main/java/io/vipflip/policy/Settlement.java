package io.vipflip.policy;

import java.util.Optional;

/**
 * What a leased run leaves behind ({@link FailoverPolicy#settle}).
 *
 * @param next    the group's next state
 * @param history the kind of the history entry to record; empty when the run changed nothing worth one
 * @param announce whether people are told (a history entry that repeats a known state is recorded quietly)
 * @param note    what changed in the repair back-off, to append to the entry's reason; empty when nothing did
 */
public record Settlement(GroupState next, Optional<HistoryKind> history, boolean announce, String note) {
}
