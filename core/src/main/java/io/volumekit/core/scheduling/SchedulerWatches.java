package io.volumekit.core.scheduling;

import io.volumekit.core.controller.ChangeFact;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.NodePodIndex;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.storage.CSIDriver;
import io.volumekit.model.storage.CSINode;
import io.volumekit.model.storage.CSIStorageCapacity;
import io.volumekit.model.storage.StorageClass;
import java.util.List;

/**
 * The changes the {@link Scheduler}'s watch is shown ({@link Scheduler#watches()}): every path of
 * its watch queues pending pods (all of them, those using the change's claim, or the changed pod
 * while it is not placed), so each kind is shown only when such pods exist.
 */
final class SchedulerWatches {

  /** Some pod waits to be placed ({@link NodePodIndex#unscheduled}): what {@code pending} queues. */
  private static final ChangeFact PENDING_PODS = ChangeFact.of("pods pending",
      f -> !f.state().index(NodePodIndex.class).unscheduled().isEmpty());
  /** The changed pod exists and is not placed. */
  private static final ChangeFact UNPLACED = ChangeFact.of("pod not placed",
      f -> f.change().afterAs(Pod.class).filter(p -> p.nodeName().isEmpty()).isPresent());
  /** A pod not placed uses the change's claim (a volume's, before or after): what {@code pendingUsing} queues. */
  private static final ChangeFact CLAIM_WAITED_FOR = ChangeFact.of("claim used by a pending pod",
      f -> f.holds(ChangeFact.CLAIM_USED) && f.anyClaimPod(false));

  /** The declaration, built once. */
  static final WatchedKinds WATCHES = build();

  private SchedulerWatches() {
  }

  private static WatchedKinds build() {
    // Every path of watch queues pending pods: all of them, those of the change's claim, or the
    // changed pod itself while it is not placed.
    WatchedKinds w = WatchedKinds.of(Pod.KIND, PersistentVolumeClaim.KIND, PersistentVolume.KIND, Node.KIND, CSINode.KIND,
        CSIStorageCapacity.KIND, StorageClass.KIND, CSIDriver.KIND)
        .when(Pod.KIND, UNPLACED, PENDING_PODS)
        .when(PersistentVolumeClaim.KIND, CLAIM_WAITED_FOR)
        .when(PersistentVolume.KIND, PENDING_PODS, CLAIM_WAITED_FOR);
    for (String k : List.of(Node.KIND, CSINode.KIND, CSIStorageCapacity.KIND, StorageClass.KIND, CSIDriver.KIND)) {
      w = w.when(k, PENDING_PODS);
    }
    return w;
  }
}
