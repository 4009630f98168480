package io.volumekit.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.meta.ApiObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Update rules: what may change after creation (the API server's ValidateXxxUpdate rules). */
class UpdateRulesTest {
  static final ObjectCodec CODEC = ObjectCodec.standard();

  static final String PVC = """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: data, namespace: default}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 2Gi}}
      """;
  static final String BOUND = "status: {phase: Bound, capacity: {storage: 2Gi}}\n";
  static final String PV = """
      apiVersion: v1
      kind: PersistentVolume
      metadata: {name: pv1}
      spec:
        capacity: {storage: 1Gi}
        accessModes: [ReadWriteOnce]
        csi: {driver: d.example.com, volumeHandle: h1}
      """;
  static final String SC = """
      apiVersion: storage.k8s.io/v1
      kind: StorageClass
      metadata: {name: fast}
      provisioner: d.example.com
      parameters: {type: ssd}
      """;

  static List<String> errors(String oldYaml, String newYaml) {
    ApiObject o = CODEC.decode(oldYaml).single();
    ApiObject n = CODEC.decode(newYaml).single();
    return Validation.validateUpdate(o, n).stream().map(FieldError::toString).toList();
  }

  @Test
  void boundClaimMayGrow() {
    assertThat(errors(PVC + BOUND, PVC.replace("2Gi", "5Gi") + BOUND)).isEmpty();
  }

  @Test
  void claimMayNotShrink() {
    assertThat(errors(PVC + BOUND, PVC.replace("2Gi", "1Gi") + BOUND))
        .containsExactly("spec.resources.requests.storage: Forbidden: field can not be less than previous value");
  }

  @Test
  void claimRecoveringFromFailedExpansionMayShrinkDownToAboveCapacity() {
    String old = PVC.replace("2Gi", "10Gi") + "status: {phase: Bound, capacity: {storage: 2Gi}, allocatedResources: {storage: 10Gi}}\n";
    assertThat(errors(old, PVC.replace("2Gi", "3Gi") + BOUND)).isEmpty();
    assertThat(errors(old, PVC + BOUND))
        .containsExactly("spec.resources.requests.storage: Forbidden: field can not be less than status.capacity");
  }

  @Test
  void claimAccessModesAreImmutable() {
    assertThat(errors(PVC, PVC.replace("[ReadWriteOnce]", "[ReadWriteMany]"))).containsExactly(
        "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims");
  }

  @Test
  void unboundClaimMayNotChangeItsRequest() {
    assertThat(errors(PVC, PVC.replace("2Gi", "3Gi"))).containsExactly(
        "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims");
  }

  @Test
  void volumeNameMaySetOnce() {
    assertThat(errors(PVC, PVC + "  volumeName: pv1\n")).isEmpty();
    assertThat(errors(PVC + "  volumeName: pv1\n", PVC + "  volumeName: pv2\n")).hasSize(1);
  }

  @Test
  void classMayBeAssignedWhenUnsetButNotChanged() {
    assertThat(errors(PVC, PVC + "  storageClassName: standard\n")).isEmpty();
    assertThat(errors(PVC + "  storageClassName: standard\n", PVC + "  storageClassName: fast\n")).containsExactly(
        "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims");
    assertThat(errors(PVC + "  storageClassName: \"\"\n", PVC + "  storageClassName: standard\n")).hasSize(1);
  }

  @Test
  void volumeAttributesClassMayChangeButNotBeRemoved() {
    String gold = PVC + "  volumeAttributesClassName: gold\n";
    assertThat(errors(gold, PVC + "  volumeAttributesClassName: silver\n")).isEmpty();
    assertThat(errors(gold, PVC)).containsExactly(
        "spec.volumeAttributesClassName: Forbidden: update from non-nil value to nil is forbidden");
    assertThat(errors(gold, PVC + "  volumeAttributesClassName: \"\"\n")).containsExactly(
        "spec.volumeAttributesClassName: Forbidden: update from non-nil value to an empty string is forbidden");
  }

  @Test
  void claimVolumeModeIsImmutable() {
    assertThat(errors(PVC, PVC + "  volumeMode: Block\n")).containsExactly(
        "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
        "volumeMode: Invalid value: \"Block\": field is immutable");
  }

  @Test
  void volumeSourceIsImmutableExceptAddingAnExpandSecret() {
    assertThat(errors(PV, PV.replace("volumeHandle: h1", "volumeHandle: h2"))).containsExactly(
        "spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation");
    assertThat(errors(PV, PV.replace("volumeHandle: h1",
        "volumeHandle: h1, controllerExpandSecretRef: {name: s, namespace: default}"))).isEmpty();
  }

  @Test
  void volumeMayBeClaimedAndReclaimed() {
    assertThat(errors(PV, PV + "  claimRef: {namespace: default, name: data}\n  persistentVolumeReclaimPolicy: Delete\n"))
        .isEmpty();
  }

  @Test
  void classParametersProvisionerAndModeAreImmutable() {
    assertThat(errors(SC, SC.replace("ssd", "hdd"))).containsExactly("parameters: Forbidden: updates to parameters are forbidden.");
    assertThat(errors(SC, SC.replace("provisioner: d.example.com", "provisioner: e.example.com")))
        .containsExactly("provisioner: Forbidden: updates to provisioner are forbidden.");
    assertThat(errors(SC, SC + "volumeBindingMode: WaitForFirstConsumer\n"))
        .containsExactly("volumeBindingMode: Invalid value: \"WaitForFirstConsumer\": field is immutable");
    assertThat(errors(SC, SC + "reclaimPolicy: Retain\n"))
        .containsExactly("reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.");
    assertThat(errors(SC, SC + "allowVolumeExpansion: true\n")).isEmpty();
  }

  @Test
  void betaClassAnnotationIsImmutable() {
    String ann = PVC.replace("namespace: default}", "namespace: default, annotations: {volume.beta.kubernetes.io/storage-class: fast}}");
    assertThat(errors(ann, ann.replace("class: fast", "class: slow"))).contains(
        "metadata.annotations.volume.beta.kubernetes.io/storage-class: Invalid value: \"slow\": field is immutable");
    assertThat(errors(ann, ann + "  storageClassName: fast\n")).isEmpty();
  }

  @Test
  void statusUpdatesNeedAResourceVersion() {
    ApiObject o = CODEC.decode(PV).single();
    assertThat(Validation.validateStatusUpdate(o, o)).extracting(FieldError::toString)
        .containsExactly("resourceVersion: Required value");
    ApiObject withVersion = o.withMetadata(o.metadata().withResourceVersion(java.util.Optional.of("7")));
    assertThat(Validation.validateStatusUpdate(o, withVersion)).isEmpty();
  }

  @Test
  void namesAreImmutable() {
    assertThat(errors(PVC, PVC.replace("name: data", "name: logs")))
        .containsExactly("metadata.name: Invalid value: \"logs\": field is immutable");
  }

  @Test
  void podMayChangeImagesOnly() {
    String pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\n"
        + "spec:\n  containers: [{name: a, image: busybox:1}]\n";
    assertThat(errors(pod, pod.replace("busybox:1", "busybox:2"))).isEmpty();
    assertThat(errors(pod, pod + "  nodeName: node-1\n")).isEmpty();
    assertThat(errors(pod, pod + "  volumes: [{name: v, emptyDir: {}}]\n")).containsExactly("spec: Forbidden: "
        + CoreRulesAccess.POD_UPDATE);
  }

  @Test
  void immutableSecretDataMayNotChange() {
    String s = "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: default}\nimmutable: true\ndata: {a: YQ==}\n";
    assertThat(errors(s, s.replace("YQ==", "Yg=="))).containsExactly("data: Forbidden: field is immutable when `immutable` is set");
  }

  @Test
  void snapshotSourceIsImmutable() {
    String s = "apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshot\nmetadata: {name: s, namespace: default}\n"
        + "spec: {source: {persistentVolumeClaimName: data}}\n";
    assertThat(errors(s, s.replace("name: data", "name: logs").replace("ClaimName: data", "ClaimName: logs")))
        .containsExactly("spec.source.persistentVolumeClaimName: Invalid value: \"string\": persistentVolumeClaimName is immutable");
  }

  /** Exposes the package-private message to the test. */
  static final class CoreRulesAccess {
    static final String POD_UPDATE = CoreRules.POD_UPDATE;
  }
}
