package io.volumekit.core.migration;

import static io.volumekit.core.migration.Fixtures.in;
import static io.volumekit.core.migration.Fixtures.pv;
import static io.volumekit.core.migration.Fixtures.withAffinity;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.model.core.AWSElasticBlockStoreVolumeSource;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.AzureDiskVolumeSource;
import io.volumekit.model.core.AzureFileVolumeSource;
import io.volumekit.model.core.CinderVolumeSource;
import io.volumekit.model.core.GCEPersistentDiskVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PortworxVolumeSource;
import io.volumekit.model.core.VsphereVirtualDiskVolumeSource;
import io.volumekit.model.storage.StorageClass;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Round trips where Kubernetes round-trips (csi-translation-lib's translate_test.go {@code
 * TestTranslationStability} idea): an in-tree PV translated to CSI and back is the same PV, and a
 * CSI PV of a migrated driver stored in its in-tree form (as the external-provisioner stores it)
 * gives the same handle, driver and fsType when the kubelet translates it again.
 */
class RoundTripPropertiesTest {

  static final Gen<String> NAME = strings().betweenCodePoints('a', 'z').ofLengthBetween(1, 12);
  /** Bits of an int choose the optional fields. */
  static final Gen<Integer> BITS = integers().between(0, 255);

  static <T> Optional<T> opt(int bits, int bit, T value) {
    return (bits & (1 << bit)) != 0 ? Optional.of(value) : Optional.empty();
  }

  static boolean inTreeRoundTrip(InTreePlugin p, PersistentVolume in) {
    PersistentVolume csi = p.translateInTreePVToCSI(in);
    return csi.csi().isPresent() && csi.spec().sources().size() == 1 && p.translateCSIPVToInTree(csi).equals(in);
  }

  @Test
  void awsEbs() {
    qt().forAll(NAME, BITS, integers().between(1, 15)).check((id, bits, partition) -> inTreeRoundTrip(new AwsEbsPlugin(),
        pv("pv", Map.of(), s -> s.awsElasticBlockStore(Optional.of(new AWSElasticBlockStoreVolumeSource("vol-" + id,
            opt(bits, 0, "ext4"), opt(bits, 1, partition), opt(bits, 2, (bits & 8) != 0)))))));
  }

  @Test
  void gcePd() {
    qt().forAll(NAME, BITS, integers().between(1, 15)).check((disk, bits, partition) -> inTreeRoundTrip(new GcePdPlugin(),
        pv("pv", Map.of(), s -> s.accessModes(ImmutableList.of((bits & 16) != 0 ? AccessModes.READ_ONLY_MANY : AccessModes.READ_WRITE_ONCE))
            .gcePersistentDisk(Optional.of(new GCEPersistentDiskVolumeSource(disk, opt(bits, 0, "ext4"),
                opt(bits, 1, partition), opt(bits, 2, (bits & 8) != 0)))))));
  }

  @Test
  void azureDisk() {
    qt().forAll(NAME, BITS).check((disk, bits) -> inTreeRoundTrip(new AzureDiskPlugin(),
        pv("pv", Map.of(), s -> s.azureDisk(Optional.of(new AzureDiskVolumeSource(disk,
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/" + disk,
            opt(bits, 0, "ReadOnly"), opt(bits, 1, "xfs"), opt(bits, 2, (bits & 8) != 0), Optional.of("Managed")))))));
  }

  @Test
  void azureFile() {
    qt().forAll(NAME, NAME, NAME, BITS).check((secret, share, ns, bits) -> {
      PersistentVolume in = pv("pv-" + share, Map.of(), s -> s.azureFile(Optional.of(new AzureFileVolumeSource(
          (bits & 16) != 0 ? "azure-storage-account-" + secret + "-secret" : secret, share, opt(bits, 2, (bits & 8) != 0),
          Optional.of(ns)))));
      PersistentVolume annotated = (bits & 1) != 0
          ? in.withMetadata(in.metadata().withAnnotation(AzureFilePlugin.RESOURCE_GROUP_ANNOTATION, "rg-" + secret)) : in;
      return inTreeRoundTrip(new AzureFilePlugin(), annotated);
    });
  }

  @Test
  void cinder() {
    qt().forAll(NAME, BITS).check((id, bits) -> inTreeRoundTrip(new CinderPlugin(),
        pv("pv", Map.of(), s -> s.cinder(Optional.of(new CinderVolumeSource(id, opt(bits, 0, "ext4"),
            opt(bits, 2, (bits & 8) != 0), Optional.empty()))))));
  }

  @Test
  void vsphere() {
    qt().forAll(NAME, NAME, BITS).check((ds, disk, bits) -> inTreeRoundTrip(new VspherePlugin(),
        pv("pv", Map.of(), s -> s.vsphereVolume(Optional.of(new VsphereVirtualDiskVolumeSource(
            "[" + ds + "] kubevols/" + disk + ".vmdk", opt(bits, 0, "ext4"), opt(bits, 1, "gold-" + disk), Optional.empty()))))));
  }

  @Test
  void portworx() {
    qt().forAll(NAME, BITS).check((id, bits) -> {
      PersistentVolume in = pv("pv", Map.of(), s -> s.portworxVolume(Optional.of(new PortworxVolumeSource(id,
          opt(bits, 0, "ext4"), Optional.empty()))));
      PersistentVolume withSecret = (bits & 2) != 0
          ? in.withMetadata(in.metadata().withAnnotation(PortworxPlugin.SECRET_NAME, "s").withAnnotation(PortworxPlugin.SECRET_NAMESPACE, "n"))
          : in;
      return inTreeRoundTrip(new PortworxPlugin(), withSecret);
    });
  }

  /**
   * A CSI PV as a provisioner makes it (zone in the node affinity for the zonal drivers), stored in
   * its in-tree form and translated again, keeps its driver, handle, fsType and zone.
   */
  @Test
  void csiPvStoredInTreeKeepsHandleDriverAndZone() {
    List<Function<String, Map.Entry<String, String>>> drivers = List.of(
        id -> Map.entry(AwsEbsPlugin.DRIVER, "vol-" + id),
        id -> Map.entry(GcePdPlugin.DRIVER, "projects/UNSPECIFIED/zones/us-central1-b/disks/" + id),
        id -> Map.entry(CinderPlugin.DRIVER, id),
        id -> Map.entry(AzureDiskPlugin.DRIVER, "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/" + id),
        id -> Map.entry(VspherePlugin.DRIVER, "[ds] " + id + ".vmdk"),
        id -> Map.entry(PortworxPlugin.DRIVER, id));
    Map<String, String> zoneKeys = Map.of(AwsEbsPlugin.DRIVER, AwsEbsPlugin.TOPOLOGY_KEY, GcePdPlugin.DRIVER,
        GcePdPlugin.TOPOLOGY_KEY, CinderPlugin.DRIVER, CinderPlugin.TOPOLOGY_KEY);
    Map<String, String> zones = Map.of(AwsEbsPlugin.DRIVER, "us-east-1a", GcePdPlugin.DRIVER, "us-central1-b",
        CinderPlugin.DRIVER, "nova");
    CsiMigration m = CsiMigration.all();
    qt().forAll(integers().between(0, drivers.size() - 1), NAME, BITS).check((i, id, bits) -> {
      Map.Entry<String, String> d = drivers.get(i).apply(id);
      Optional<String> fs = opt(bits, 0, "ext4");
      PersistentVolume csi = pv("pvc-" + id, Map.of(), s -> s.accessModes(ImmutableList.of(AccessModes.READ_WRITE_ONCE))
          .csi(Optional.of(Plugins.csi(d.getKey(), d.getValue(), Optional.empty(), fs, ImmutableMap.of()))));
      if (zoneKeys.containsKey(d.getKey())) {
        csi = withAffinity(csi, in(zoneKeys.get(d.getKey()), zones.get(d.getKey())));
      }
      PersistentVolume stored = m.toInTree(csi);
      PersistentVolume again = m.toCsi(stored).orElseThrow();
      boolean zoneKept = !zoneKeys.containsKey(d.getKey())
          || Topologies.values(again, zoneKeys.get(d.getKey())).equals(List.of(zones.get(d.getKey())));
      return stored.csi().isEmpty() && m.isMigrated(stored)
          && again.csi().orElseThrow().driver().equals(d.getKey())
          && again.csi().orElseThrow().volumeHandle().equals(d.getValue())
          && Objects.equals(again.csi().orElseThrow().fsType().filter(f -> !f.isEmpty()), fs)
          && zoneKept;
    });
  }

  /** zone/zones parameters of a zonal class become one allowed-topology term with the same zones, in order. */
  @Test
  void classZonesBecomeTheDriverTopology() {
    qt().forAll(integers().between(0, 2), NAME, NAME).check((i, a, b) -> {
      InTreePlugin p = List.<InTreePlugin>of(new AwsEbsPlugin(), new GcePdPlugin(), new AzureDiskPlugin()).get(i);
      String key = List.of(AwsEbsPlugin.TOPOLOGY_KEY, GcePdPlugin.TOPOLOGY_KEY, AzureDiskPlugin.TOPOLOGY_KEY).get(i);
      StorageClass out = p.translateInTreeStorageClassToCSI(Fixtures.sc(p.inTreePluginName(), Map.of("zones", a + "," + b)));
      return out.allowedTopologies().equals(List.of(Fixtures.term(key, a, b))) && !out.parameters().containsKey("zones");
    });
  }
}
