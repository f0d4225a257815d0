package io.vipflip.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vipflip.config.GroupConfig;
import io.vipflip.orchestrator.RunResult;
import io.vipflip.policy.Trigger;
import io.vipflip.route.NodeResolver;
import io.vipflip.route.Ec2NodeResolver;
import io.vipflip.route.ResolvedNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.NetworkInterfaceAttribute;

/** Carries out a validated {@link ManualRequest} on the engine and answers with what happened. */
public final class ManualActions {
    static final int STATUS_HISTORY = 20;
    private final Engine engine;
    private final NodeResolver resolver;

    public ManualActions(Engine engine) {
        this.engine = engine;
        this.resolver = new Ec2NodeResolver(engine.ec2());
    }

    /**
     * Validates a request against the groups configured now: with per-group parameters, a group this container
     * does not know yet (just added) makes it read the parameters once more before the request is refused.
     */
    public ManualRequest parse(byte[] body) {
        engine.refreshConfig();
        try {
            return ManualRequest.parse(body, engine.config());
        } catch (InvalidRequestException e) {
            if (e.field().equals("group") && engine.reloadConfig()) {
                return ManualRequest.parse(body, engine.config());
            }
            throw e;
        }
    }

    public ObjectNode execute(ManualRequest request, RunReporter reporter) {
        return execute(request, reporter, java.time.Duration.ofDays(1));
    }

    /** Executes within an invocation that has {@code invocationLeft} left: no leased action outlives it. */
    public ObjectNode execute(ManualRequest request, RunReporter reporter, java.time.Duration invocationLeft) {
        java.time.Instant mustEndBy = engine.orchestrator().leasedActionsEndBy(invocationLeft);
        String group = request.group();
        String action = request.action().name().toLowerCase(java.util.Locale.ROOT);
        return switch (request.action()) {
            case STATUS -> status(group);
            case PAUSE -> Answers.change(action, engine.control().pause(group, request.reason(), request.dryRun(),
                    mustEndBy));
            case RESUME -> Answers.change(action, engine.control().resume(group, request.reason(), request.dryRun(),
                    mustEndBy));
            case FAILOVER -> run(action, group, new Trigger.ManualFailover(request.target().orElseThrow(),
                    request.reason(), request.force()), request.dryRun(), reporter, mustEndBy);
            case FAILBACK -> run(action, group, new Trigger.ManualFailback(request.reason()), request.dryRun(), reporter,
                    mustEndBy);
            case RECONCILE -> run(action, group, new Trigger.Reconcile(request.reason()), request.dryRun(), reporter,
                    mustEndBy);
        };
    }

    private ObjectNode run(String action, String group, Trigger trigger, boolean dryRun, RunReporter reporter,
                           java.time.Instant mustEndBy) {
        RunResult result = engine.orchestrator().run(group, trigger, dryRun, mustEndBy);
        reporter.onRun(result);
        return Answers.run(action, result).put("dryRun", dryRun);
    }

    private ObjectNode status(String group) {
        GroupConfig config = engine.config().group(group).orElseThrow();
        // A fresh container knows no health yet: probe enough rounds back to back for rise/fall to speak.
        RunResult probe = null;
        for (int round = 0; round < Math.max(config.probe().rise(), config.probe().fall()); round++) {
            probe = engine.orchestrator().run(group, new Trigger.Scheduled(), true);
        }
        List<ResolvedNode> nodes = resolver.resolve(config);
        Map<String, Optional<Boolean>> checks = new LinkedHashMap<>();
        nodes.forEach(n -> checks.put(n.name(), n.eniId().flatMap(this::sourceDestCheck)));
        return Answers.status(probe, nodes, engine.control().state(group), engine.control().lease(group),
                engine.control().history(group, STATUS_HISTORY), checks);
    }

    private Optional<Boolean> sourceDestCheck(String eni) {
        try {
            return Optional.ofNullable(engine.ec2().describeNetworkInterfaceAttribute(b -> b.networkInterfaceId(eni)
                    .attribute(NetworkInterfaceAttribute.SOURCE_DEST_CHECK)).sourceDestCheck().value());
        } catch (SdkException e) {
            return Optional.empty(); // status still answers; the check is shown as unknown
        }
    }
}
