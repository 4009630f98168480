package io.volumekit.core.metrics;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Map;
import java.util.Objects;

/**
 * One gauge value: a metric name, its labels and its value, as a Prometheus custom collector emits
 * it at scrape time (Kubernetes' pv_collector and volume manager collectors work this way).
 *
 * @param name the metric name, one of {@link MetricNames}
 * @param labels label name to value, sorted by name
 * @param value the value
 */
public record GaugeSample(String name, ImmutableSortedMap<String, String> labels, double value) {

  public GaugeSample {
    Objects.requireNonNull(name, "name");
    labels = labels == null ? ImmutableSortedMap.of() : ImmutableSortedMap.copyOf(labels);
  }

  /** A sample with the labels given. */
  public static GaugeSample of(String name, Map<String, String> labels, double value) {
    return new GaugeSample(name, ImmutableSortedMap.copyOf(labels), value);
  }
}
