package io.vipflip.vantage;

import java.util.List;

/**
 * What the observers answered within the deadline.
 *
 * @param observers how many observers were asked (every configured one): the quorum is counted against it
 * @param answers   the views of those that answered in time, each a vote
 * @param silent    why each of the others has no vote ("observer-b: throttled"): never counted as DOWN
 */
public record VantageVotes(int observers, List<VantageView> answers, List<String> silent) {
    public VantageVotes {
        answers = List.copyOf(answers);
        silent = List.copyOf(silent);
    }

    /** No observer asked: a group whose run did not want to flip away from its active node. */
    public static VantageVotes notAsked(int observers) {
        return new VantageVotes(observers, List.of(), List.of("not asked: the run did not want to flip"));
    }
}
