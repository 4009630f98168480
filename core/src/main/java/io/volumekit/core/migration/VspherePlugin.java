package io.volumekit.core.migration;

import com.google.common.collect.ImmutableMap;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VsphereVirtualDiskVolumeSource;
import io.volumekit.model.storage.StorageClass;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kubernetes.io/vsphere-volume} to {@code csi.vsphere.vmware.com} (csi-translation-lib's
 * {@code vsphere_volume.go}): the handle is the VMDK path ({@code [datastore] dir/disk.vmdk});
 * {@code storagepolicyname} is kept as an attribute; the zone and region labels map to {@code
 * topology.csi.vmware.com/zone} and {@code /region}. A class keeps {@code storagepolicyname},
 * renames {@code fstype}, passes the in-tree provisioning options as {@code <name>-migrationparam},
 * drops unknown ones, and always gets {@code csimigration: "true"} (which makes the driver return
 * the VMDK path as {@code initialvolumefilepath}, read on the way back).
 */
public final class VspherePlugin implements InTreePlugin {

  public static final String IN_TREE = "kubernetes.io/vsphere-volume";
  public static final String DRIVER = "csi.vsphere.vmware.com";
  public static final String ZONE_KEY = "topology.csi.vmware.com/zone";
  public static final String REGION_KEY = "topology.csi.vmware.com/region";
  static final String STORAGE_POLICY = "storagepolicyname";
  static final String INITIAL_PATH = "initialvolumefilepath";
  private static final List<String> MIGRATION_PARAMS = List.of("datastore", "diskformat", "hostfailurestotolerate",
      "forceprovisioning", "cachereservation", "diskstripes", "objectspacereservation", "iopslimit");

  @Override public String inTreePluginName() { return IN_TREE; }
  @Override public String csiDriverName() { return DRIVER; }
  @Override public String sourceField() { return "vsphereVolume"; }
  @Override public boolean canSupport(PersistentVolume pv) { return pv.spec().vsphereVolume().isPresent(); }
  @Override public boolean canSupportInline(Volume v) { return v.vsphereVolume().isPresent(); }

  private static CSIPersistentVolumeSource csiFor(VsphereVirtualDiskVolumeSource v) {
    ImmutableMap<String, String> attrs = v.storagePolicyName().filter(p -> !p.isEmpty())
        .map(p -> ImmutableMap.of(STORAGE_POLICY, p)).orElse(ImmutableMap.of());
    return Plugins.csi(DRIVER, v.volumePath(), Optional.empty(), v.fsType(), attrs);
  }

  @Override
  public PersistentVolume translateInTreePVToCSI(PersistentVolume pv) {
    VsphereVirtualDiskVolumeSource v = pv.spec().vsphereVolume().orElseThrow(
        () -> new TranslationException("spec.vsphereVolume", "pv is nil or VsphereVolume not defined on pv"));
    Topologies.Labels l = Topologies.labels(pv);
    PersistentVolume out = pv;
    if (Topologies.keyExists(pv, l.zone())) {
      out = Topologies.replaceKey(out, l.zone(), ZONE_KEY);
    } else if (pv.metadata().label(l.zone()).isPresent()) {
      out = Topologies.addRequirement(out, ZONE_KEY, List.of(pv.metadata().label(l.zone()).get().split(Topologies.MULTI_ZONE_DELIMITER, -1)));
    }
    if (Topologies.keyExists(pv, l.region())) {
      out = Topologies.replaceKey(out, l.region(), REGION_KEY);
    } else if (pv.metadata().label(l.region()).isPresent()) {
      out = Topologies.addRequirement(out, REGION_KEY, List.of(pv.metadata().label(l.region()).get()));
    }
    return out.withSpec(out.spec().withVsphereVolume(Optional.empty()).withCsi(Optional.of(csiFor(v))));
  }

  /**
   * The VMDK path is the {@code initialvolumefilepath} attribute. Kubernetes leaves the path empty
   * without it; volumekit falls back to the handle, which is the path for every volume this
   * plugin translated.
   */
  @Override
  public PersistentVolume translateCSIPVToInTree(PersistentVolume pv) {
    CSIPersistentVolumeSource csi = Plugins.csiOf(pv, DRIVER);
    String path = csi.volumeAttributes().getOrDefault(INITIAL_PATH, csi.volumeHandle());
    VsphereVirtualDiskVolumeSource v = new VsphereVirtualDiskVolumeSource(path, csi.fsType(),
        Optional.ofNullable(csi.volumeAttributes().get(STORAGE_POLICY)), Optional.empty());
    Topologies.Labels l = Topologies.labels(pv);
    PersistentVolume out = Topologies.replaceKey(Topologies.replaceKey(pv, ZONE_KEY, l.zone()), REGION_KEY, l.region());
    Map<String, String> labels = new LinkedHashMap<>(out.metadata().labels());
    List<String> zones = Topologies.values(out, l.zone());
    if (!zones.isEmpty()) {
      labels.putIfAbsent(l.zone(), String.join(Topologies.MULTI_ZONE_DELIMITER, zones));
    }
    List<String> regions = Topologies.values(out, l.region());
    if (regions.size() == 1) {
      labels.putIfAbsent(l.region(), regions.get(0));
    }
    out = out.withMetadata(out.metadata().withLabels(ImmutableMap.copyOf(labels)));
    return out.withSpec(out.spec().withCsi(Optional.empty()).withVsphereVolume(Optional.of(v)));
  }

  @Override
  public StorageClass translateInTreeStorageClassToCSI(StorageClass sc) {
    Map<String, String> params = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : sc.parameters().entrySet()) {
      String k = e.getKey().toLowerCase(Locale.ROOT);
      if (k.equals(Topologies.FSTYPE)) {
        params.put(Topologies.CSI_FSTYPE, e.getValue());
      } else if (k.equals(STORAGE_POLICY)) {
        params.put(STORAGE_POLICY, e.getValue());
      } else if (MIGRATION_PARAMS.contains(k)) {
        params.put(k + "-migrationparam", e.getValue());
      }
      // any other parameter is not supported by the CSI driver and is dropped, as Kubernetes does
    }
    params.put("csimigration", "true");
    return sc.withParameters(ImmutableMap.copyOf(params));
  }

  @Override
  public PersistentVolume translateInTreeInlineVolumeToCSI(Volume volume, String podNamespace) {
    VsphereVirtualDiskVolumeSource v = volume.vsphereVolume().orElseThrow(
        () -> new TranslationException("vsphereVolume", "volume is nil or VsphereVolume not defined on volume"));
    return Plugins.inlinePv(DRIVER + "-" + v.volumePath(), csiFor(v), AccessModes.READ_WRITE_ONCE);
  }
}
