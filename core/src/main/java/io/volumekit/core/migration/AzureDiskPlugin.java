package io.volumekit.core.migration;

import com.google.common.collect.ImmutableMap;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.AzureDiskVolumeSource;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Volume;
import io.volumekit.model.storage.StorageClass;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kubernetes.io/azure-disk} to {@code disk.csi.azure.com} (csi-translation-lib's {@code
 * azure_disk.go}): the handle is the disk's resource id ({@code diskURI}); only managed disks
 * translate; {@code cachingmode}, {@code fstype} and {@code kind: Managed} become volume
 * attributes. The class keeps {@code fstype} as a driver parameter, and bare-number zones
 * (unzoned fault domains) in its allowed topologies are blanked. PV topology is not rewritten.
 */
public final class AzureDiskPlugin implements InTreePlugin {

  public static final String IN_TREE = "kubernetes.io/azure-disk";
  public static final String DRIVER = "disk.csi.azure.com";
  public static final String TOPOLOGY_KEY = "topology.disk.csi.azure.com/zone";
  public static final String MANAGED = "Managed";

  static final String KIND = "kind";
  static final String CACHING_MODE = "cachingmode";
  static final String FSTYPE = "fstype";

  private static final Pattern MANAGED_DISK =
      Pattern.compile(".*/subscriptions/(?:.*)/resourceGroups/(?:.*)/providers/Microsoft.Compute/disks/(.+)");

  @Override public String inTreePluginName() { return IN_TREE; }
  @Override public String csiDriverName() { return DRIVER; }
  @Override public String sourceField() { return "azureDisk"; }
  @Override public boolean canSupport(PersistentVolume pv) { return pv.spec().azureDisk().isPresent(); }
  @Override public boolean canSupportInline(Volume v) { return v.azureDisk().isPresent(); }

  private static CSIPersistentVolumeSource csiFor(AzureDiskVolumeSource disk, String field) {
    String kind = disk.kind().filter(k -> !k.isEmpty()).orElse(MANAGED);
    if (!kind.equals(MANAGED)) {
      throw new TranslationException(field + ".kind",
          "kind \"" + kind + "\" cannot be migrated: only managed disks are supported by " + DRIVER);
    }
    Map<String, String> attrs = new LinkedHashMap<>();
    disk.cachingMode().filter(m -> !m.isEmpty()).ifPresent(m -> attrs.put(CACHING_MODE, m));
    disk.fsType().filter(f -> !f.isEmpty()).ifPresent(f -> attrs.put(FSTYPE, f));
    attrs.put(KIND, MANAGED);
    return Plugins.csi(DRIVER, disk.diskURI(), disk.readOnly(), disk.fsType(), ImmutableMap.copyOf(attrs));
  }

  @Override
  public PersistentVolume translateInTreePVToCSI(PersistentVolume pv) {
    AzureDiskVolumeSource disk = pv.spec().azureDisk().orElseThrow(
        () -> new TranslationException("spec.azureDisk", "pv is nil or Azure Disk source not defined on pv"));
    CSIPersistentVolumeSource csi = csiFor(disk, "spec.azureDisk");
    return pv.withSpec(pv.spec().withAzureDisk(Optional.empty()).withCsi(Optional.of(csi)));
  }

  /** The disk's name: the last part of a managed disk's resource id. */
  static String diskName(String diskUri) {
    Matcher m = MANAGED_DISK.matcher(diskUri);
    if (!m.matches()) {
      throw new TranslationException("spec.csi.volumeHandle", "could not get disk name from " + diskUri
          + ", correct format: " + MANAGED_DISK.pattern());
    }
    return m.group(1);
  }

  private static Optional<String> attribute(CSIPersistentVolumeSource csi, String key) {
    for (Map.Entry<String, String> e : csi.volumeAttributes().entrySet()) {
      if (e.getKey().toLowerCase(Locale.ROOT).equals(key)) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  @Override
  public PersistentVolume translateCSIPVToInTree(PersistentVolume pv) {
    CSIPersistentVolumeSource csi = Plugins.csiOf(pv, DRIVER);
    Optional<String> fsType = attribute(csi, FSTYPE).filter(f -> !f.isEmpty()).or(csi::fsType);
    AzureDiskVolumeSource disk = new AzureDiskVolumeSource(diskName(csi.volumeHandle()), csi.volumeHandle(),
        attribute(csi, CACHING_MODE), fsType, csi.readOnly(),
        Optional.of(attribute(csi, KIND).filter(k -> !k.isEmpty()).orElse(MANAGED)));
    return pv.withSpec(pv.spec().withCsi(Optional.empty()).withAzureDisk(Optional.of(disk)));
  }

  @Override
  public StorageClass translateInTreeStorageClassToCSI(StorageClass sc) {
    return Topologies.zonalClass(sc, TOPOLOGY_KEY, false, AzureDiskPlugin::zoneValue);
  }

  /** A bare number is a fault domain of an unzoned region, not a zone: it becomes {@code ""}. */
  static String zoneValue(String v) {
    return !v.isEmpty() && v.chars().allMatch(Character::isDigit) ? "" : v;
  }

  @Override
  public PersistentVolume translateInTreeInlineVolumeToCSI(Volume volume, String podNamespace) {
    AzureDiskVolumeSource disk = volume.azureDisk().orElseThrow(
        () -> new TranslationException("azureDisk", "volume is nil or Azure Disk not defined on volume"));
    return Plugins.inlinePv(disk.diskURI(), csiFor(disk, "azureDisk"), AccessModes.READ_WRITE_ONCE);
  }
}
