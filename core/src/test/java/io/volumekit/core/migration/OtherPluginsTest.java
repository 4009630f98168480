package io.volumekit.core.migration;

import static io.volumekit.core.migration.Fixtures.in;
import static io.volumekit.core.migration.Fixtures.pv;
import static io.volumekit.core.migration.Fixtures.sc;
import static io.volumekit.core.migration.Fixtures.term;
import static io.volumekit.core.migration.Fixtures.withAffinity;
import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.CinderVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PortworxVolumeSource;
import io.volumekit.model.core.SecretReference;
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VsphereVirtualDiskVolumeSource;
import io.volumekit.model.storage.StorageClass;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Kubernetes' openstack_cinder_test.go, vsphere_volume_test.go and portworx_test.go tables. */
class OtherPluginsTest {

  private final CinderPlugin cinder = new CinderPlugin();
  private final VspherePlugin vsphere = new VspherePlugin();
  private final PortworxPlugin portworx = new PortworxPlugin();

  @Test
  void cinderStorageClassRenamesOnlyFsType() {
    StorageClass out = cinder.translateInTreeStorageClassToCSI(sc(CinderPlugin.IN_TREE, Map.of("fstype", "ext3", "availability", "nova"),
        term("failure-domain.beta.kubernetes.io/zone", "nova")));
    assertThat(out.parameters()).isEqualTo(Map.of("csi.storage.k8s.io/fstype", "ext3", "availability", "nova"));
    assertThat(out.allowedTopologies()).containsExactly(term("topology.cinder.csi.openstack.org/zone", "nova"));
  }

  @Test
  void cinderPvAndBackWithoutRegion() {
    PersistentVolume in = withAffinity(pv("pv", Map.of(), s -> s.cinder(Optional.of(new CinderVolumeSource("id", Optional.of("ext4"),
        Optional.of(true), Optional.empty())))), in("topology.kubernetes.io/zone", "nova"));
    PersistentVolume out = cinder.translateInTreePVToCSI(in);
    CSIPersistentVolumeSource csi = out.csi().orElseThrow();
    assertThat(csi.volumeHandle()).isEqualTo("id");
    assertThat(csi.volumeAttributes()).isEmpty();
    assertThat(Topologies.terms(out).get(0).matchExpressions()).containsExactly(in(CinderPlugin.TOPOLOGY_KEY, "nova"));
    PersistentVolume back = cinder.translateCSIPVToInTree(out);
    assertThat(back.spec()).isEqualTo(in.spec());
    assertThat(back.metadata().labels()).isEqualTo(Map.of("topology.kubernetes.io/zone", "nova"));
    assertThat(cinder.translateInTreeInlineVolumeToCSI(Volume.of("v", new CinderVolumeSource("id", Optional.empty(),
        Optional.empty(), Optional.empty())), "").metadata().name()).isEqualTo("cinder.csi.openstack.org-id");
  }

  /** TestTranslatevSphereInTreeStorageClassToCSI. */
  @Test
  void vsphereStorageClass() {
    StorageClass out = vsphere.translateInTreeStorageClassToCSI(sc(VspherePlugin.IN_TREE,
        Map.of("storagepolicyname", "test-policy-name", "datastore", "vsanDatastore")));
    assertThat(out.parameters()).isEqualTo(Map.of("storagepolicyname", "test-policy-name",
        "datastore-migrationparam", "vsanDatastore", "csimigration", "true"));
    Map<String, String> all = new HashMap<>();
    for (String k : new String[] {"diskformat", "hostfailurestotolerate", "forceprovisioning", "cachereservation",
        "diskstripes", "objectspacereservation", "iopslimit"}) {
      all.put(k, "1");
    }
    all.put("fstype", "ext4");
    all.put("unknown", "dropped");
    Map<String, String> expected = new HashMap<>();
    all.forEach((k, v) -> {
      if (!k.equals("fstype") && !k.equals("unknown")) {
        expected.put(k + "-migrationparam", v);
      }
    });
    expected.put("csi.storage.k8s.io/fstype", "ext4");
    expected.put("csimigration", "true");
    assertThat(vsphere.translateInTreeStorageClassToCSI(sc(VspherePlugin.IN_TREE, all)).parameters()).isEqualTo(expected);
  }

  /** TestTranslateVSphereInTreePVToCSI. */
  @Test
  void vspherePv() {
    String path = "[vsanDatastore] 6785a85e-268e-6352-a2e8-02008b7afadd/kubernetes-dynamic-pvc-68734c9f-a679-42e6-a694-39632c51e31f.vmdk";
    PersistentVolume in = pv("pv", Map.of("topology.kubernetes.io/zone", "z-a", "topology.kubernetes.io/region", "r-1"),
        s -> s.vsphereVolume(Optional.of(new VsphereVirtualDiskVolumeSource(path, Optional.of("ext4"),
            Optional.of("vSAN Default Storage Policy"), Optional.empty()))));
    PersistentVolume out = vsphere.translateInTreePVToCSI(in);
    CSIPersistentVolumeSource csi = out.csi().orElseThrow();
    assertThat(csi.volumeHandle()).isEqualTo(path);
    assertThat(csi.volumeAttributes()).isEqualTo(Map.of("storagepolicyname", "vSAN Default Storage Policy"));
    assertThat(Topologies.terms(out).get(0).matchExpressions())
        .containsExactly(in(VspherePlugin.ZONE_KEY, "z-a"), in(VspherePlugin.REGION_KEY, "r-1"));
    PersistentVolume back = vsphere.translateCSIPVToInTree(out);
    assertThat(back.spec().vsphereVolume()).isEqualTo(in.spec().vsphereVolume());
    assertThat(back.metadata().labels()).isEqualTo(in.metadata().labels());
  }

  @Test
  void vsphereRollbackReadsTheInitialVolumePath() {
    PersistentVolume csi = pv("pv", Map.of(), s -> s.csi(Optional.of(Plugins.csi(VspherePlugin.DRIVER, "fcd-id",
        Optional.empty(), Optional.empty(), com.google.common.collect.ImmutableMap.of("initialvolumefilepath", "[ds] a.vmdk")))));
    assertThat(vsphere.translateCSIPVToInTree(csi).spec().vsphereVolume().orElseThrow().volumePath()).isEqualTo("[ds] a.vmdk");
  }

  /** TestTranslatePortworxInTreeStorageClassToCSI. */
  @Test
  void portworxStorageClass() {
    StorageClass out = portworx.translateInTreeStorageClassToCSI(sc(PortworxPlugin.IN_TREE,
        Map.of("repl", "1", "openstorage.io/auth-secret-name", "s", "openstorage.io/auth-secret-namespace", "ns")));
    assertThat(out.provisioner()).isEqualTo("pxd.portworx.com");
    assertThat(out.parameters()).containsEntry("repl", "1")
        .containsEntry("csi.storage.k8s.io/provisioner-secret-name", "s")
        .containsEntry("csi.storage.k8s.io/node-publish-secret-namespace", "ns")
        .containsEntry("csi.storage.k8s.io/controller-expand-secret-name", "s")
        .hasSize(3 + 12);
    assertThat(portworx.translateInTreeStorageClassToCSI(sc(PortworxPlugin.IN_TREE, Map.of("repl", "1"))).parameters())
        .isEqualTo(Map.of("repl", "1"));
  }

  /** TestTranslatePortworxInTreePVToCSI and its reverse. */
  @Test
  void portworxPv() {
    PersistentVolume in = pv("pv", Map.of(), s -> s.portworxVolume(Optional.of(new PortworxVolumeSource("ID", Optional.of("type"),
        Optional.empty()))));
    in = in.withMetadata(in.metadata().withAnnotation(PortworxPlugin.SECRET_NAME, "s")
        .withAnnotation(PortworxPlugin.SECRET_NAMESPACE, "ns"));
    CSIPersistentVolumeSource csi = portworx.translateInTreePVToCSI(in).csi().orElseThrow();
    assertThat(csi.volumeHandle()).isEqualTo("ID");
    assertThat(csi.fsType()).contains("type");
    SecretReference ref = new SecretReference("s", Optional.of("ns"));
    assertThat(csi.controllerPublishSecretRef()).contains(ref);
    assertThat(csi.nodeStageSecretRef()).contains(ref);
    assertThat(csi.nodePublishSecretRef()).contains(ref);
    assertThat(csi.controllerExpandSecretRef()).contains(ref);
    assertThat(csi.nodeExpandSecretRef()).contains(ref);
    assertThat(portworx.translateCSIPVToInTree(portworx.translateInTreePVToCSI(in)).spec()).isEqualTo(in.spec());
    PersistentVolume inline = portworx.translateInTreeInlineVolumeToCSI(Volume.of("v", new PortworxVolumeSource("ID",
        Optional.empty(), Optional.of(true))), "");
    assertThat(inline.metadata().name()).isEqualTo("pxd.portworx.com-ID");
    assertThat(inline.spec().accessModes()).containsExactly(AccessModes.READ_ONLY_MANY);
  }
}
