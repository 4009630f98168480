/**
 * The engine's metrics port: {@link io.volumekit.core.metrics.EngineMetrics} (a no-op unless an
 * implementation is given to {@code VolumeKit.builder().metrics(...)}), Kubernetes' metric names,
 * labels and buckets ({@link io.volumekit.core.metrics.MetricNames}), and how the runtime derives
 * them: labels of an effect ({@link io.volumekit.core.metrics.StorageOperations}) and gauges
 * computed from the state ({@link io.volumekit.core.metrics.StateGauges}). Controllers never record
 * metrics; the runtime does, around reconciles and effects. See docs/observability.md.
 */
package io.volumekit.core.metrics;
