package io.volumekit.core.metrics;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.core.Volume;
import io.volumekit.model.storage.VolumeAttachment;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kubernetes gauges computed from one state snapshot, as Kubernetes' custom collectors compute
 * them from their informers' caches at scrape time: the PV controller's {@code pv_collector_*},
 * the attach/detach controller's {@code attachdetach_controller_total_volumes} and {@code
 * storage_count_attachable_volumes_in_use}, and the kubelet's {@code volume_manager_total_volumes}.
 *
 * <p>One pass over PVs, claims, pods and VolumeAttachments: O(n) per call, which is why an
 * {@link EngineMetrics} implementation calls it when it refreshes (after a settle, before a
 * scrape), never per reconcile. Samples come out sorted by name then labels, so the output is
 * deterministic. How the "desired" and "actual" states are read from stored objects is in
 * docs/kubernetes-differences.md row 91.
 */
public final class StateGauges {

  private StateGauges() {}

  /** The gauges of the state. */
  public static ImmutableList<GaugeSample> of(ClusterState state) {
    Counts c = new Counts();
    for (PersistentVolume pv : state.list(PersistentVolume.KIND, PersistentVolume.class)) {
      c.add(MetricNames.PV_TOTAL, Map.of("plugin_name", PluginNames.of(pv), "volume_mode", pv.spec().effectiveVolumeMode()));
      c.add(pv.isBound() ? MetricNames.PV_BOUND : MetricNames.PV_UNBOUND,
          Map.of("storage_class", pv.spec().storageClassName()));
    }
    for (PersistentVolumeClaim claim : state.list(PersistentVolumeClaim.KIND, PersistentVolumeClaim.class)) {
      c.add(claim.isBound() ? MetricNames.PVC_BOUND : MetricNames.PVC_UNBOUND, Map.of(
          "namespace", claim.metadata().namespaceOrEmpty(),
          "storage_class", claim.spec().storageClassName().orElse(""),
          "volume_attributes_class", claim.spec().volumeAttributesClassName().orElse("")));
    }
    for (VolumeAttachment va : state.list(VolumeAttachment.KIND, VolumeAttachment.class)) {
      String plugin = PluginNames.csi(va.spec().attacher());
      if (!va.metadata().isDeleting()) {
        c.add(MetricNames.ATTACHDETACH_TOTAL_VOLUMES, Map.of("plugin_name", plugin, "state", MetricNames.DESIRED_STATE));
      }
      if (va.status().attached()) {
        c.add(MetricNames.ATTACHDETACH_TOTAL_VOLUMES, Map.of("plugin_name", plugin, "state", MetricNames.ACTUAL_STATE));
        c.add(MetricNames.ATTACHABLE_VOLUMES_IN_USE, Map.of("node", va.spec().nodeName(), "volume_plugin", plugin));
      }
    }
    for (Pod pod : state.list(Pod.KIND, Pod.class)) {
      if (pod.nodeName().isEmpty()) {
        continue;
      }
      boolean desired = !PodVolumeSupport.isTerminating(pod);
      boolean mounted = desired && pod.status().phase().filter(PodStatus.RUNNING::equals).isPresent();
      for (Volume v : pod.spec().volumes()) {
        String plugin = PluginNames.of(state, pod, v);
        if (desired) {
          c.add(MetricNames.VOLUME_MANAGER_TOTAL_VOLUMES, Map.of("plugin_name", plugin, "state", MetricNames.DESIRED_STATE));
        }
        if (mounted) {
          c.add(MetricNames.VOLUME_MANAGER_TOTAL_VOLUMES, Map.of("plugin_name", plugin, "state", MetricNames.ACTUAL_STATE));
        }
      }
    }
    return c.samples();
  }

  /** The engine's own gauges: its work queue, effects in flight and operations backing off. */
  public static ImmutableList<GaugeSample> engine(int queueDepth, int inFlight, int inBackoff) {
    return ImmutableList.of(
        GaugeSample.of(MetricNames.QUEUE_DEPTH, Map.of(), queueDepth),
        GaugeSample.of(MetricNames.OPERATIONS_IN_FLIGHT, Map.of(), inFlight),
        GaugeSample.of(MetricNames.OPERATIONS_IN_BACKOFF, Map.of(), inBackoff));
  }

  /** Counts per (name, labels), sorted by name then labels. */
  private static final class Counts {
    private record Row(String name, ImmutableSortedMap<String, String> labels, int[] count) {}

    private final TreeMap<String, Row> rows = new TreeMap<>();

    void add(String name, Map<String, String> labels) {
      ImmutableSortedMap<String, String> l = ImmutableSortedMap.copyOf(labels);
      rows.computeIfAbsent(name + l, k -> new Row(name, l, new int[1])).count()[0]++;
    }

    ImmutableList<GaugeSample> samples() {
      ImmutableList.Builder<GaugeSample> out = ImmutableList.builder();
      for (Row r : rows.values()) {
        out.add(new GaugeSample(r.name(), r.labels(), r.count()[0]));
      }
      return out.build();
    }
  }
}
