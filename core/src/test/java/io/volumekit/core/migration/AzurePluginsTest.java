package io.volumekit.core.migration;

import static io.volumekit.core.migration.Fixtures.pv;
import static io.volumekit.core.migration.Fixtures.sc;
import static io.volumekit.core.migration.Fixtures.term;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableMap;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.AzureDiskVolumeSource;
import io.volumekit.model.core.AzureFileVolumeSource;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.SecretReference;
import io.volumekit.model.core.Volume;
import io.volumekit.model.meta.ObjectReferenceBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Kubernetes' azure_disk_test.go and azure_file_test.go tables. */
class AzurePluginsTest {

  static final String DISK_URI =
      "/subscriptions/12/resourceGroups/23/providers/Microsoft.Compute/disks/name";

  private final AzureDiskPlugin disk = new AzureDiskPlugin();
  private final AzureFilePlugin file = new AzureFilePlugin();

  /** TestTranslateAzureDiskInTreePVToCSI: cachingMode and fsType become attributes, kind Managed. */
  @Test
  void diskPv() {
    PersistentVolume in = pv("pv", Map.of(), s -> s.azureDisk(Optional.of(new AzureDiskVolumeSource("name", DISK_URI,
        Optional.of("ReadOnly"), Optional.of("fstype"), Optional.of(true), Optional.empty()))));
    CSIPersistentVolumeSource csi = disk.translateInTreePVToCSI(in).csi().orElseThrow();
    assertThat(csi.driver()).isEqualTo("disk.csi.azure.com");
    assertThat(csi.volumeHandle()).isEqualTo(DISK_URI);
    assertThat(csi.volumeAttributes()).isEqualTo(Map.of("cachingmode", "ReadOnly", "fstype", "fstype", "kind", "Managed"));
    assertThat(csi.fsType()).contains("fstype");
    assertThat(csi.readOnly()).contains(true);
    AzureDiskVolumeSource back = disk.translateCSIPVToInTree(disk.translateInTreePVToCSI(in)).spec().azureDisk().orElseThrow();
    assertThat(back).isEqualTo(new AzureDiskVolumeSource("name", DISK_URI, Optional.of("ReadOnly"), Optional.of("fstype"),
        Optional.of(true), Optional.of("Managed")));
  }

  @Test
  void onlyManagedDisksMigrate() {
    PersistentVolume shared = pv("pv", Map.of(), s -> s.azureDisk(Optional.of(new AzureDiskVolumeSource("name", DISK_URI,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("Shared")))));
    assertThatThrownBy(() -> disk.translateInTreePVToCSI(shared)).isInstanceOf(TranslationException.class)
        .hasMessageStartingWith("spec.azureDisk.kind: kind \"Shared\" cannot be migrated");
    assertThatThrownBy(() -> AzureDiskPlugin.diskName("https://account.blob.core.windows.net/vhds/disk.vhd"))
        .isInstanceOf(TranslationException.class);
  }

  @Test
  void diskStorageClassKeepsFsTypeAndBlanksFaultDomains() {
    var out = disk.translateInTreeStorageClassToCSI(sc(AzureDiskPlugin.IN_TREE, Map.of("fstype", "ext4", "skuName", "Premium_LRS"),
        term("topology.kubernetes.io/zone", "eastus-1", "0")));
    assertThat(out.parameters()).isEqualTo(Map.of("fstype", "ext4", "skuName", "Premium_LRS"));
    assertThat(out.allowedTopologies()).containsExactly(term("topology.disk.csi.azure.com/zone", "eastus-1", ""));
  }

  @Test
  void diskInline() {
    PersistentVolume pv = disk.translateInTreeInlineVolumeToCSI(Volume.of("v", new AzureDiskVolumeSource("name", DISK_URI,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty())), "");
    assertThat(pv.spec().accessModes()).containsExactly(AccessModes.READ_WRITE_ONCE);
    assertThat(pv.csi().orElseThrow().volumeAttributes()).isEqualTo(Map.of("kind", "Managed"));
  }

  /** TestTranslateAzureFileInTreeInlineVolumeToCSI: no pod namespace gives {@code default}. */
  @Test
  void fileInline() {
    PersistentVolume pv = file.translateInTreeInlineVolumeToCSI(Volume.of("name",
        new AzureFileVolumeSource("secretname", "sharename", Optional.empty(), Optional.empty())), "");
    CSIPersistentVolumeSource csi = pv.csi().orElseThrow();
    assertThat(csi.volumeHandle()).isEqualTo("#secretname#sharename#name#default");
    assertThat(csi.nodeStageSecretRef()).contains(new SecretReference("secretname", Optional.of("default")));
    assertThat(csi.volumeAttributes()).isEqualTo(Map.of("sharename", "sharename"));
    assertThat(pv.spec().accessModes()).containsExactly(AccessModes.READ_WRITE_MANY);
    assertThat(file.translateInTreeInlineVolumeToCSI(Volume.of("name", new AzureFileVolumeSource(
        "azure-storage-account-acct-secret", "s", Optional.of(true), Optional.empty())), "team").csi().orElseThrow().volumeHandle())
        .isEqualTo("#acct#s#name#team");
  }

  /** TestTranslateAzureFileInTreePVToCSI: resource group from the annotation, namespace from the source. */
  @Test
  void filePv() {
    PersistentVolume in = pv("uuid", Map.of(), s -> s.azureFile(Optional.of(new AzureFileVolumeSource("secretname",
        "sharename", Optional.empty(), Optional.of("secretnamespace")))));
    in = in.withMetadata(in.metadata().withAnnotation(AzureFilePlugin.RESOURCE_GROUP_ANNOTATION, "rg"));
    PersistentVolume out = file.translateInTreePVToCSI(in);
    assertThat(out.csi().orElseThrow().volumeHandle()).isEqualTo("rg#secretname#sharename#uuid#secretnamespace");
    assertThat(out.csi().orElseThrow().nodeStageSecretRef())
        .contains(new SecretReference("secretname", Optional.of("secretnamespace")));
    assertThat(file.translateCSIPVToInTree(out)).isEqualTo(in);
  }

  @Test
  void filePvTakesTheClaimNamespaceAndFailsWithoutAny() {
    PersistentVolume noNs = pv("uuid", Map.of(), s -> s.azureFile(Optional.of(new AzureFileVolumeSource("secretname",
        "sharename", Optional.empty(), Optional.empty()))));
    assertThatThrownBy(() -> file.translateInTreePVToCSI(noNs)).isInstanceOf(TranslationException.class)
        .hasMessageStartingWith("spec.azureFile.secretNamespace:");
    PersistentVolume claimed = noNs.withSpec(noNs.spec().withClaimRef(Optional.of(ObjectReferenceBuilder.builder()
        .namespace(Optional.of("team")).name(Optional.of("data")).build())));
    assertThat(file.translateInTreePVToCSI(claimed).csi().orElseThrow().volumeHandle()).isEqualTo("#secretname#sharename#uuid#team");
  }

  /** TestTranslateCSIPVToInTree (azure file): without attributes, the share and account come from the handle. */
  @Test
  void fileFromAHandleAlone() {
    PersistentVolume csi = pv("pv", Map.of(), s -> s.csi(Optional.of(Plugins.csi(AzureFilePlugin.DRIVER,
        "rg#f5713de20cde511e8ba4900#pvc-file-dynamic-17e43f84-f474-11e8-acd0-000d3a00df41#diskname.vhd",
        Optional.empty(), Optional.empty(), ImmutableMap.of()))));
    PersistentVolume back = file.translateCSIPVToInTree(csi);
    assertThat(back.spec().azureFile()).contains(new AzureFileVolumeSource("azure-storage-account-f5713de20cde511e8ba4900-secret",
        "pvc-file-dynamic-17e43f84-f474-11e8-acd0-000d3a00df41", Optional.empty(), Optional.of("default")));
    assertThat(back.metadata().annotation(AzureFilePlugin.RESOURCE_GROUP_ANNOTATION)).contains("rg");
    assertThat(file.translateInTreeStorageClassToCSI(sc(AzureFilePlugin.IN_TREE, Map.of("skuName", "x"))).parameters())
        .isEqualTo(Map.of("skuName", "x"));
  }
}
