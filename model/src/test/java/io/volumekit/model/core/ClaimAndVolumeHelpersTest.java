package io.volumekit.model.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectReference;
import io.volumekit.model.quantity.Quantity;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClaimAndVolumeHelpersTest {
  static PersistentVolumeClaim claim(String uid) {
    return PersistentVolumeClaimBuilder.builder()
        .metadata(ObjectMeta.named("default", "data").withUid(Optional.of(uid)))
        .build();
  }

  static PersistentVolume volume(ObjectReference ref) {
    return PersistentVolumeBuilder.builder()
        .metadata(ObjectMeta.named("pv1"))
        .spec(PersistentVolumeSpecBuilder.builder().claimRef(Optional.ofNullable(ref))
            .capacity(com.google.common.collect.ImmutableMap.of("storage", Quantity.parse("1Gi"))).build())
        .build();
  }

  @Test
  void volumeIsBoundToClaimByNamespaceNameAndUid() {
    assertThat(volume(ObjectReference.named("default", "data")).isBoundTo(claim("u1"))).isTrue();
    assertThat(volume(ObjectReference.named("default", "data").withUid(Optional.of("u1"))).isBoundTo(claim("u1"))).isTrue();
    assertThat(volume(ObjectReference.named("default", "data").withUid(Optional.of("u2"))).isBoundTo(claim("u1"))).isFalse();
    assertThat(volume(ObjectReference.named("other", "data")).isBoundTo(claim("u1"))).isFalse();
    assertThat(volume(null).isBoundTo(claim("u1"))).isFalse();
  }

  @Test
  void classComesFromTheBetaAnnotationFirst() {
    PersistentVolumeClaim unset = claim("u");
    assertThat(unset.storageClass()).isEmpty();
    assertThat(unset.hasStorageClass()).isFalse();
    PersistentVolumeClaim none = unset.withSpec(unset.spec().withStorageClassName(Optional.of("")));
    assertThat(none.hasStorageClass()).isTrue();
    assertThat(none.storageClass()).isEmpty();
    PersistentVolumeClaim annotated = none.withMetadata(none.metadata()
        .withAnnotation(PersistentVolumeClaim.BETA_STORAGE_CLASS, "legacy"));
    assertThat(annotated.storageClass()).isEqualTo("legacy");
    assertThat(volume(null).storageClass()).isEmpty();
  }

  @Test
  void volumeDefaultsReadLikeTheApiServer() {
    PersistentVolume pv = volume(null);
    assertThat(pv.reclaimPolicy()).isEqualTo("Retain");
    assertThat(pv.phase()).isEqualTo("Pending");
    assertThat(pv.capacityStorage()).contains(Quantity.parse("1Gi"));
    assertThat(pv.spec().effectiveVolumeMode()).isEqualTo("Filesystem");
    assertThat(pv.isBound()).isFalse();
    assertThat(AccessModes.asString(java.util.List.of("ReadWriteOncePod", "ReadWriteOnce", "ReadWriteOnce"))).isEqualTo("RWO,RWOP");
  }
}
