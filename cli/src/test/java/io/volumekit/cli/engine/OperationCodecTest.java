package io.volumekit.cli.engine;

import static io.volumekit.cli.engine.SampleOperations.stage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.csi.AccessType;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.VolumeContentSource;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.EffectFailure;
import io.volumekit.core.effect.NodeStage;
import io.volumekit.core.effect.Operation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperationCodecTest {

  @Test
  void succeededOperationsReadBackEqual() {
    List<Operation> ops = SampleOperations.all();
    assertThat(OperationCodec.read(OperationCodec.write(ops))).containsExactlyElementsOf(ops);
  }

  @Test
  void aPopulateCallReadsBackEqual() {
    io.volumekit.core.effect.PopulateVolume populate = new io.volumekit.core.effect.PopulateVolume(
        io.volumekit.core.effect.EffectId.of("populate-default/data"),
        io.volumekit.core.key.ObjectKey.namespaced("PersistentVolumeClaim", "default", "data"),
        "volume-populator", "node-1", io.volumekit.core.key.ObjectKey.namespaced("PersistentVolumeClaim", "default", "data"),
        "uid-2", io.volumekit.core.key.ObjectKey.namespaced("PersistentVolumeClaim", "volumekit-populators", "prime-uid-2"),
        new io.volumekit.model.populator.SourceKind("hello.example.com", "Hello"),
        new io.volumekit.model.core.TypedObjectReference(java.util.Optional.of("hello.example.com"), "Hello", "greeting",
            java.util.Optional.empty()),
        "default", "pvc-3", "hostpath.csi.volumekit.io", "vol-3", false,
        java.util.Optional.of("/kubelet/pods/uid-9/volumes/kubernetes.io~csi/pvc-3/mount"));
    List<Operation> ops = List.of(Operation.started(populate, 1).succeeded(null));
    String json = OperationCodec.write(ops).toString();
    assertThat(json).contains("\"@type\":\"PopulateVolume\"").doesNotContain("io.volumekit");
    assertThat(OperationCodec.read(OperationCodec.write(ops))).containsExactlyElementsOf(ops);
  }

  @Test
  void savedOperationsNameTypesWithoutJavaClassNames() {
    String json = OperationCodec.write(SampleOperations.all()).toString();
    assertThat(json).doesNotContain("io.volumekit").doesNotContain("com.google").doesNotContain("java.")
        .contains("\"@type\":\"NodeStage\"").contains("\"@type\":\"Block\"")
        .contains("\"@type\":\"ControllerPublishVolumeResponse\"").contains("\"@type\":\"SnapshotSource\"");
  }

  @Test
  void stateFilesOfTheFirstFormatWithJavaClassNamesStillReadBackTheSameOperations() throws IOException {
    JsonNode old = new ObjectMapper().readTree(Path.of("src/test/resources/state/operations-v1.json").toFile());
    assertThat(old.toString()).contains("io.volumekit.core.effect.NodeStage");
    assertThat(OperationCodec.read(old)).containsExactlyElementsOf(SampleOperations.all());
  }

  @Test
  void everyEffectAccessTypeAndContentSourceHasAStableName() {
    Set<Class<?>> concrete = new HashSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>(List.of(Effect.class, AccessType.class, VolumeContentSource.class));
    while (!todo.isEmpty()) {
      Class<?> c = todo.pop();
      if (c.isSealed()) {
        todo.addAll(List.of(c.getPermittedSubclasses()));
      } else {
        concrete.add(c);
      }
    }
    assertThat(OperationCodec.TYPE_NAMES.values()).containsAll(concrete);
  }

  @Test
  void secretsAreNeverWrittenAndFailedOperationsAreNotKept() {
    Operation withSecret = stage("a", Secrets.of(ImmutableMap.of("password", "hunter2")));
    Operation failed = Operation.started(stage("b", Secrets.none()).effect(), 1)
        .failed(new EffectFailure(io.volumekit.core.csi.CsiCode.INTERNAL, "boom"), java.time.Instant.EPOCH);
    JsonNode json = OperationCodec.write(List.of(withSecret, failed));
    assertThat(json.toString()).doesNotContain("hunter2").doesNotContain("password").doesNotContain("mountdevice/node-1/b");
    List<Operation> back = OperationCodec.read(json);
    assertThat(back).hasSize(1);
    assertThat(((NodeStage) back.get(0).effect()).request().secrets()).isEqualTo(Secrets.none());
  }

  @Test
  void aPulledImageVolumeReadsBackEqualWithItsPolicyAndSecretNames() {
    Operation pulled = Operation.started(new io.volumekit.core.effect.PullImageVolume(
        io.volumekit.core.effect.EffectId.of("setup/uid-1/model"),
        io.volumekit.core.key.ObjectKey.namespaced("Pod", "default", "web"), "kubelet", "node-1", "uid-1", "model",
        "/kubelet/pods/uid-1/volumes/kubernetes.io~image/model",
        io.volumekit.core.node.ImageVolumeRequest.of("quay.io/models/m:1",
            io.volumekit.core.node.ImagePullPolicy.IF_NOT_PRESENT, "default", "web", "uid-1", "model",
            List.of("regcred"))), 1).succeeded(null);
    JsonNode json = OperationCodec.write(List.of(pulled));
    assertThat(json.toString()).contains("\"@type\":\"PullImageVolume\"").contains("IF_NOT_PRESENT");
    assertThat(OperationCodec.read(json)).containsExactly(pulled);
  }

  @Test
  void anEmptyDirMeasurementAndAMemoryFallbackReadBackEqualWithTheirResults() {
    io.volumekit.core.key.ObjectKey pod = io.volumekit.core.key.ObjectKey.namespaced("Pod", "default", "web");
    String path = "/kubelet/pods/uid-1/volumes/kubernetes.io~empty-dir/scratch";
    Operation measured = Operation.started(new io.volumekit.core.effect.MeasureLocalVolume(
        io.volumekit.core.effect.EffectId.of("stats/uid-1/scratch"), pod, "kubelet", "node-1", "uid-1", "scratch", path),
        1).succeeded(new io.volumekit.core.node.LocalVolumeUsage(4096));
    Operation fellBack = Operation.started(new io.volumekit.core.effect.WriteLocalVolume(
        io.volumekit.core.effect.EffectId.of("setup/uid-1/scratch"), pod, "kubelet", "node-1", "uid-1", "scratch",
        io.volumekit.core.node.LocalVolume.emptyDir(path, true, java.util.Optional.of(1L << 20),
            java.util.Optional.empty())), 1)
        .succeeded(new io.volumekit.core.node.MemoryFallback("mount: permission denied"));
    JsonNode json = OperationCodec.write(List.of(measured, fellBack));
    assertThat(json.toString()).contains("\"@type\":\"MeasureLocalVolume\"").contains("\"@type\":\"LocalVolumeUsage\"")
        .contains("\"@type\":\"MemoryFallback\"");
    assertThat(OperationCodec.read(json)).containsExactly(measured, fellBack);
  }

  @Test
  void aGroupSnapshotOperationReadsBackEqualWithItsMembers() {
    io.volumekit.core.key.ObjectKey content = io.volumekit.core.key.ObjectKey.cluster("VolumeGroupSnapshotContent", "g");
    io.volumekit.core.csi.Snapshot member = new io.volumekit.core.csi.Snapshot(1024, "snap-1", "vol-1",
        java.util.Optional.of(java.time.Instant.parse("2026-01-01T00:00:00Z")), true, "group-1");
    Operation created = Operation.started(new io.volumekit.core.effect.CreateGroupSnapshot(
        io.volumekit.core.effect.EffectId.of("group-snapshot-create-g"), content, "csi-group-snapshotter", "d",
        io.volumekit.core.csi.CreateVolumeGroupSnapshotRequest.of("groupsnapshot-uid", "vol-1")), 1)
        .succeeded(new io.volumekit.core.csi.CreateVolumeGroupSnapshotResponse(new io.volumekit.core.csi.VolumeGroupSnapshot(
            "group-1", com.google.common.collect.ImmutableList.of(member), member.creationTime(), true)));
    Operation deleted = Operation.started(new io.volumekit.core.effect.DeleteGroupSnapshot(
        io.volumekit.core.effect.EffectId.of("group-snapshot-delete-g"), content, "csi-group-snapshotter", "d",
        io.volumekit.core.csi.DeleteVolumeGroupSnapshotRequest.of("group-1", List.of("snap-1"))), 2).succeeded(null);
    JsonNode json = OperationCodec.write(List.of(created, deleted));
    assertThat(json.toString()).contains("\"@type\":\"CreateGroupSnapshot\"")
        .contains("\"@type\":\"CreateVolumeGroupSnapshotResponse\"").contains("\"@type\":\"DeleteGroupSnapshot\"");
    assertThat(OperationCodec.read(json)).containsExactly(created, deleted);
  }
}
