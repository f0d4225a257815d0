package io.vipflip.history;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;

/** Publishes notifications to the stack's SNS topic. A failure is logged, never thrown: the flip already happened. */
public final class SnsNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(SnsNotifier.class);
    private final SnsClient sns;
    private final String topicArn;

    public SnsNotifier(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public void publish(HistoryEvent event) {
        Notification notification = Notification.of(event);
        try {
            sns.publish(b -> b.topicArn(topicArn).subject(notification.subject()).message(notification.body()));
        } catch (SdkException e) {
            LOG.warn("could not publish the notification for group {} token {}: {}", event.group(), event.token(),
                    e.toString());
        }
    }
}
