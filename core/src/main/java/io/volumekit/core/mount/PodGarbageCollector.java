package io.volumekit.core.mount;

import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.key.Change;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.NodePodIndex;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodStatus;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Removes the pods of nodes whose kubelet is gone: nodes tainted {@code
 * node.kubernetes.io/out-of-service} (non-graceful node shutdown) and deleted nodes.
 *
 * <p>Mirrors the taint manager's eviction plus the pod garbage collector's {@code gcTerminating}
 * and {@code gcOrphaned}: such a pod is marked for deletion and then force-deleted (its volume
 * finalizer removed without unmounting, since no kubelet will unmount), which lets the
 * attach/detach controller detach its volumes at once and its claims be released. Pods placed on a
 * node that never existed are left alone.
 */
public final class PodGarbageCollector implements Controller {

  /** The controller's name. */
  public static final String NAME = "pod-garbage-collector";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public WatchedKinds watches() {
    return WatchedKinds.of(Node.KIND, Pod.KIND);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    if (change.kind().equals(Node.KIND)) {
      boolean down = change.afterAs(Node.class).map(PodVolumeSupport::isOutOfService).orElse(true);
      boolean wasDown = change.beforeAs(Node.class).map(PodVolumeSupport::isOutOfService).orElse(false);
      if (down && !wasDown) {
        // That node's pods only (NodePodIndex), not every pod.
        state.index(NodePodIndex.class).podsOn(change.key().name()).forEach(enqueue);
      }
    } else if (change.kind().equals(Pod.KIND)) {
      // Only a placed pod whose node is gone or out of service can need collecting (reconcile
      // decides nothing for any other); the node's own changes queue its pods above.
      change.afterAs(Pod.class).flatMap(Pod::nodeName)
          .filter(n -> state.get(ObjectKey.cluster(Node.KIND, n), Node.class)
              .map(PodVolumeSupport::isOutOfService).orElse(true))
          .ifPresent(n -> enqueue.accept(change.key()));
    }
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    Optional<Pod> found = state.get(key, Pod.class);
    if (found.isEmpty() || found.get().nodeName().isEmpty()) {
      return Decision.none();
    }
    Pod pod = found.get();
    String node = pod.nodeName().get();
    Optional<Node> n = state.get(ObjectKey.cluster(Node.KIND, node), Node.class);
    boolean gone;
    if (n.isPresent()) {
      gone = PodVolumeSupport.isOutOfService(n.get());
    } else {
      // Only pods of a node that was deleted: they carry our finalizer, so the kubelet saw the node.
      gone = pod.metadata().hasFinalizer(PodVolumeController.POD_FINALIZER);
    }
    if (!gone) {
      return Decision.none();
    }
    if (!pod.metadata().isDeleting()) {
      Pod failed = pod.withStatus(pod.status().withPhase(Optional.of(PodStatus.FAILED)));
      return Decision.builder().update(failed).delete(key, pod.metadata().uid().orElse("")).build();
    }
    if (pod.metadata().hasFinalizer(PodVolumeController.POD_FINALIZER)) {
      return Decision.update(pod.withMetadata(pod.metadata().withoutFinalizer(PodVolumeController.POD_FINALIZER)));
    }
    return Decision.none();
  }
}
