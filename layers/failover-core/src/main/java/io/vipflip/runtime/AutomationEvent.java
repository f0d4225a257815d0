package io.vipflip.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vipflip.config.DeploymentConfig;
import io.vipflip.config.GroupConfig;
import io.vipflip.config.NodeConfig;
import io.vipflip.policy.Trigger;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The events the alarm function receives: a CloudWatch alarm's Lambda action (the shapes of
 * aws-lambda-java-events' CloudWatchMetricAlarmEvent and CloudWatchCompositeAlarmEvent) or an EventBridge
 * "EC2 Instance State-change Notification". Each maps to the (group, node) pairs it concerns.
 */
public sealed interface AutomationEvent {
    Set<String> STOPPING_STATES = Set.of("stopping", "stopped", "shutting-down", "terminated");
    /** An alarm description may name its node explicitly: {@code vipflip:<group>/<node>}. */
    Pattern DESCRIPTION_TAG = Pattern.compile("vipflip:([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)");
    /** The events' timestamps: ISO-8601 with an offset, with or without a colon in it. */
    DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder().append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter(java.util.Locale.ROOT);

    /** What the function should run: a trigger per group, empty when the event asks for nothing (OK, running). */
    List<Target> targets(DeploymentConfig config);

    /**
     * When the change happened (the EventBridge event's {@code time}; the alarm's {@code alarmData.state.timestamp}):
     * an event delivered late or replayed says nothing about now (issue 11).
     */
    Instant occurredAt();

    /**
     * What identifies one delivery of this change: the EventBridge event {@code id}; for an alarm (whose payload has
     * no id) its ARN or name and state-change timestamp. Lambda may deliver one event twice.
     */
    String deliveryKey();

    /** The field {@link #occurredAt()} came from, for errors. */
    String timeField();

    /**
     * As {@link #targets(DeploymentConfig)}, except that with {@link InstanceScope#ALL_INSTANCES} a state change of
     * an instance that is no node asks for nothing instead of being refused: a deployment whose groups come from
     * SSM subscribes to every instance's events (the template cannot list the nodes) and keeps its own.
     */
    default List<Target> targets(DeploymentConfig config, InstanceScope scope) {
        if (scope == InstanceScope.ALL_INSTANCES && this instanceof InstanceStateChange change
                && config.groups().stream().noneMatch(g -> g.nodeByInstance(change.instanceId()).isPresent())) {
            return List.of();
        }
        return targets(config);
    }

    /** Which instances' state-change events reach the function ({@code VIPFLIP_INSTANCE_EVENTS}, set by the template). */
    enum InstanceScope {
        /** The rule names the nodes: any other instance is a mistake, refused naming the field. */
        CONFIGURED_NODES,
        /** The rule forwards every instance: the others are ignored. */
        ALL_INSTANCES;

        public static InstanceScope fromEnvironment(String value) {
            if (value == null || value.isBlank() || value.equals("nodes")) {
                return CONFIGURED_NODES;
            }
            if (value.equals("all")) {
                return ALL_INSTANCES;
            }
            throw new IllegalArgumentException("VIPFLIP_INSTANCE_EVENTS: must be 'nodes' or 'all' (got '"
                    + clip(value) + "')");
        }
    }

    record Target(String group, Trigger trigger, boolean authoritative) {
    }

    record AlarmStateChange(String alarmName, String state, Optional<String> instanceId,
                            Optional<String> description, Instant occurredAt, String deliveryKey)
            implements AutomationEvent {
        public String timeField() {
            return "alarmData.state.timestamp";
        }

        public List<Target> targets(DeploymentConfig config) {
            if (!state.equals("ALARM")) {
                return List.of();
            }
            List<Target> targets = new ArrayList<>();
            for (GroupConfig group : config.groups()) {
                Optional<NodeConfig> node = instanceId.flatMap(group::nodeByInstance)
                        .or(() -> description.map(DESCRIPTION_TAG::matcher).filter(Matcher::find)
                                .filter(m -> m.group(1).equals(group.name())).flatMap(m -> group.node(m.group(2))));
                node.ifPresent(n -> targets.add(new Target(group.name(), new Trigger.Alarm(alarmName, n.name()), false)));
            }
            if (targets.isEmpty()) {
                throw new InvalidRequestException("alarmData", "alarm '" + clip(alarmName) + "' names no configured node"
                        + " (give it an InstanceId dimension or 'vipflip:<group>/<node>' in its description)");
            }
            return targets;
        }
    }

    record InstanceStateChange(String instanceId, String state, Instant occurredAt, String deliveryKey)
            implements AutomationEvent {
        public String timeField() {
            return "time";
        }

        /** The state means the instance is going or gone: no traffic can reach it. */
        public boolean stopping() {
            return STOPPING_STATES.contains(state);
        }

        public List<Target> targets(DeploymentConfig config) {
            if (!STOPPING_STATES.contains(state)) {
                return List.of();
            }
            List<Target> targets = new ArrayList<>();
            for (GroupConfig group : config.groups()) {
                group.nodeByInstance(instanceId).ifPresent(n -> targets.add(new Target(group.name(),
                        new Trigger.InstanceStopped(instanceId, n.name(), state), true)));
            }
            if (targets.isEmpty()) {
                throw new InvalidRequestException("detail.instance-id", "instance " + clip(instanceId)
                        + " is not a node of any group");
            }
            return targets;
        }
    }

    static AutomationEvent parse(byte[] body) {
        if (body.length > ManualRequest.MAX_BYTES * 8) {
            throw new InvalidRequestException("event", "is larger than " + ManualRequest.MAX_BYTES * 8 + " bytes");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new InvalidRequestException("event", "is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("event", "must be a JSON object");
        }
        String source = root.path("source").asText("");
        if (source.equals("aws.cloudwatch")) {
            JsonNode alarm = root.path("alarmData");
            String name = required(alarm.path("alarmName"), "alarmData.alarmName");
            String state = required(alarm.path("state").path("value"), "alarmData.state.value");
            Optional<String> instance = Optional.empty();
            for (JsonNode metric : alarm.path("configuration").path("metrics")) {
                JsonNode id = metric.path("metricStat").path("metric").path("dimensions").path("InstanceId");
                if (id.isTextual()) {
                    instance = Optional.of(id.textValue());
                }
            }
            Optional<String> description = Optional.ofNullable(alarm.path("configuration").path("description").textValue());
            String stateTime = required(alarm.path("state").path("timestamp"), "alarmData.state.timestamp");
            Instant changed = instant(stateTime, "alarmData.state.timestamp");
            String arn = root.path("alarmArn").isTextual() ? root.path("alarmArn").textValue() : name;
            return new AlarmStateChange(name, state, instance, description, changed, "alarm:" + arn + "@" + changed);
        }
        if (source.equals("aws.ec2") && "EC2 Instance State-change Notification".equals(root.path("detail-type").asText())) {
            String instance = required(root.path("detail").path("instance-id"), "detail.instance-id");
            String state = required(root.path("detail").path("state"), "detail.state");
            String id = required(root.path("id"), "id");
            Instant time = instant(required(root.path("time"), "time"), "time");
            return new InstanceStateChange(instance, state, time, "event:" + id);
        }
        throw new InvalidRequestException("source", "expected a CloudWatch alarm (aws.cloudwatch) or an EC2 instance"
                + " state-change notification (aws.ec2), got '" + clip(source) + "'");
    }

    private static String required(JsonNode node, String field) {
        if (!node.isTextual() || node.textValue().isBlank()) {
            throw new InvalidRequestException(field, "is required and must be a string");
        }
        return node.textValue();
    }

    /**
     * EventBridge writes {@code 2021-11-11T21:29:54Z}; CloudWatch's alarm payload {@code 2023-08-04T12:36:15.490+0000}
     * (an offset without a colon, which ISO_OFFSET_DATE_TIME refuses).
     */
    private static Instant instant(String text, String field) {
        try {
            return TIMESTAMP.parse(text, OffsetDateTime::from).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(field, "must be a timestamp like 2026-11-25T10:00:00Z or"
                    + " 2026-11-25T10:00:00.000+0000 (got '" + clip(text) + "')");
        }
    }

    private static String clip(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 64 ? printable : printable.substring(0, 64) + "…";
    }
}
