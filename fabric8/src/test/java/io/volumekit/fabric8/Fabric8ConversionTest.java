package io.volumekit.fabric8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.volumekit.model.codec.DecodeException;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.snapshot.VolumeSnapshot;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Conversions of hand-written objects: what maps, and what is reported when it does not. */
class Fabric8ConversionTest {

  static io.fabric8.kubernetes.api.model.PersistentVolumeClaim fabric8Claim() {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("data").withNamespace("default").addToLabels("app", "db").endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName("fast")
        .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources()
        .endSpec()
        .build();
  }

  @Test
  void aFabric8ClaimBecomesVolumekitsRecordWithNothingLost() {
    Conversion<PersistentVolumeClaim> c = Fabric8.toVolumekit(fabric8Claim());

    assertThat(c.complete()).isTrue();
    PersistentVolumeClaim claim = c.orThrow();
    assertThat(claim.metadata().name()).isEqualTo("data");
    assertThat(claim.metadata().labels()).containsEntry("app", "db");
    assertThat(claim.spec().storageClassName()).contains("fast");
    assertThat(claim.requestedStorage().orElseThrow().toString()).isEqualTo("1Gi");
  }

  @Test
  void andBackToFabric8Unchanged() {
    PersistentVolumeClaim claim = Fabric8.toVolumekit(fabric8Claim()).orThrow();
    io.fabric8.kubernetes.api.model.PersistentVolumeClaim back = Fabric8.toFabric8(claim).orThrow();
    assertThat(back).isEqualTo(fabric8Claim());
  }

  @Test
  void fieldsVolumekitDoesNotModelAreReportedByPathAndStrictModeRefuses() {
    io.fabric8.kubernetes.api.model.Pod pod = new PodBuilder()
        .withNewMetadata().withName("web").withNamespace("default")
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Apply").build())
        .endMetadata()
        .withNewSpec().withHostNetwork(true).addNewContainer().withName("c").withImage("busybox")
        .withNewLivenessProbe().withPeriodSeconds(3).endLivenessProbe().endContainer().endSpec()
        .build();

    Conversion<Pod> c = Fabric8.toVolumekit(pod);

    assertThat(c.unmappedFields()).containsExactly(
        "metadata.managedFields", "spec.containers[0].livenessProbe", "spec.hostNetwork");
    assertThat(c.value().spec().containers().get(0).image()).contains("busybox");
    assertThatThrownBy(c::orThrow)
        .isInstanceOf(UnmappedFieldsException.class)
        .hasMessage("strict conversion failed: unknown field \"metadata.managedFields\", "
            + "unknown field \"spec.containers[0].livenessProbe\", unknown field \"spec.hostNetwork\"");
  }

  @Test
  void anUnmappedSecretFieldIsNamedButItsValueNeverShown() {
    var secret = new SecretBuilder().withNewMetadata().withName("creds").withNamespace("default").endMetadata()
        .addToData("password", "c2VjcmV0")
        .withAdditionalProperties(Map.of("futureField", "hunter2"))
        .build();

    Conversion<io.volumekit.model.core.Secret> c = Fabric8.toVolumekit(secret);

    assertThat(c.unmappedFields()).containsExactly("futureField");
    assertThat(c.value().data()).containsEntry("password", "c2VjcmV0");
    assertThatThrownBy(c::orThrow).hasMessageNotContaining("hunter2");
  }

  @Test
  void aValueVolumekitCannotHoldIsAFieldPathedDecodeError() {
    var claim = new PersistentVolumeClaimBuilder(fabric8Claim())
        .editSpec().editResources().addToRequests("storage", new Quantity("lots")).endResources().endSpec()
        .build();

    assertThatThrownBy(() -> Fabric8.toVolumekit(claim))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("spec.resources.requests");
  }

  @Test
  void snapshotsTravelAsGenericResources() {
    GenericKubernetesResource snap = new GenericKubernetesResourceBuilder()
        .withApiVersion("snapshot.storage.k8s.io/v1").withKind("VolumeSnapshot")
        .withNewMetadata().withName("snap-1").withNamespace("default").endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of(
            "volumeSnapshotClassName", "csi-snapclass",
            "source", Map.of("persistentVolumeClaimName", "data"))))
        .build();

    ApiObject object = Fabric8.toVolumekit(snap).orThrow();

    assertThat(object).isInstanceOf(VolumeSnapshot.class);
    VolumeSnapshot vs = (VolumeSnapshot) object;
    assertThat(vs.spec().source().persistentVolumeClaimName()).contains("data");
    GenericKubernetesResource back = Fabric8.toFabric8(vs).orThrow();
    assertThat(Fabric8Converter.tree(back)).isEqualTo(Fabric8Converter.tree(snap));
  }

  @Test
  void aKindVolumekitDoesNotModelIsRefused() {
    var deployment = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
        .withNewMetadata().withName("d").endMetadata().build();
    assertThatThrownBy(() -> Fabric8.toVolumekit(deployment)).isInstanceOf(DecodeException.class)
        .hasMessageContaining("Deployment");
  }
}
