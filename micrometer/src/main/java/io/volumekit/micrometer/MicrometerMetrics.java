package io.volumekit.micrometer;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.collect.Sets;
import com.google.common.util.concurrent.AtomicDouble;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.volumekit.core.metrics.EngineMetrics;
import io.volumekit.core.metrics.GaugeSample;
import io.volumekit.core.metrics.MetricNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Records the engine's metrics in a Micrometer {@link MeterRegistry}:
 * {@code VolumeKit.builder().metrics(MicrometerMetrics.of(registry))}.
 *
 * <p>Names and labels are Kubernetes' ({@link MetricNames}), so a Prometheus registry exposes
 * {@code storage_operation_duration_seconds{volume_plugin,operation_name,status,migrated}} and
 * {@code csi_sidecar_operations_seconds{driver_name,method_name,grpc_status_code}} as histograms
 * with Kubernetes' buckets, {@code retroactive_storageclass_total} as a counter, and the gauges
 * of the state ({@code pv_collector_*}, {@code volume_manager_total_volumes}, {@code
 * attachdetach_controller_total_volumes}, ...) with one time series per label set present.
 *
 * <p>Gauges are refreshed from the engine after each settle and on {@link #refresh()} (call it
 * before a scrape to read the state as it is now): a label set that disappeared is removed from
 * the registry, as Kubernetes' collectors stop emitting it. Thread-safe.
 */
public final class MicrometerMetrics implements EngineMetrics {

  private final MeterRegistry registry;
  private final Object gaugeLock = new Object();
  /** The gauge source, set once the engine is built. */
  private final AtomicReference<Supplier<ImmutableList<GaugeSample>>> source = new AtomicReference<>(ImmutableList::of);
  /** A gauge's time series: its name and labels. */
  private record Series(String name, ImmutableSortedMap<String, String> labels) {}

  /** The registered gauges by series, with their current value. */
  private final Map<Series, AtomicDouble> values = new HashMap<>();
  private final Map<Series, Gauge> gauges = new HashMap<>();
  private final Counter retroactive;
  private final Counter retroactiveErrors;

  private MicrometerMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    // Registered up front, as Kubernetes registers them: 0 until the first assignment.
    this.retroactive = Counter.builder(MetricNames.RETROACTIVE_STORAGECLASS)
        .description("Total number of retroactive StorageClass assignments to persistent volume claim")
        .register(registry);
    this.retroactiveErrors = Counter.builder(MetricNames.RETROACTIVE_STORAGECLASS_ERRORS)
        .description("Total number of failed retroactive StorageClass assignments to persistent volume claim")
        .register(registry);
  }

  /** Metrics recorded in the registry. */
  public static MicrometerMetrics of(MeterRegistry registry) {
    return new MicrometerMetrics(registry);
  }

  /** The registry recorded into. */
  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public void reconciled(String controller, Duration took) {
    Timer.builder(MetricNames.RECONCILE_DURATION)
        .description("Time of one reconcile of a controller: its decision and applying it")
        .tags("controller", controller)
        .serviceLevelObjectives(MetricNames.RECONCILE_BUCKETS.toArray(Duration[]::new))
        .register(registry).record(took);
  }

  @Override
  public void storageOperation(String volumePlugin, String operationName, boolean success, Duration took) {
    Timer.builder(MetricNames.STORAGE_OPERATION_DURATION)
        .description("Storage operation duration")
        .tags("volume_plugin", volumePlugin, "operation_name", operationName,
            "status", success ? MetricNames.STATUS_SUCCESS : MetricNames.STATUS_FAIL, "migrated", "false")
        .serviceLevelObjectives(MetricNames.OPERATION_BUCKETS.toArray(Duration[]::new))
        .register(registry).record(took);
  }

  @Override
  public void csiCall(String driver, String method, String grpcStatusCode, Duration took) {
    Timer.builder(MetricNames.CSI_SIDECAR_OPERATIONS)
        .description("Container Storage Interface operation duration with gRPC error code status total")
        .tags("driver_name", driver, "method_name", method, "grpc_status_code", grpcStatusCode)
        .serviceLevelObjectives(MetricNames.OPERATION_BUCKETS.toArray(Duration[]::new))
        .register(registry).record(took);
  }

  @Override
  public void retroactiveStorageClass(boolean success) {
    retroactive.increment();
    if (!success) {
      retroactiveErrors.increment();
    }
  }

  @Override
  public void gauges(Supplier<ImmutableList<GaugeSample>> gaugeSource) {
    source.set(Objects.requireNonNull(gaugeSource, "source"));
    refresh();
  }

  @Override
  public void settled() {
    refresh();
  }

  /**
   * Reads the gauges from the engine now: registers the label sets that appeared, updates the
   * values, removes the label sets that are gone. O(objects in the state).
   */
  public void refresh() {
    ImmutableList<GaugeSample> now = source.get().get();
    synchronized (gaugeLock) {
      Map<Series, Double> current = new HashMap<>();
      for (GaugeSample g : now) {
        current.merge(new Series(g.name(), g.labels()), g.value(), Double::sum);
      }
      for (Series gone : new ArrayList<>(Sets.difference(values.keySet(), current.keySet()))) {
        registry.remove(gauges.remove(gone));
        values.remove(gone);
      }
      current.forEach((series, value) -> {
        AtomicDouble holder = values.get(series);
        if (holder == null) {
          AtomicDouble h = new AtomicDouble(value);
          values.put(series, h);
          gauges.put(series, Gauge.builder(series.name(), h, AtomicDouble::get)
              .description(MetricNames.HELP.getOrDefault(series.name(), series.name()))
              .tags(tags(series)).strongReference(true).register(registry));
        } else {
          holder.set(value);
        }
      });
    }
  }

  private static Tags tags(Series s) {
    List<Tag> tags = new ArrayList<>();
    s.labels().forEach((k, v) -> tags.add(Tag.of(k, v)));
    return Tags.of(tags);
  }
}
