package io.volumekit.core.metrics;

import com.google.common.collect.ImmutableMap;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.CSIVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimVolumeSource;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VolumeSource;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code volume_plugin} / {@code plugin_name} label of a volume, as Kubernetes'
 * {@code GetFullQualifiedPluginNameForVolume} spells it: {@code kubernetes.io/csi:<driver>} for a
 * CSI volume, the in-tree plugin's name otherwise, {@code N/A} when it cannot be told (a claim not
 * bound yet).
 */
public final class PluginNames {

  private PluginNames() {}

  /** The label value when the plugin is unknown, as the PV controller's collector writes it. */
  public static final String NOT_AVAILABLE = "N/A";

  /** The CSI plugin's name for a driver. */
  public static String csi(String driver) {
    return "kubernetes.io/csi:" + driver;
  }

  /** In-tree plugin names by the volume source's field name. */
  private static final ImmutableMap<String, String> IN_TREE = ImmutableMap.<String, String>builder()
      .put("emptyDir", "kubernetes.io/empty-dir")
      .put("secret", "kubernetes.io/secret")
      .put("configMap", "kubernetes.io/configmap")
      .put("downwardAPI", "kubernetes.io/downward-api")
      .put("projected", "kubernetes.io/projected")
      .put("hostPath", "kubernetes.io/host-path")
      .put("local", "kubernetes.io/local-volume")
      .put("nfs", "kubernetes.io/nfs")
      .put("image", "kubernetes.io/image")
      .put("awsElasticBlockStore", "kubernetes.io/aws-ebs")
      .put("gcePersistentDisk", "kubernetes.io/gce-pd")
      .put("azureDisk", "kubernetes.io/azure-disk")
      .put("azureFile", "kubernetes.io/azure-file")
      .put("cinder", "kubernetes.io/cinder")
      .put("vsphereVolume", "kubernetes.io/vsphere-volume")
      .buildOrThrow();

  /** The plugin of a PersistentVolume. */
  public static String of(PersistentVolume pv) {
    for (Map.Entry<String, VolumeSource> e : pv.spec().sources().entrySet()) {
      if (e.getValue() instanceof CSIPersistentVolumeSource csi) {
        return csi(csi.driver());
      }
      return IN_TREE.getOrDefault(e.getKey(), NOT_AVAILABLE);
    }
    return NOT_AVAILABLE;
  }

  /** The plugin of a pod's volume; a claim's is its bound PV's. */
  public static String of(ClusterState state, Pod pod, Volume volume) {
    for (Map.Entry<String, VolumeSource> e : volume.sources().entrySet()) {
      VolumeSource source = e.getValue();
      if (source instanceof CSIVolumeSource csi) {
        return csi(csi.driver());
      }
      if (source instanceof PersistentVolumeClaimVolumeSource pvc) {
        return ofClaim(state, pod.metadata().namespaceOrEmpty(), pvc.claimName());
      }
      if (e.getKey().equals("ephemeral")) {
        return ofClaim(state, pod.metadata().namespaceOrEmpty(), PodVolumeSupport.ephemeralClaimName(pod, volume));
      }
      return IN_TREE.getOrDefault(e.getKey(), NOT_AVAILABLE);
    }
    return NOT_AVAILABLE;
  }

  /** The plugin of a pod's volume named {@code volumeName}, if the pod and the volume exist. */
  public static Optional<String> of(ClusterState state, Pod pod, String volumeName) {
    return pod.spec().volumes().stream().filter(v -> v.name().equals(volumeName)).findFirst()
        .map(v -> of(state, pod, v));
  }

  private static String ofClaim(ClusterState state, String namespace, String claimName) {
    return state.get(Volumes.claimKey(namespace, claimName), PersistentVolumeClaim.class)
        .flatMap(PersistentVolumeClaim::volumeName)
        .flatMap(pv -> state.get(Volumes.volumeKey(pv), PersistentVolume.class))
        .map(PluginNames::of)
        .orElse(NOT_AVAILABLE);
  }
}
