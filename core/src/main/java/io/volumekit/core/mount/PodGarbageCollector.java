package io.volumekit.core.mount;

import io.volumekit.core.controller.ChangeFact;
import com.google.common.collect.ImmutableList;
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
import io.volumekit.model.core.PodCondition;
import io.volumekit.model.core.PodStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Removes the pods of nodes whose kubelet is gone: nodes tainted {@code
 * node.kubernetes.io/out-of-service} (non-graceful node shutdown) and deleted nodes.
 *
 * <p>Mirrors the taint manager's eviction plus the pod garbage collector's {@code gcTerminating}
 * and {@code gcOrphaned}: such a pod is marked for deletion and then force-deleted (its volume
 * finalizer removed without unmounting, since no kubelet will unmount), which lets the
 * attach/detach controller detach its volumes at once and its claims be released.
 *
 * <p>A pod placed on a Node that does not exist (deleted before the pod was created or bound, or
 * never created) is orphaned: no kubelet will ever run it, so, as {@code gcOrphaned} does, it is
 * marked Failed with the condition {@code DisruptionTarget} (reason {@value #DELETION_BY_POD_GC},
 * message {@value #NODE_GONE}) and deleted, instead of staying Pending without an explanation.
 * Kubernetes waits a 40 second quarantine first (its informer caches may not have seen a new Node
 * yet); the engine's state is never stale, so it collects at once (docs/cases/node-side.md row
 * AT8, docs/kubernetes-differences.md row 38).
 */
public final class PodGarbageCollector implements Controller {

  /** The controller's name. */
  public static final String NAME = "pod-garbage-collector";

  /** Reason of the DisruptionTarget condition of a pod the collector deletes. */
  public static final String DELETION_BY_POD_GC = "DeletionByPodGC";

  /** Message of the DisruptionTarget condition of an orphaned pod. */
  public static final String NODE_GONE = "PodGC: node no longer exists";

  /** The pod condition type marking a pod about to be deleted by the control plane. */
  public static final String DISRUPTION_TARGET = "DisruptionTarget";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public WatchedKinds watches() {
    // A node's change matters only as it goes out of service; a pod's (added or updated) only when
    // its node is gone or out of service.
    return WatchedKinds.of(Node.KIND, Pod.KIND)
        .only(Pod.KIND, Change.Type.ADDED, Change.Type.MODIFIED)
        .when(Node.KIND, Change.Type.MODIFIED, PodVolumeController.OUT_OF_SERVICE_CHANGED);
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
    // Gone: the node is out of service, or does not exist (deleted, or never there: orphaned).
    boolean gone = n.map(PodVolumeSupport::isOutOfService).orElse(true);
    if (!gone) {
      return Decision.none();
    }
    if (!pod.metadata().isDeleting()) {
      Pod failed = pod.withStatus(pod.status().withPhase(Optional.of(PodStatus.FAILED)));
      if (n.isEmpty() && !pod.metadata().hasFinalizer(PodVolumeController.POD_FINALIZER)) {
        // Orphaned (no kubelet ever saw it): gcOrphaned's condition says why the pod went.
        List<PodCondition> conditions = new ArrayList<>();
        for (PodCondition c : failed.status().conditions()) {
          if (!c.type().equals(DISRUPTION_TARGET)) {
            conditions.add(c);
          }
        }
        conditions.add(new PodCondition(DISRUPTION_TARGET, "True", Optional.empty(), Optional.empty(),
            Optional.of(DELETION_BY_POD_GC), Optional.of(NODE_GONE)));
        failed = failed.withStatus(failed.status().withConditions(ImmutableList.copyOf(conditions)));
      }
      return Decision.builder().update(failed).delete(key, pod.metadata().uid().orElse("")).build();
    }
    if (pod.metadata().hasFinalizer(PodVolumeController.POD_FINALIZER)) {
      return Decision.update(pod.withMetadata(pod.metadata().withoutFinalizer(PodVolumeController.POD_FINALIZER)));
    }
    return Decision.none();
  }
}
