package io.volumekit.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.storage.CSIDriver;
import io.volumekit.model.storage.StorageClass;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DefaultsTest {
  static final ObjectCodec CODEC = ObjectCodec.standard();

  @Test
  void claimGetsFilesystemModePendingPhaseAndMirroredDataSource() {
    PersistentVolumeClaim pvc = Defaults.apply(CODEC.decodeOne("""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: c, namespace: default}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
          dataSource: {apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: s}
        """, PersistentVolumeClaim.class));
    assertThat(pvc.spec().volumeMode()).contains("Filesystem");
    assertThat(pvc.phase()).isEqualTo("Pending");
    assertThat(pvc.spec().dataSourceRef().orElseThrow().name()).isEqualTo("s");
    assertThat(pvc.storageClassName()).isEmpty();
  }

  @Test
  void volumeGetsRetainAndFilesystem() {
    PersistentVolume pv = Defaults.apply(CODEC.decodeOne("""
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv1}
        spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], hostPath: {path: /tmp/x}}
        """, PersistentVolume.class));
    assertThat(pv.spec().persistentVolumeReclaimPolicy()).contains("Retain");
    assertThat(pv.spec().volumeMode()).contains("Filesystem");
    assertThat(pv.phase()).isEqualTo("Pending");
  }

  @Test
  void classAndDriverDefaults() {
    StorageClass sc = Defaults.apply(CODEC.decodeOne(
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: a}\nprovisioner: p.example.com\n", StorageClass.class));
    assertThat(sc.reclaimPolicy()).contains("Delete");
    assertThat(sc.volumeBindingMode()).contains("Immediate");
    CSIDriver d = Defaults.apply(CODEC.decodeOne(
        "apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata: {name: p.example.com}\n", CSIDriver.class));
    assertThat(d.spec().attachRequired()).contains(true);
    assertThat(d.spec().volumeLifecycleModes()).containsExactly("Persistent");
    assertThat(d.spec().fsGroupPolicy()).contains("ReadWriteOnceWithFSType");
  }

  @Test
  void podDefaults() {
    Pod pod = Defaults.apply(CODEC.decodeOne("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: default}
        spec:
          containers:
          - {name: a, image: "busybox", ports: [{containerPort: 80}]}
          - {name: b, image: "registry.example.com:5000/app:1.2"}
          volumes:
          - {name: s, secret: {secretName: s}}
          - {name: e, ephemeral: {volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}}}
        """, Pod.class));
    assertThat(pod.spec().restartPolicy()).contains("Always");
    assertThat(pod.spec().containers().get(0).imagePullPolicy()).contains("Always");
    assertThat(pod.spec().containers().get(1).imagePullPolicy()).contains("IfNotPresent");
    assertThat(pod.spec().containers().get(0).ports().get(0).protocol()).contains("TCP");
    assertThat(pod.spec().volumes().get(0).secret().orElseThrow().defaultMode()).contains(420);
    assertThat(pod.spec().volumes().get(1).ephemeral().orElseThrow().volumeClaimTemplate().orElseThrow().spec().volumeMode())
        .contains("Filesystem");
  }

  @Test
  void defaultingIsIdempotentAndKeepsSeedManifestsValid() throws Exception {
    for (Path p : io.volumekit.model.codec.SeedManifestsTest.SEED.stream().map(f -> Path.of("../examples/manifests", f)).toList()) {
      for (ApiObject o : CODEC.decode(Files.readString(p)).objects()) {
        ApiObject placed = io.volumekit.model.meta.Kinds.of(o).namespaced()
            ? o.withMetadata(o.metadata().withNamespace(java.util.Optional.of("default"))) : o;
        ApiObject once = Defaults.apply(placed);
        assertThat(Defaults.apply(once)).isEqualTo(once);
        assertThat(Validation.validate(once)).as(p.toString()).isEmpty();
      }
    }
  }

  @Test
  void secretStringDataIsFoldedIntoBase64DataAndStringDataWinsOnConflict() {
    io.volumekit.model.core.Secret secret = Defaults.apply(CODEC.decodeOne("""
        apiVersion: v1
        kind: Secret
        metadata: {name: s, namespace: default}
        data: {username: YWRtaW4=, password: b2xk}
        stringData: {password: "n3w pässword", token: t0k3n}
        """, io.volumekit.model.core.Secret.class));
    assertThat(secret.stringData()).isEmpty();
    assertThat(secret.data()).containsOnlyKeys("username", "password", "token")
        .containsEntry("username", "YWRtaW4=")
        .containsEntry("password", java.util.Base64.getEncoder().encodeToString(
            "n3w pässword".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .containsEntry("token", "dDBrM24=");
    assertThat(secret.type()).contains("Opaque");
    assertThat(CODEC.encodeYaml(secret)).doesNotContain("stringData").doesNotContain("t0k3n");
    assertThat(Defaults.apply(secret)).as("idempotent").isEqualTo(secret);
  }

  @Test
  void secretsAndConfigMapsKeepNoGeneration() {
    assertThat(Defaults.tracksGeneration("Secret")).isFalse();
    assertThat(Defaults.tracksGeneration("ConfigMap")).isFalse();
    assertThat(Defaults.tracksGeneration("PersistentVolumeClaim")).isTrue();
  }
}
