package io.vipflip.vantage;

import io.vipflip.probe.NodeProbe;
import io.vipflip.probe.ProbeRound;
import io.vipflip.probe.Prober;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The observer function's core: probes what it is asked about, from where it stands, and says what it saw. It holds
 * no lease and writes nothing: its answer is an opinion the deciding run weighs.
 */
public final class Observer {
    private final Prober prober;
    private final String vantage;

    /** @param vantage where this observer stands (its Availability Zone), named in every answer */
    public Observer(Prober prober, String vantage) {
        this.prober = prober;
        this.vantage = vantage;
    }

    /** Answers one JSON request; a malformed one throws {@link ObserverRequestException} before any probe. */
    public byte[] answer(byte[] requestJson) {
        return ObserverProtocol.answer(observe(ObserverProtocol.parseRequest(requestJson)));
    }

    /** What this observer says when asked about nothing (the keep-warm ping). */
    public VantageView idle() {
        return new VantageView(vantage, Map.of());
    }

    public VantageView observe(ObserverRequest request) {
        ProbeRound round = prober.probe(request.targets(), request.probeTimeout());
        Map<String, NodeSeen> nodes = new LinkedHashMap<>();
        for (NodeProbe probe : round.nodes().values()) {
            nodes.put(probe.node(), new NodeSeen(probe.node(), probe.ports().stream()
                    .map(p -> new PortSeen(p.port(), PortState.of(p, request.probeTimeout()), p.latency().toMillis(),
                            p.failure().orElse("")))
                    .toList()));
        }
        return new VantageView(vantage, nodes);
    }
}
