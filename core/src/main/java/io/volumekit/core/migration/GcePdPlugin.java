package io.volumekit.core.migration;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.GCEPersistentDiskVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Volume;
import io.volumekit.model.storage.StorageClass;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code kubernetes.io/gce-pd} to {@code pd.csi.storage.gke.io} (csi-translation-lib's {@code
 * gce_pd.go}). The handle is {@code projects/<project>/zones/<zone>/disks/<name>} for a zonal disk
 * (zone from the PV's zone label), {@code projects/<project>/regions/<region>/disks/<name>} for a
 * regional one (several zones in the label), the project being {@code UNSPECIFIED} until {@link
 * #repairVolumeHandle} fills it from the node id. Access modes are made ones the CSI driver
 * accepts: ReadWriteMany counts as ReadWriteOnce, and {ReadOnlyMany, ReadWriteOnce} becomes
 * ReadWriteOnce, as the in-tree plugin never enforced them.
 */
public final class GcePdPlugin implements InTreePlugin {

  public static final String IN_TREE = "kubernetes.io/gce-pd";
  public static final String DRIVER = "pd.csi.storage.gke.io";
  public static final String TOPOLOGY_KEY = "topology.gke.io/zone";
  /** Stands for a project, zone or region the translation cannot know. */
  public static final String UNSPECIFIED = "UNSPECIFIED";

  @Override public String inTreePluginName() { return IN_TREE; }
  @Override public String csiDriverName() { return DRIVER; }
  @Override public String sourceField() { return "gcePersistentDisk"; }
  @Override public boolean canSupport(PersistentVolume pv) { return pv.spec().gcePersistentDisk().isPresent(); }
  @Override public boolean canSupportInline(Volume v) { return v.gcePersistentDisk().isPresent(); }

  static String zonalHandle(String project, String zone, String disk) {
    return "projects/" + project + "/zones/" + zone + "/disks/" + disk;
  }

  static String regionalHandle(String project, String region, String disk) {
    return "projects/" + project + "/regions/" + region + "/disks/" + disk;
  }

  private static ImmutableMap<String, String> attributes(GCEPersistentDiskVolumeSource pd) {
    int p = pd.partition().orElse(0);
    return ImmutableMap.of("partition", p == 0 ? "" : String.valueOf(p));
  }

  /** {@code backwardCompatibleAccessModes}: the one access mode the CSI driver will accept. */
  static ImmutableList<String> accessModes(List<String> modes) {
    boolean rwo = false;
    boolean rox = false;
    for (String m : modes) {
      if (m.equals(AccessModes.READ_WRITE_MANY) || m.equals(AccessModes.READ_WRITE_ONCE)) {
        rwo = true;
      } else if (m.equals(AccessModes.READ_ONLY_MANY)) {
        rox = true;
      }
    }
    if (rox && !rwo) {
      return ImmutableList.of(AccessModes.READ_ONLY_MANY);
    }
    return ImmutableList.of(AccessModes.READ_WRITE_ONCE);
  }

  @Override
  public PersistentVolume translateInTreePVToCSI(PersistentVolume pv) {
    GCEPersistentDiskVolumeSource pd = pv.spec().gcePersistentDisk().orElseThrow(
        () -> new TranslationException("spec.gcePersistentDisk", "pv is nil or GCE Persistent Disk source not defined on pv"));
    String label = pv.metadata().label(Topologies.BETA_ZONE).filter(s -> !s.isEmpty())
        .or(() -> pv.metadata().label(Topologies.ZONE)).orElse("");
    List<String> zones = List.of(label.split(Topologies.MULTI_ZONE_DELIMITER, -1));
    String handle;
    if (zones.size() == 1 && !zones.get(0).isEmpty()) {
      handle = zonalHandle(UNSPECIFIED, zones.get(0), pd.pdName());
    } else if (zones.size() > 1) {
      handle = regionalHandle(UNSPECIFIED, Topologies.gceRegion(zones), pd.pdName());
    } else {
      handle = zonalHandle(UNSPECIFIED, UNSPECIFIED, pd.pdName());
    }
    CSIPersistentVolumeSource csi = Plugins.csi(DRIVER, handle, pd.readOnly(), pd.fsType(), attributes(pd));
    PersistentVolume out = Topologies.inTreeToCsi(pv, TOPOLOGY_KEY);
    // Kubernetes leaves a PV without access modes as it is (nil stays nil).
    ImmutableList<String> modes = pv.spec().accessModes().isEmpty() ? ImmutableList.of() : accessModes(pv.spec().accessModes());
    return out.withSpec(out.spec().withGcePersistentDisk(Optional.empty()).withCsi(Optional.of(csi)).withAccessModes(modes));
  }

  /** The disk name: the sixth part of a handle {@code projects/p/zones/z/disks/name}. */
  static String pdName(String handle) {
    String[] parts = handle.split("/", -1);
    if (parts.length < 6) {
      throw new TranslationException("spec.csi.volumeHandle",
          "failed to get id components. Got: " + parts.length + ", wanted 6 components or more");
    }
    return parts[5];
  }

  @Override
  public PersistentVolume translateCSIPVToInTree(PersistentVolume pv) {
    CSIPersistentVolumeSource csi = Plugins.csiOf(pv, DRIVER);
    GCEPersistentDiskVolumeSource pd = new GCEPersistentDiskVolumeSource(
        pdName(csi.volumeHandle()), csi.fsType(), Plugins.partition(csi), csi.readOnly());
    PersistentVolume out = Topologies.csiToInTree(pv, TOPOLOGY_KEY, Optional.of(Topologies::gceRegion));
    return out.withSpec(out.spec().withCsi(Optional.empty()).withGcePersistentDisk(Optional.of(pd)));
  }

  @Override
  public StorageClass translateInTreeStorageClassToCSI(StorageClass sc) {
    return Topologies.zonalClass(sc, TOPOLOGY_KEY, true, Function.identity());
  }

  @Override
  public PersistentVolume translateInTreeInlineVolumeToCSI(Volume volume, String podNamespace) {
    GCEPersistentDiskVolumeSource pd = volume.gcePersistentDisk().orElseThrow(
        () -> new TranslationException("gcePersistentDisk", "volume is nil or GCE PD not defined on volume"));
    CSIPersistentVolumeSource csi = Plugins.csi(DRIVER, zonalHandle(UNSPECIFIED, UNSPECIFIED, pd.pdName()),
        pd.readOnly(), pd.fsType(), attributes(pd));
    String mode = pd.readOnly().orElse(false) ? AccessModes.READ_ONLY_MANY : AccessModes.READ_WRITE_ONCE;
    return Plugins.inlinePv(DRIVER + "-" + pd.pdName(), csi, mode);
  }

  /**
   * Fills an {@code UNSPECIFIED} project (and zone, or region) from the node id {@code
   * projects/<p>/zones/<z>/instances/<i>}; a handle with a project is returned as is.
   */
  @Override
  public String repairVolumeHandle(String volumeHandle, String nodeId) {
    String[] tok = volumeHandle.split("/", -1);
    if (tok.length < 6) {
      throw new TranslationException("volumeHandle",
          "volume handle has wrong number of elements; got " + tok.length + ", wanted 6 or more");
    }
    if (!tok[1].equals(UNSPECIFIED)) {
      return volumeHandle;
    }
    String[] node = nodeId.split("/", -1);
    if (node.length < 6) {
      throw new TranslationException("nodeID",
          "node handle has wrong number of elements; got " + node.length + ", wanted 6 or more");
    }
    switch (tok[2]) {
      case "zones":
        return zonalHandle(node[1], tok[3].equals(UNSPECIFIED) ? node[3] : tok[3], tok[5]);
      case "regions":
        return regionalHandle(node[1], tok[3].equals(UNSPECIFIED) ? Topologies.gceRegion(List.of(node[3])) : tok[3], tok[5]);
      default:
        throw new TranslationException("volumeHandle",
            "expected volume handle to have zones or regions regionality value, got: " + tok[2]);
    }
  }
}
