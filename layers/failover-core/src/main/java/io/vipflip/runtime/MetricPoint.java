package io.vipflip.runtime;

import java.util.Map;

/** One metric value with its dimensions, before it is written as EMF. */
public record MetricPoint(String name, double value, String unit, Map<String, String> dimensions) {
    public MetricPoint {
        dimensions = Map.copyOf(dimensions);
    }
}
