package io.volumekit.core.metrics;

import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Where the runtime reports what it measured; every method does nothing by default, so a
 * VolumeKit built without metrics pays one virtual call per reconcile and per effect.
 *
 * <p>The runtime, never a controller, calls it: around each reconcile, after each effect (with
 * labels computed from the state when the effect started, {@link StorageOperations}), after each
 * controller write that assigned a default StorageClass to an existing claim, and once at build
 * time with the source of the gauges ({@link StateGauges} and the runtime's queue). Implementations
 * must be thread-safe: effects finish on the executor's threads. The Micrometer one is in the
 * {@code volumekit-micrometer} module (docs/observability.md says why it is a module of its own).
 */
public interface EngineMetrics {

  /** The implementation that records nothing. */
  static EngineMetrics noop() {
    return Noop.INSTANCE;
  }

  /** One reconcile of the controller (deciding and applying the decision) took {@code took}. */
  default void reconciled(String controller, Duration took) {}

  /**
   * A volume operation finished: storage_operation_duration_seconds with Kubernetes' labels.
   *
   * @param volumePlugin e.g. {@code kubernetes.io/csi:hostpath.csi.k8s.io}
   * @param operationName e.g. {@code volume_provision}, {@code volume_attach}, {@code volume_mount}
   * @param success {@code status} is {@code success} or {@code fail-unknown}
   */
  default void storageOperation(String volumePlugin, String operationName, boolean success, Duration took) {}

  /**
   * A CSI call returned: csi_sidecar_operations_seconds.
   *
   * @param method the full gRPC method, e.g. {@code /csi.v1.Controller/CreateVolume}
   * @param grpcStatusCode the code as gRPC spells it, e.g. {@code OK}, {@code DeadlineExceeded}
   */
  default void csiCall(String driver, String method, String grpcStatusCode, Duration took) {}

  /** The PV controller assigned the default StorageClass to an existing claim (or failed to). */
  default void retroactiveStorageClass(boolean success) {}

  /**
   * Gives the source of the gauges, called once when the engine is built. The source computes
   * the samples from the current state on each call (O(objects)); an implementation calls it when
   * it refreshes, not per reconcile.
   */
  default void gauges(Supplier<ImmutableList<GaugeSample>> source) {}

  /** The engine settled: a good moment to refresh gauges from the source. */
  default void settled() {}

  /** The no-op implementation. */
  enum Noop implements EngineMetrics {
    INSTANCE
  }
}
