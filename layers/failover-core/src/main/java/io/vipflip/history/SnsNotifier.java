package io.vipflip.history;

import io.vipflip.aws.CallBound;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;

/** Publishes notifications to the stack's SNS topic. A failure is logged, never thrown: the flip already happened. */
public final class SnsNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(SnsNotifier.class);
    private final SnsClient sns;
    private final String topicArn;
    private final Clock clock;

    public SnsNotifier(SnsClient sns, String topicArn) {
        this(sns, topicArn, Clock.systemUTC());
    }

    public SnsNotifier(SnsClient sns, String topicArn, Clock clock) {
        this.sns = sns;
        this.topicArn = topicArn;
        this.clock = clock;
    }

    @Override
    public void publish(HistoryEvent event) {
        publish(event, Instant.MAX);
    }

    /** The call (every attempt) ends by {@code deadline}, or is not made when no time is left. */
    @Override
    public void publish(HistoryEvent event, Instant deadline) {
        Notification notification = Notification.of(event);
        Optional<AwsRequestOverrideConfiguration> bound = CallBound.until(deadline, clock.instant());
        if (bound.isEmpty()) {
            LOG.warn("no time left to publish the notification for group {} token {}: it is in the history",
                    event.group(), event.token());
            return;
        }
        try {
            sns.publish(b -> b.topicArn(topicArn).subject(notification.subject()).message(notification.body())
                    .overrideConfiguration(bound.get()));
        } catch (SdkException e) {
            LOG.warn("could not publish the notification for group {} token {}: {}", event.group(), event.token(),
                    e.toString());
        }
    }
}
