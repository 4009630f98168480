package io.volumekit.core.metrics;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.time.Duration;

/**
 * The metric names, label names and histogram buckets volumekit exposes. The Kubernetes ones are
 * spelled exactly as the kube-controller-manager, the kubelet and the CSI sidecars spell them, so
 * that existing dashboards and alerts read volumekit's metrics unchanged.
 */
public final class MetricNames {

  private MetricNames() {}

  /** Histogram of volume operations (pkg/volume/util): labels volume_plugin, operation_name, status, migrated. */
  public static final String STORAGE_OPERATION_DURATION = "storage_operation_duration_seconds";
  /** Histogram of CSI calls as the CSI sidecars record them: labels driver_name, method_name, grpc_status_code. */
  public static final String CSI_SIDECAR_OPERATIONS = "csi_sidecar_operations_seconds";
  /** Counter of default StorageClass assignments to existing claims (PV controller). */
  public static final String RETROACTIVE_STORAGECLASS = "retroactive_storageclass_total";
  /** Counter of failed retroactive assignments (PV controller). */
  public static final String RETROACTIVE_STORAGECLASS_ERRORS = "retroactive_storageclass_errors_total";

  /** Gauge, PV controller: PVs by plugin_name and volume_mode. */
  public static final String PV_TOTAL = "pv_collector_total_pv_count";
  /** Gauge, PV controller: bound PVs by storage_class. */
  public static final String PV_BOUND = "pv_collector_bound_pv_count";
  /** Gauge, PV controller: PVs not bound by storage_class. */
  public static final String PV_UNBOUND = "pv_collector_unbound_pv_count";
  /** Gauge, PV controller: bound claims by namespace, storage_class, volume_attributes_class. */
  public static final String PVC_BOUND = "pv_collector_bound_pvc_count";
  /** Gauge, PV controller: claims not bound by namespace, storage_class, volume_attributes_class. */
  public static final String PVC_UNBOUND = "pv_collector_unbound_pvc_count";
  /** Gauge, attach/detach controller: volumes by plugin_name and state. */
  public static final String ATTACHDETACH_TOTAL_VOLUMES = "attachdetach_controller_total_volumes";
  /** Gauge, attach/detach controller: attached volumes by node and volume_plugin. */
  public static final String ATTACHABLE_VOLUMES_IN_USE = "storage_count_attachable_volumes_in_use";
  /** Gauge, kubelet volume manager: pod volumes by plugin_name and state. */
  public static final String VOLUME_MANAGER_TOTAL_VOLUMES = "volume_manager_total_volumes";

  /** Kubelet: a claim-backed volume's capacity in bytes (labels namespace, persistentvolumeclaim). */
  public static final String VOLUME_STATS_CAPACITY_BYTES = "kubelet_volume_stats_capacity_bytes";
  /** Kubelet: its available bytes. */
  public static final String VOLUME_STATS_AVAILABLE_BYTES = "kubelet_volume_stats_available_bytes";
  /** Kubelet: its used bytes. */
  public static final String VOLUME_STATS_USED_BYTES = "kubelet_volume_stats_used_bytes";
  /** Kubelet: its inodes. */
  public static final String VOLUME_STATS_INODES = "kubelet_volume_stats_inodes";
  /** Kubelet: its free inodes. */
  public static final String VOLUME_STATS_INODES_FREE = "kubelet_volume_stats_inodes_free";
  /** Kubelet: its used inodes. */
  public static final String VOLUME_STATS_INODES_USED = "kubelet_volume_stats_inodes_used";
  /** Kubelet: 1 when the volume's condition is abnormal, else 0. */
  public static final String VOLUME_STATS_HEALTH_ABNORMAL = "kubelet_volume_stats_health_status_abnormal";

  /** Histogram, volumekit's own: one reconcile (the decision and applying it), label controller. */
  public static final String RECONCILE_DURATION = "volumekit_reconcile_duration_seconds";
  /** Gauge, volumekit's own: (controller, key) pairs waiting in the work queue. */
  public static final String QUEUE_DEPTH = "volumekit_workqueue_depth";
  /** Gauge, volumekit's own: effects started whose outcome has not arrived. */
  public static final String OPERATIONS_IN_FLIGHT = "volumekit_operations_in_flight";
  /** Gauge, volumekit's own: failed operations waiting for their retry (backoff). */
  public static final String OPERATIONS_IN_BACKOFF = "volumekit_operations_in_backoff";

  /** The help text of each gauge, as Kubernetes describes it. */
  public static final ImmutableMap<String, String> HELP = ImmutableMap.<String, String>builder()
      .put(PV_TOTAL, "Gauge measuring total number of persistent volumes")
      .put(PV_BOUND, "Gauge measuring number of persistent volume currently bound")
      .put(PV_UNBOUND, "Gauge measuring number of persistent volume currently unbound")
      .put(PVC_BOUND, "Gauge measuring number of persistent volume claim currently bound")
      .put(PVC_UNBOUND, "Gauge measuring number of persistent volume claim currently unbound")
      .put(ATTACHDETACH_TOTAL_VOLUMES, "Number of volumes in A/D Controller")
      .put(ATTACHABLE_VOLUMES_IN_USE, "Measure number of volumes in use")
      .put(VOLUME_MANAGER_TOTAL_VOLUMES, "Number of volumes in Volume Manager")
      .put(QUEUE_DEPTH, "Current depth of the engine's work queue of (controller, key) pairs")
      .put(OPERATIONS_IN_FLIGHT, "Effects started whose outcome has not arrived")
      .put(OPERATIONS_IN_BACKOFF, "Failed operations waiting for their retry")
      .buildOrThrow();

  /** The state label values of the "total volumes" gauges, as Kubernetes spells them. */
  public static final String DESIRED_STATE = "desired_state_of_world";
  /** See {@link #DESIRED_STATE}. */
  public static final String ACTUAL_STATE = "actual_state_of_world";

  /** storage_operation_duration_seconds' status of a success. */
  public static final String STATUS_SUCCESS = "success";
  /** storage_operation_duration_seconds' status of a failure (Kubernetes does not classify errors). */
  public static final String STATUS_FAIL = "fail-unknown";

  /**
   * The buckets of storage_operation_duration_seconds and csi_sidecar_operations_seconds (the same
   * in pkg/volume/util and csi-lib-utils): .1 .25 .5 1 2.5 5 10 15 25 50 120 300 600 seconds.
   */
  public static final ImmutableList<Duration> OPERATION_BUCKETS = ImmutableList.of(
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15),
      Duration.ofSeconds(25), Duration.ofSeconds(50), Duration.ofSeconds(120), Duration.ofSeconds(300),
      Duration.ofSeconds(600));

  /** The buckets of volumekit_reconcile_duration_seconds: 1 µs to 10 s by powers of ten (a reconcile is pure). */
  public static final ImmutableList<Duration> RECONCILE_BUCKETS = ImmutableList.of(
      Duration.ofNanos(1_000), Duration.ofNanos(10_000), Duration.ofNanos(100_000), Duration.ofMillis(1),
      Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10));
}
