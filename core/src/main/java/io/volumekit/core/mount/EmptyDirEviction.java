package io.volumekit.core.mount;

import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.node.LocalVolumeUsage;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.core.Volume;
import java.util.Optional;
import java.util.Set;

/**
 * The kubelet eviction manager's {@code emptyDirLimitEviction} (docs/cases/node-side.md row E7):
 * a running pod one of whose emptyDir volumes (on disk or {@code medium: Memory}) holds more than
 * its positive {@code sizeLimit}, by the latest measurement of the volume statistics ({@link
 * io.volumekit.core.effect.MeasureLocalVolume}), is evicted: phase {@code Failed}, reason {@code
 * Evicted}, the message of {@link EmptyDirs#evictionMessage}, and a Warning {@code Evicted} event
 * on the pod with the same message. The pod then terminates: its volumes are torn down as for any
 * Failed pod. The first such volume in the pod's spec names the message. A critical pod (priority
 * class {@code system-node-critical} or {@code system-cluster-critical}) is never evicted, as the
 * kubelet refuses to.
 */
final class EmptyDirEviction {

  /** The priority classes whose pods the kubelet never evicts (priority 2000000000 and above). */
  static final Set<String> CRITICAL_PRIORITY_CLASSES = Set.of("system-node-critical", "system-cluster-critical");

  private EmptyDirEviction() {}

  /** The eviction message of the pod, when one of its emptyDirs was last measured over its limit. */
  static Optional<String> exceeded(ClusterState state, Pod pod) {
    if (pod.spec().priorityClassName().filter(CRITICAL_PRIORITY_CLASSES::contains).isPresent()) {
      return Optional.empty();
    }
    String uid = pod.metadata().uid().orElse("");
    for (Volume v : pod.spec().volumes()) {
      if (v.emptyDir().isEmpty()) {
        continue;
      }
      Optional<Long> used = state.operation(KubeletOperations.statsId(uid, v.name()))
          .filter(Operation::succeeded)
          .flatMap(op -> op.resultAs(LocalVolumeUsage.class))
          .map(LocalVolumeUsage::usedBytes);
      if (used.isPresent()) {
        Optional<String> message = EmptyDirs.evictionMessage(v.name(), v.emptyDir().get().sizeLimit(), used.get());
        if (message.isPresent()) {
          return message;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The eviction: the pod Failed with reason {@code Evicted} and the message, not ready, and the
   * Warning {@code Evicted} event.
   */
  static Decision evict(Pod pod, String message) {
    PodStatus status = pod.status().withPhase(Optional.of(PodStatus.FAILED))
        .withReason(Optional.of(EmptyDirs.EVICTED_REASON))
        .withMessage(Optional.of(message))
        .withConditions(PodVolumeController.withCondition(
            PodVolumeController.withCondition(pod.status().conditions(), "ContainersReady", "False"), "Ready", "False"));
    return Decision.builder().update(pod.withStatus(status))
        .event(EventRecord.warning(KubeletOperations.EVENT_SOURCE, ObjectKey.of(pod), EmptyDirs.EVICTED_REASON, message))
        .build();
  }
}
