package io.volumekit.core.mount;

import static io.volumekit.core.mount.KubeletOperations.failedMount;
import static io.volumekit.core.mount.KubeletOperations.refreshId;
import static io.volumekit.core.mount.KubeletOperations.setupId;

import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.PeriodicEffect;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.MeasureLocalVolume;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.effect.SetUpHostPath;
import io.volumekit.core.effect.WriteLocalVolume;
import io.volumekit.core.node.LocalVolume;
import io.volumekit.core.node.MemoryFallback;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.model.core.Node;
import io.volumekit.core.ephemeral.Payloads;
import io.volumekit.core.mount.KubeletOperations.Outcome;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.HostPathVolumeSource;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodSecurityContext;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.core.Volume;
import java.util.Optional;

/**
 * The setup of a pod's node-local volumes for the {@link PodVolumeController}: emptyDir, secret,
 * configMap, downwardAPI and projected volumes are written under the pod's directory by {@link
 * WriteLocalVolume} effects (and rewritten when their source changes, as the kubelet's atomic
 * writer does); a typed hostPath is created or checked by a {@link SetUpHostPath} effect.
 */
final class LocalVolumeSetup {

  private final VolumeHost host;

  LocalVolumeSetup(VolumeHost host) {
    this.host = host;
  }

  /** Whether the pod volume is one of the node-local sources set up here. */
  static boolean handles(Volume v) {
    return v.emptyDir().isPresent() || v.secret().isPresent() || v.configMap().isPresent()
        || v.downwardAPI().isPresent() || v.projected().isPresent() || v.hostPath().isPresent();
  }

  Outcome setup(ClusterState state, Pod pod, String node, String uid, Volume v, Decision.Builder b) {
    if (v.hostPath().isPresent()) {
      return setupHostPath(state, pod, node, uid, v.name(), v.name(), v.hostPath().get(), b);
    }
    Optional<LocalVolume> local;
    Payloads.Result payload = null;
    Optional<Long> fsGroup = pod.spec().securityContext().flatMap(PodSecurityContext::fsGroup);
    if (v.emptyDir().isPresent()) {
      var e = v.emptyDir().get();
      boolean memory = EmptyDirs.memory(e);
      Optional<Long> size = e.sizeLimit().map(q -> q.value());
      if (memory) { // the tmpfs size, by the kubelet's rule
        java.util.OptionalLong tmpfs = EmptyDirs.tmpfsSizeBytes(nodeAllocatableMemory(state, node),
            EmptyDirs.podMemoryLimitBytes(pod), size.map(java.util.OptionalLong::of).orElse(java.util.OptionalLong.empty()));
        size = tmpfs.isPresent() ? Optional.of(tmpfs.getAsLong()) : Optional.empty();
      }
      local = Optional.of(LocalVolume.emptyDir(host.podVolumeDir(uid, VolumeHost.EMPTY_DIR, v.name()).toString(),
          memory, size, fsGroup));
    } else if (v.secret().isPresent()) {
      payload = Payloads.secret(state, pod, v.secret().get());
      local = payload.payload().map(p -> LocalVolume.atomic(
          host.podVolumeDir(uid, VolumeHost.SECRET_DIR, v.name()).toString(), true, p, fsGroup));
    } else if (v.configMap().isPresent()) {
      payload = Payloads.configMap(state, pod, v.configMap().get());
      local = payload.payload().map(p -> LocalVolume.atomic(
          host.podVolumeDir(uid, VolumeHost.CONFIGMAP_DIR, v.name()).toString(), false, p, fsGroup));
    } else if (v.downwardAPI().isPresent()) {
      payload = Payloads.downwardApi(pod, v.downwardAPI().get().items(),
          v.downwardAPI().get().defaultMode().orElse(Payloads.DEFAULT_MODE));
      local = payload.payload().map(p -> LocalVolume.atomic(
          host.podVolumeDir(uid, VolumeHost.DOWNWARD_API_DIR, v.name()).toString(), true, p, fsGroup));
    } else {
      payload = Payloads.projected(state, pod, v.projected().orElseThrow());
      local = payload.payload().map(p -> LocalVolume.atomic(
          host.podVolumeDir(uid, VolumeHost.PROJECTED_DIR, v.name()).toString(), true, p, fsGroup));
    }
    if (local.isEmpty()) {
      b.event(failedMount(pod, "MountVolume.SetUp failed for volume \"" + v.name() + "\" : " + payload.error().orElse("")));
      return Outcome.WAITING;
    }
    EffectId id = setupId(uid, v.name());
    Optional<Operation> op = state.operation(id);
    WriteLocalVolume effect = new WriteLocalVolume(id, ObjectKey.of(pod), PodVolumeController.NAME, node, uid, v.name(),
        local.get());
    if (op.isEmpty()) {
      b.effect(effect);
      return Outcome.WAITING;
    }
    if (op.get().inFlight()) {
      return pod.status().phase().filter(PodStatus.RUNNING::equals).isPresent() ? Outcome.READY : Outcome.WAITING;
    }
    if (op.get().succeeded()) {
      reportMemoryFallback(pod, v.name(), op.get(), b);
      if (!(op.get().effect() instanceof WriteLocalVolume w) || !w.volume().equals(local.get())) {
        b.forget(id).effect(effect); // the source changed: rewrite (readers keep the old files until the swap)
        state.operation(refreshId(uid, v.name())).filter(r -> !r.inFlight()).ifPresent(r -> b.forget(r.id()));
      } else {
        refreshTokens(state, pod, uid, v.name(), effect, b);
        measureUsage(state, v, effect, b);
      }
      return Outcome.READY;
    }
    KubeletOperations.reportFailure(b, pod, id, op.get(), "MountVolume.SetUp failed for volume \"" + v.name() + "\" : ");
    b.effect(effect);
    return Outcome.WAITING;
  }

  /** The node's allocatable memory ({@code status.allocatable.memory}), if the node and the value are known. */
  private static java.util.OptionalLong nodeAllocatableMemory(ClusterState state, String node) {
    return state.get(ObjectKey.cluster(Node.KIND, node), Node.class)
        .flatMap(n -> Optional.ofNullable(n.status().allocatable().get("memory")))
        .map(q -> java.util.OptionalLong.of(q.value())).orElse(java.util.OptionalLong.empty());
  }

  /**
   * Reports, once, that a memory-backed emptyDir is a plain directory because its tmpfs could not
   * be mounted: a Warning event {@code EmptyDirMemoryFallback} on the pod saying why.
   */
  private static void reportMemoryFallback(Pod pod, String volume, Operation op, Decision.Builder b) {
    if (op.reported()) {
      return;
    }
    op.resultAs(MemoryFallback.class).ifPresent(f -> {
      b.acknowledge(op.id());
      b.event(EventRecord.warning(KubeletOperations.EVENT_SOURCE, ObjectKey.of(pod), EmptyDirs.MEMORY_FALLBACK_REASON,
          "emptyDir volume \"" + volume + "\" with medium Memory is a plain directory, not a tmpfs: " + f.reason()));
    });
  }

  /**
   * The kubelet's volume statistics for an emptyDir with a positive {@code sizeLimit}: a {@link
   * MeasureLocalVolume} every {@link PodVolumeController#STATS_PERIOD}, whose result {@link
   * EmptyDirEviction} compares with the limit. A failed walk is only retried next period, as the
   * kubelet only logs it. An emptyDir without a limit is not measured (nothing would use the number).
   */
  private static void measureUsage(ClusterState state, Volume v, WriteLocalVolume written, Decision.Builder b) {
    if (v.emptyDir().flatMap(e -> e.sizeLimit()).filter(q -> q.signum() > 0).isEmpty()) {
      return;
    }
    EffectId id = KubeletOperations.statsId(written.podUid(), v.name());
    MeasureLocalVolume measure = new MeasureLocalVolume(id, written.owner(), PodVolumeController.NAME, written.node(),
        written.podUid(), v.name(), written.volume().path());
    PeriodicEffect.step(state.operation(id), measure, PodVolumeController.STATS_PERIOD,
        PeriodicEffect.OnFailure.NEXT_PERIOD, b);
  }

  /**
   * A projected volume's service-account tokens are rewritten before they expire, as the kubelet's
   * token manager refreshes a token older than 80% of its validity or than 24 hours
   * (docs/cases/node-side.md row TK5): one {@code refresh} write scheduled at a time, the write
   * issuing new tokens.
   */
  private static void refreshTokens(ClusterState state, Pod pod, String uid, String volume, WriteLocalVolume effect,
      Decision.Builder b) {
    java.util.OptionalLong ttl = effect.volume().shortestTokenSeconds();
    if (ttl.isEmpty()) {
      return;
    }
    java.time.Duration due = java.time.Duration.ofSeconds(Math.min(ttl.getAsLong() * 8 / 10, 24 * 3600));
    EffectId id = refreshId(uid, volume);
    PeriodicEffect.step(state.operation(id), effect.withId(id), due, PeriodicEffect.OnFailure.RETRY, b)
        .ifPresent(done -> KubeletOperations.reportFailure(b, pod, id, done,
            "MountVolume.SetUp failed for volume \"" + volume + "\" : "));
  }

  /**
   * The hostPath plugin's SetUp: with a {@code type}, the path is created or checked on the node by
   * a {@link SetUpHostPath} effect (the runtime does the I/O); a failure becomes a FailedMount
   * event with the kubelet's message and is retried with backoff. Without a type nothing is
   * checked ({@code HostPathUnset}), as in Kubernetes.
   *
   * @param specName the volume name the kubelet's messages use (the pod volume, or the PV)
   */
  static Outcome setupHostPath(ClusterState state, Pod pod, String node, String uid, String volume, String specName,
      HostPathVolumeSource source, Decision.Builder b) {
    String type = source.type().orElse("");
    if (type.isEmpty()) {
      return Outcome.READY;
    }
    EffectId id = setupId(uid, volume);
    Optional<Operation> op = state.operation(id);
    if (op.isPresent() && op.get().succeeded()) {
      return Outcome.READY;
    }
    if (op.isPresent() && op.get().inFlight()) {
      return Outcome.WAITING;
    }
    if (op.isPresent() && op.get().unreportedFailure()) {
      b.acknowledge(id);
      b.event(failedMount(pod, "MountVolume.SetUp failed for volume \"" + specName + "\" : "
          + op.get().failure().get().message()));
    }
    b.effect(new SetUpHostPath(id, ObjectKey.of(pod), PodVolumeController.NAME, node, uid, volume, source.path(), type));
    return Outcome.WAITING;
  }
}
