package io.volumekit.cli.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volumekit.cli.error.CliException;
import io.volumekit.model.meta.KindInfo;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class KindRegistryTest {

  private final KindRegistry kinds = KindRegistry.STANDARD;

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "pv, PersistentVolume", "persistentvolumes, PersistentVolume", "persistentvolume, PersistentVolume",
      "PersistentVolume, PersistentVolume", "pvc, PersistentVolumeClaim", "sc, StorageClass",
      "storageclasses.storage.k8s.io, StorageClass", "storageclass.v1.storage.k8s.io, StorageClass",
      "po, Pod", "pods, Pod", "no, Node", "volumeattachments, VolumeAttachment", "csidrivers, CSIDriver",
      "csinodes, CSINode", "vs, VolumeSnapshot", "vsc, VolumeSnapshotContent", "vsclass, VolumeSnapshotClass",
      "ev, Event", "events, Event", "pvc.v1., PersistentVolumeClaim"})
  void resolvesKubectlSpellings(String spelling, String kind) {
    assertThat(kinds.resolve(spelling).kind()).isEqualTo(kind);
  }

  @Test
  void unknownTypeReadsLikeKubectl() {
    assertThatThrownBy(() -> kinds.resolve("foo"))
        .isInstanceOf(CliException.class)
        .hasMessage("error: the server doesn't have a resource type \"foo\"");
    assertThatThrownBy(() -> kinds.resolve("pvc.apps")).hasMessageContaining("\"pvc.apps\"");
  }

  @Test
  void commaListsKeepOrderWithoutRepeats() {
    assertThat(kinds.resolveAll("pv,pvc,pv").stream().map(KindInfo::kind))
        .containsExactly("PersistentVolume", "PersistentVolumeClaim");
  }

  @Test
  void argumentForms() {
    ResourceArgs listed = ResourceArgs.parse(List.of("pv,pvc"), kinds, "get");
    assertThat(listed.requests()).hasSize(2).allMatch(r -> r.name().isEmpty());
    assertThat(listed.singleItem()).isFalse();

    ResourceArgs one = ResourceArgs.parse(List.of("pvc", "data"), kinds, "get");
    assertThat(one.singleItem()).isTrue();
    assertThat(one.requests().get(0).name()).contains("data");

    ResourceArgs slash = ResourceArgs.parse(List.of("pvc/data", "sc/standard"), kinds, "get");
    assertThat(slash.singleItem()).isFalse();
    assertThat(slash.kinds().stream().map(KindInfo::kind)).containsExactly("PersistentVolumeClaim", "StorageClass");

    assertThat(ResourceArgs.parse(List.of("pvc", "a", "b"), kinds, "get").singleItem()).isFalse();
  }

  @Test
  void mixingFormsOrNamingNothingIsAUsageError() {
    assertThatThrownBy(() -> ResourceArgs.parse(List.of("pvc", "pvc/data"), kinds, "get"))
        .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.USAGE))
        .hasMessageContaining("there is no need to specify a resource type as a separate argument");
    assertThatThrownBy(() -> ResourceArgs.parse(List.of(), kinds, "get"))
        .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.USAGE))
        .hasMessageStartingWith("error: You must specify the type of resource to get");
  }
}
