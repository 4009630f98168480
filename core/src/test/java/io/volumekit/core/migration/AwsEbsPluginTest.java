package io.volumekit.core.migration;

import static io.volumekit.core.migration.Fixtures.in;
import static io.volumekit.core.migration.Fixtures.pv;
import static io.volumekit.core.migration.Fixtures.sc;
import static io.volumekit.core.migration.Fixtures.term;
import static io.volumekit.core.migration.Fixtures.withAffinity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volumekit.model.core.AWSElasticBlockStoreVolumeSource;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Volume;
import io.volumekit.model.storage.StorageClass;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Kubernetes' aws_ebs_test.go tables and topology cases of in_tree_volume_test.go, for EBS. */
class AwsEbsPluginTest {

  private final AwsEbsPlugin plugin = new AwsEbsPlugin();

  /** TestKubernetesVolumeIDToEBSVolumeID. */
  @ParameterizedTest
  @CsvSource({
    "vol-02399794d890f9375, vol-02399794d890f9375",
    "aws:///vol-02399794d890f9375, vol-02399794d890f9375",
    "aws://us-west-2a/vol-02399794d890f9375, vol-02399794d890f9375",
  })
  void kubernetesVolumeIdToEbsId(String kubernetesId, String ebsId) {
    assertThat(AwsEbsPlugin.ebsVolumeId(kubernetesId, "f")).isEqualTo(ebsId);
  }

  @Test
  void anIdWithoutTheVolPrefixAfterTheSchemeIsRefused() {
    assertThatThrownBy(() -> AwsEbsPlugin.ebsVolumeId("aws://us-west-2a/02399794d890f9375", "spec.awsElasticBlockStore.volumeID"))
        .isInstanceOf(TranslationException.class)
        .hasMessage("spec.awsElasticBlockStore.volumeID: Invalid format for AWS volume (aws://us-west-2a/02399794d890f9375)");
  }

  /** TestTranslateEBSInTreeStorageClassToCSI. */
  @Test
  void storageClassParameters() {
    assertThat(plugin.translateInTreeStorageClassToCSI(sc(AwsEbsPlugin.IN_TREE, Map.of("foo", "bar"))).parameters())
        .isEqualTo(Map.of("foo", "bar"));
    assertThat(plugin.translateInTreeStorageClassToCSI(sc(AwsEbsPlugin.IN_TREE, Map.of())).parameters()).isEmpty();
    assertThat(plugin.translateInTreeStorageClassToCSI(sc(AwsEbsPlugin.IN_TREE, Map.of("fstype", "ext3"))).parameters())
        .isEqualTo(Map.of("csi.storage.k8s.io/fstype", "ext3"));
    assertThat(plugin.translateInTreeStorageClassToCSI(sc(AwsEbsPlugin.IN_TREE, Map.of("iopsPerGB", "100"))).parameters())
        .isEqualTo(Map.of("iopsPerGB", "100", "allowautoiopspergbincrease", "true"));
  }

  @Test
  void storageClassZonesBecomeAllowedTopologiesOnTheDriverKey() {
    StorageClass out = plugin.translateInTreeStorageClassToCSI(sc(AwsEbsPlugin.IN_TREE, Map.of("zones", "us-east-1a,us-east-1b")));
    assertThat(out.parameters()).isEmpty();
    assertThat(out.allowedTopologies()).containsExactly(term(AwsEbsPlugin.TOPOLOGY_KEY, "us-east-1a", "us-east-1b"));
    StorageClass ga = plugin.translateInTreeStorageClassToCSI(
        sc(AwsEbsPlugin.IN_TREE, Map.of(), term("topology.kubernetes.io/zone", "us-east-1a"), term("other", "x")));
    assertThat(ga.allowedTopologies()).containsExactly(term(AwsEbsPlugin.TOPOLOGY_KEY, "us-east-1a"), term("other", "x"));
  }

  /** TestTranslateInTreeInlineVolumeToCSI. */
  @ParameterizedTest
  @CsvSource({"vol-02399794d890f9375", "aws:///vol-02399794d890f9375", "aws://us-west-2a/vol-02399794d890f9375"})
  void inlineVolume(String id) {
    PersistentVolume pv = plugin.translateInTreeInlineVolumeToCSI(
        Volume.of("volume", new AWSElasticBlockStoreVolumeSource(id, Optional.empty(), Optional.empty(), Optional.empty())), "");
    assertThat(pv.metadata().name()).isEqualTo("ebs.csi.aws.com-vol-02399794d890f9375");
    assertThat(pv.csi().orElseThrow().volumeHandle()).isEqualTo("vol-02399794d890f9375");
    assertThat(pv.spec().accessModes()).containsExactly(AccessModes.READ_WRITE_ONCE);
    assertThat(pv.spec().volumeMode()).contains("Filesystem");
  }

  @Test
  void inlineVolumeWithAnInvalidIdIsRefused() {
    assertThatThrownBy(() -> plugin.translateInTreeInlineVolumeToCSI(Volume.of("volume",
        new AWSElasticBlockStoreVolumeSource("aws://us-west-2a/02399794d890f9375", Optional.empty(), Optional.empty(),
            Optional.empty())), "")).isInstanceOf(TranslationException.class);
  }

  /** TestGetAwsRegionFromZones. */
  @Test
  void regionFromZones() {
    assertThat(Topologies.awsRegion(List.of("us-west-2a", "us-west-2b"))).isEqualTo("us-west-2");
    assertThat(Topologies.awsRegion(List.of("us-gov-east-1a"))).isEqualTo("us-gov-east-1");
    assertThat(Topologies.awsRegion(List.of("us-east-1-wl1-bos-wlz-1"))).isEqualTo("us-east-1");
    assertThat(Topologies.awsRegion(List.of("us-west-2-lax-1a"))).isEqualTo("us-west-2");
    for (List<String> bad : List.of(List.<String>of(), List.of("us-west-2a", "us-east-1a"), List.of("us-west-2"),
        List.of("us-west-2ab"), List.of("us-west"))) {
      assertThatThrownBy(() -> Topologies.awsRegion(bad)).as("%s", bad).isInstanceOf(TranslationException.class);
    }
  }

  @Test
  void pvWithAZoneLabelGetsTheDriverZoneInItsNodeAffinityAndThePartitionAsAnAttribute() {
    PersistentVolume in = pv("pv", Map.of("topology.kubernetes.io/zone", "us-east-1a"), s -> s.awsElasticBlockStore(
        Optional.of(new AWSElasticBlockStoreVolumeSource("aws://us-east-1a/vol-1", Optional.of("ext4"), Optional.of(2),
            Optional.of(true)))));
    PersistentVolume out = plugin.translateInTreePVToCSI(in);
    assertThat(out.spec().awsElasticBlockStore()).isEmpty();
    CSIPersistentVolumeSource csi = out.csi().orElseThrow();
    assertThat(csi.driver()).isEqualTo("ebs.csi.aws.com");
    assertThat(csi.volumeHandle()).isEqualTo("vol-1");
    assertThat(csi.fsType()).contains("ext4");
    assertThat(csi.readOnly()).contains(true);
    assertThat(csi.volumeAttributes()).isEqualTo(Map.of("partition", "2"));
    assertThat(out).isEqualTo(withAffinity(out.withSpec(out.spec().withNodeAffinity(Optional.empty())),
        in(AwsEbsPlugin.TOPOLOGY_KEY, "us-east-1a")));
    // back: the zone key is the label the PV used, with the region computed from it
    PersistentVolume back = plugin.translateCSIPVToInTree(out);
    assertThat(back.spec().awsElasticBlockStore()).contains(
        new AWSElasticBlockStoreVolumeSource("vol-1", Optional.of("ext4"), Optional.of(2), Optional.of(true)));
    assertThat(back.metadata().labels()).isEqualTo(
        Map.of("topology.kubernetes.io/zone", "us-east-1a", "topology.kubernetes.io/region", "us-east-1"));
    assertThat(Topologies.values(back, "topology.kubernetes.io/region")).containsExactly("us-east-1");
  }
}
