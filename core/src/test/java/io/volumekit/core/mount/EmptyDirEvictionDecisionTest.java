package io.volumekit.core.mount;

import static io.volumekit.core.NodeStates.HOST;
import static io.volumekit.core.NodeStates.node;
import static io.volumekit.core.NodeStates.state;
import static io.volumekit.core.mount.KubeletOperations.setupId;
import static io.volumekit.core.mount.KubeletOperations.statsId;
import static io.volumekit.core.mount.KubeletOperations.teardownId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.Fixtures;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.effect.EffectFailure;
import io.volumekit.core.effect.MeasureLocalVolume;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.effect.RemoveLocalVolume;
import io.volumekit.core.effect.WriteLocalVolume;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.node.LocalVolume;
import io.volumekit.core.node.LocalVolumeUsage;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.EmptyDirVolumeSourceBuilder;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.quantity.Quantity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pod volume controller's decision for a running pod with emptyDir volumes whose usage was
 * measured (the kubelet eviction manager's {@code emptyDirLimitEviction}), in states built by hand
 * and compared by equality.
 */
class EmptyDirEvictionDecisionTest {

  static final String NODE = "node-1";
  static final long MI = 1L << 20;

  record Row(String name, Supplier<ClusterState> state, Supplier<Decision> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(Row row) {
    PodVolumeController c = new PodVolumeController(HOST);
    assertEquals(row.expected().get(), c.reconcile(row.state().get(), ObjectKey.of(running(List.of()))), row.name());
  }

  static Volume emptyDir(String name, boolean memory, Optional<String> limit) {
    return VolumeBuilder.builder().name(name).emptyDir(Optional.of(EmptyDirVolumeSourceBuilder.builder()
        .medium(memory ? Optional.of(EmptyDirs.MEDIUM_MEMORY) : Optional.empty())
        .sizeLimit(limit.map(Quantity::parse)).build())).build();
  }

  static final Volume CACHE = emptyDir("cache", false, Optional.of("64Mi"));
  static final Volume SHM = emptyDir("shm", true, Optional.of("16Mi"));
  static final Volume TMP = emptyDir("tmp", false, Optional.empty());

  /** The pod {@code web} on the node, Running and ready, with its finalizer and the volumes. */
  static Pod running(List<Volume> volumes) {
    Pod p = Fixtures.pod("web", NODE);
    p = p.withMetadata(p.metadata().withUid(Optional.of("uid-web")).withFinalizer(PodVolumeController.POD_FINALIZER));
    p = p.withSpec(p.spec().withVolumes(ImmutableList.copyOf(volumes)));
    return p.withStatus(p.status().withPhase(Optional.of(PodStatus.RUNNING)).withConditions(PodVolumeController
        .withCondition(PodVolumeController.withCondition(ImmutableList.of(), "ContainersReady", "True"), "Ready", "True")));
  }

  static Pod critical(Pod p) {
    return p.withSpec(p.spec().withPriorityClassName(Optional.of("system-node-critical")));
  }

  static String path(Volume v) {
    return HOST.podVolumeDir("uid-web", VolumeHost.EMPTY_DIR, v.name()).toString();
  }

  /** The write the controller makes for the emptyDir (no Node object: a tmpfs sized by sizeLimit). */
  static WriteLocalVolume write(Volume v) {
    var e = v.emptyDir().orElseThrow();
    return new WriteLocalVolume(setupId("uid-web", v.name()), ObjectKey.of(running(List.of())), PodVolumeController.NAME,
        NODE, "uid-web", v.name(), LocalVolume.emptyDir(path(v), EmptyDirs.memory(e),
            e.sizeLimit().map(Quantity::value), Optional.empty()));
  }

  static MeasureLocalVolume measure(Volume v) {
    return new MeasureLocalVolume(statsId("uid-web", v.name()), ObjectKey.of(running(List.of())),
        PodVolumeController.NAME, NODE, "uid-web", v.name(), path(v));
  }

  static Operation measured(Volume v, long used) {
    return Operation.started(measure(v), 1).succeeded(new LocalVolumeUsage(used));
  }

  /** The node, the pod, each volume written, and the operations. */
  static ClusterState written(Pod pod, Operation... ops) {
    ClusterState s = state(node(NODE), pod);
    for (Volume v : pod.spec().volumes()) {
      s = s.withOperation(Operation.started(write(v), 1).succeeded(null));
    }
    for (Operation op : ops) {
      s = s.withOperation(op);
    }
    return s;
  }

  static Pod failed(Pod pod, String message) {
    return pod.withStatus(pod.status().withPhase(Optional.of(PodStatus.FAILED))
        .withReason(Optional.of("Evicted")).withMessage(Optional.of(message))
        .withConditions(PodVolumeController.withCondition(
            PodVolumeController.withCondition(pod.status().conditions(), "ContainersReady", "False"), "Ready", "False")));
  }

  static Decision evicted(Pod pod, String message) {
    return Decision.builder().update(failed(pod, message))
        .event(EventRecord.warning("kubelet", ObjectKey.of(pod), "Evicted", message)).build();
  }

  /** Each measured volume's run forgotten and the next one scheduled a stats period ahead. */
  static Decision remeasured(Volume... volumes) {
    Decision.Builder b = Decision.builder();
    for (Volume v : volumes) {
      b.forget(statsId("uid-web", v.name())).effectAfter(measure(v), PodVolumeController.STATS_PERIOD);
    }
    return b.build();
  }

  static Stream<Row> rows() {
    Pod one = running(List.of(CACHE));
    Pod three = running(List.of(TMP, CACHE, SHM));
    String cacheOver = "Usage of EmptyDir volume \"cache\" exceeds the limit \"64Mi\". ";
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("written, never measured: the first measurement is scheduled a stats period ahead",
        () -> written(one),
        () -> Decision.builder().effectAfter(measure(CACHE), PodVolumeController.STATS_PERIOD).build()));
    rows.add(new Row("measured under the limit: measured again next period",
        () -> written(one, measured(CACHE, 10 * MI)), () -> remeasured(CACHE)));
    rows.add(new Row("measured exactly at the limit: not over, measured again",
        () -> written(one, measured(CACHE, 64 * MI)), () -> remeasured(CACHE)));
    rows.add(new Row("one byte over the limit: evicted (Failed, Evicted, the kubelet's message, a Warning event)",
        () -> written(one, measured(CACHE, 64 * MI + 1)), () -> evicted(one, cacheOver)));
    rows.add(new Row("a memory-backed emptyDir over its limit: evicted too",
        () -> written(three, measured(CACHE, MI), measured(SHM, 17 * MI)),
        () -> evicted(three, "Usage of EmptyDir volume \"shm\" exceeds the limit \"16Mi\". ")));
    rows.add(new Row("two volumes over their limits: the first in the pod's spec names the message",
        () -> written(three, measured(SHM, 17 * MI), measured(CACHE, 65 * MI)), () -> evicted(three, cacheOver)));
    rows.add(new Row("an emptyDir without sizeLimit is never measured",
        () -> written(running(List.of(TMP))), Decision::none));
    rows.add(new Row("a measurement in flight: nothing yet",
        () -> written(one, Operation.started(measure(CACHE), 1)), Decision::none));
    rows.add(new Row("a failed measurement: no eviction, tried again next period",
        () -> written(one, Operation.started(measure(CACHE), 1)
            .failed(new EffectFailure(CsiCode.INTERNAL, "permission denied"), Instant.EPOCH)),
        () -> remeasured(CACHE)));
    rows.add(new Row("a critical pod (system-node-critical) over its limit: never evicted",
        () -> written(critical(one), measured(CACHE, 100 * MI)), () -> remeasured(CACHE)));
    Pod failed = failed(one, cacheOver);
    rows.add(new Row("the evicted pod: its measurement is forgotten and its emptyDir torn down",
        () -> written(failed, measured(CACHE, 100 * MI)),
        () -> Decision.builder().forget(statsId("uid-web", "cache"))
            .effect(new RemoveLocalVolume(teardownId("uid-web", "cache"), ObjectKey.of(one), PodVolumeController.NAME,
                NODE, "uid-web", "cache", path(CACHE), false)).build()));
    return rows.stream();
  }
}
