package io.volumekit.core.migration;

import static io.volumekit.core.migration.Fixtures.in;
import static io.volumekit.core.migration.Fixtures.pv;
import static io.volumekit.core.migration.Fixtures.sc;
import static io.volumekit.core.migration.Fixtures.term;
import static io.volumekit.core.migration.Fixtures.withAffinity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.GCEPersistentDiskVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Volume;
import io.volumekit.model.storage.StorageClass;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kubernetes' gce_pd_test.go tables, and the GCE cases of in_tree_volume_test.go. */
class GcePdPluginTest {

  private final GcePdPlugin plugin = new GcePdPlugin();

  private static PersistentVolume pd(Map<String, String> labels, List<String> modes) {
    return pv("pv", labels, s -> s.accessModes(com.google.common.collect.ImmutableList.copyOf(modes)).gcePersistentDisk(
        Optional.of(new GCEPersistentDiskVolumeSource("pd-name", Optional.empty(), Optional.empty(), Optional.empty()))));
  }

  /** TestTranslatePDInTreeStorageClassToCSI. */
  @Test
  void storageClass() {
    StorageClass zone = plugin.translateInTreeStorageClassToCSI(sc(GcePdPlugin.IN_TREE, Map.of("zone", "foo")));
    assertThat(zone.parameters()).isEmpty();
    assertThat(zone.allowedTopologies()).containsExactly(term("topology.gke.io/zone", "foo"));
    StorageClass zones = plugin.translateInTreeStorageClassToCSI(sc(GcePdPlugin.IN_TREE, Map.of("zones", "foo,bar,baz")));
    assertThat(zones.allowedTopologies()).containsExactly(term("topology.gke.io/zone", "foo", "bar", "baz"));
    StorageClass beta = plugin.translateInTreeStorageClassToCSI(
        sc(GcePdPlugin.IN_TREE, Map.of(), term("failure-domain.beta.kubernetes.io/zone", "foo")));
    assertThat(beta.allowedTopologies()).containsExactly(term("topology.gke.io/zone", "foo"));
    assertThatThrownBy(() -> plugin.translateInTreeStorageClassToCSI(
        sc(GcePdPlugin.IN_TREE, Map.of("zone", "foo"), term("topology.kubernetes.io/zone", "foo"))))
        .isInstanceOf(TranslationException.class)
        .hasMessageContaining("cannot simultaneously set allowed topologies and zone/zones parameters");
    assertThat(plugin.translateInTreeStorageClassToCSI(sc(GcePdPlugin.IN_TREE, Map.of("FSType", "xfs", "type", "pd-ssd")))
        .parameters()).isEqualTo(Map.of("csi.storage.k8s.io/fstype", "xfs", "type", "pd-ssd"));
  }

  /** TestTranslateInTreePVToCSIVolIDFmt. */
  @ParameterizedTest
  @CsvSource({
    "failure-domain.beta.kubernetes.io/zone, us-east1-a, projects/UNSPECIFIED/zones/us-east1-a/disks/pd-name",
    "topology.kubernetes.io/zone, us-east1-a, projects/UNSPECIFIED/zones/us-east1-a/disks/pd-name",
    "failure-domain.beta.kubernetes.io/zone, us-central1-a__us-central1-c, projects/UNSPECIFIED/regions/us-central1/disks/pd-name",
    "topology.kubernetes.io/zone, us-central1-a__us-central1-c, projects/UNSPECIFIED/regions/us-central1/disks/pd-name",
  })
  void volumeHandleFromTheZoneLabel(String label, String zones, String handle) {
    PersistentVolume out = plugin.translateInTreePVToCSI(pd(Map.of(label, zones), List.of(AccessModes.READ_WRITE_ONCE)));
    assertThat(out.csi().orElseThrow().volumeHandle()).isEqualTo(handle);
    assertThat(out.csi().orElseThrow().volumeAttributes()).isEqualTo(Map.of("partition", ""));
  }

  @Test
  void withoutAZoneTheHandleIsUnspecified() {
    assertThat(plugin.translateInTreePVToCSI(pd(Map.of(), List.of())).csi().orElseThrow().volumeHandle())
        .isEqualTo("projects/UNSPECIFIED/zones/UNSPECIFIED/disks/pd-name");
  }

  /** TestBackwardCompatibleAccessModes. */
  @Test
  void accessModesTheDriverAccepts() {
    String rwo = AccessModes.READ_WRITE_ONCE;
    String rox = AccessModes.READ_ONLY_MANY;
    String rwx = AccessModes.READ_WRITE_MANY;
    assertThat(GcePdPlugin.accessModes(List.of(rwx))).containsExactly(rwo);
    assertThat(GcePdPlugin.accessModes(List.of(rox, rwo))).containsExactly(rwo);
    assertThat(GcePdPlugin.accessModes(List.of(rox))).containsExactly(rox);
    assertThat(GcePdPlugin.accessModes(List.of(rox, rwx))).containsExactly(rwo);
    assertThat(GcePdPlugin.accessModes(List.of())).containsExactly(rwo);
    assertThat(plugin.translateInTreePVToCSI(pd(Map.of(), List.of(rwx))).spec().accessModes()).containsExactly(rwo);
  }

  /** TestRepairVolumeHandle. */
  @ParameterizedTest
  @CsvSource({
    "projects/UNSPECIFIED/zones/UNSPECIFIED/disks/baz, projects/bing/zones/bada/instances/boom, projects/bing/zones/bada/disks/baz",
    "projects/UNSPECIFIED/regions/UNSPECIFIED/disks/baz, projects/bing/zones/us-central1-c/instances/boom, projects/bing/regions/us-central1/disks/baz",
    "projects/UNSPECIFIED/zones/bada/disks/baz, projects/bing/zones/boom/instances/boom, projects/bing/zones/bada/disks/baz",
    "projects/bar/zones/bada/disks/baz, projects/bing/zones/bada/instances/boom, projects/bar/zones/bada/disks/baz",
  })
  void repairVolumeHandle(String handle, String node, String repaired) {
    assertThat(plugin.repairVolumeHandle(handle, node)).isEqualTo(repaired);
  }

  @Test
  void repairRefusesShortHandles() {
    assertThatThrownBy(() -> plugin.repairVolumeHandle("projects/UNSPECIFIED/zones", "projects/b/zones/z/instances/i"))
        .isInstanceOf(TranslationException.class);
    assertThatThrownBy(() -> plugin.repairVolumeHandle("projects/UNSPECIFIED/zones/z/disks/d", "projects/b"))
        .isInstanceOf(TranslationException.class);
  }

  /** TestTranslateInTreeInlineVolumeToCSI (gce): access from readOnly, unique name per disk. */
  @Test
  void inlineVolume() {
    PersistentVolume ro = plugin.translateInTreeInlineVolumeToCSI(Volume.of("v", new GCEPersistentDiskVolumeSource(
        "disk", Optional.of("ext4"), Optional.of(1), Optional.of(true))), "");
    assertThat(ro.metadata().name()).isEqualTo("pd.csi.storage.gke.io-disk");
    assertThat(ro.spec().accessModes()).containsExactly(AccessModes.READ_ONLY_MANY);
    assertThat(ro.csi().orElseThrow().volumeAttributes()).isEqualTo(Map.of("partition", "1"));
    PersistentVolume rw = plugin.translateInTreeInlineVolumeToCSI(Volume.of("v", new GCEPersistentDiskVolumeSource(
        "disk", Optional.empty(), Optional.empty(), Optional.empty())), "");
    assertThat(rw.spec().accessModes()).containsExactly(AccessModes.READ_WRITE_ONCE);
    assertThat(rw.csi().orElseThrow().volumeHandle()).isEqualTo("projects/UNSPECIFIED/zones/UNSPECIFIED/disks/disk");
  }

  /** in_tree_volume_test.go TestTranslateTopologyFromInTreeToCSI: beta zone and region in the node affinity. */
  @Test
  void betaTopologyKeysInTheNodeAffinity() {
    PersistentVolume in = withAffinity(pd(Map.of(), List.of(AccessModes.READ_WRITE_ONCE)),
        in("failure-domain.beta.kubernetes.io/zone", "us-west2-b"), in("failure-domain.beta.kubernetes.io/region", "us-west2"));
    PersistentVolume out = plugin.translateInTreePVToCSI(in);
    assertThat(Topologies.terms(out)).hasSize(1);
    assertThat(Topologies.terms(out).get(0).matchExpressions())
        .containsExactly(in("topology.gke.io/zone", "us-west2-b"), in("topology.kubernetes.io/region", "us-west2"));
  }

  /** in_tree_volume_test.go TestTranslateTopologyFromCSIToInTree: the GA zone key and a derived region. */
  @Test
  void csiTopologyBackToKubernetesLabels() {
    PersistentVolume csi = withAffinity(pv("pv", Map.of(), s -> s.csi(Optional.of(Plugins.csi(GcePdPlugin.DRIVER,
        "projects/p/zones/us-east1-a/disks/d", Optional.empty(), Optional.empty(), com.google.common.collect.ImmutableMap.of())))),
        in("topology.gke.io/zone", "us-east1-a"));
    PersistentVolume back = plugin.translateCSIPVToInTree(csi);
    assertThat(back.spec().gcePersistentDisk().orElseThrow().pdName()).isEqualTo("d");
    assertThat(Topologies.terms(back).get(0).matchExpressions())
        .containsExactly(in("topology.kubernetes.io/zone", "us-east1-a"), in("topology.kubernetes.io/region", "us-east1"));
    assertThat(back.metadata().labels())
        .isEqualTo(Map.of("topology.kubernetes.io/zone", "us-east1-a", "topology.kubernetes.io/region", "us-east1"));
  }
}
