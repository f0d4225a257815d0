package io.vipflip.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Powertools through its functional API (no AspectJ weaving): JSON logs carrying the Lambda context around a
 * handler's work, and EMF metrics in the {@code vipflip} namespace.
 */
public final class Telemetry {
    public static final String NAMESPACE = "vipflip";

    private Telemetry() {
    }

    /** Runs {@code work} with the Lambda context in every log line. */
    public static <T> T withLogging(Context context, Supplier<T> work) {
        return PowertoolsLogging.withLogging(context, work);
    }

    /** Writes the points as EMF (one document per dimension set), on stdout where Lambda ships them to CloudWatch. */
    public static void flush(List<MetricPoint> points) {
        Metrics metrics = MetricsBuilder.builder().withNamespace(NAMESPACE).withService("vipflip").build();
        for (MetricPoint point : points) {
            DimensionSet dimensions = new DimensionSet();
            point.dimensions().forEach(dimensions::addDimension);
            metrics.flushSingleMetric(point.name(), point.value(), unit(point.unit()), NAMESPACE, dimensions);
        }
    }

    private static MetricUnit unit(String unit) {
        return switch (unit) {
            case "Milliseconds" -> MetricUnit.MILLISECONDS;
            default -> MetricUnit.COUNT;
        };
    }
}
