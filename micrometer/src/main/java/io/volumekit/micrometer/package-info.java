/**
 * Micrometer for the volumekit engine: {@link io.volumekit.micrometer.MicrometerMetrics}, an
 * {@link io.volumekit.core.metrics.EngineMetrics} that records into any {@code MeterRegistry} with
 * Kubernetes' metric names, labels and buckets. See docs/observability.md.
 */
package io.volumekit.micrometer;
