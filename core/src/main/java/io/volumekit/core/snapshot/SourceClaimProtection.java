package io.volumekit.core.snapshot;

import io.volumekit.core.api.Volumes;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.DataSourceIndex;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.snapshot.VolumeSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code pvc-as-source-protection} on the claim a VolumeSnapshot is taken from, as the snapshot
 * controller keeps it (docs/cases/snapshots.md, rows snap-1 and snap-7): the claim keeps the
 * finalizer while any VolumeSnapshot naming it as its source is not ready, whether or not that
 * snapshot is being deleted; every sync of a snapshot checks this, and a snapshot being let go
 * checks it without counting itself.
 */
final class SourceClaimProtection {

  private SourceClaimProtection() {}

  /**
   * The snapshot's source claim without the finalizer, when the claim has it and no snapshot of the
   * claim is still being cut (not ready); with {@code skipSelf}, the snapshot itself is not counted
   * (it is being let go). Empty when there is nothing to remove: no source claim (pre-provisioned),
   * the claim is gone or lacks the finalizer, or a snapshot of it is not ready.
   */
  static Optional<PersistentVolumeClaim> released(ClusterState state, VolumeSnapshot snap, boolean skipSelf) {
    return sourceClaim(state, snap)
        .filter(c -> c.metadata().hasFinalizer(Snapshots.PVC_AS_SOURCE_PROTECTION))
        .filter(c -> !beingUsed(state, c, skipSelf ? Optional.of(ObjectKey.of(snap)) : Optional.empty()))
        .map(c -> c.withMetadata(c.metadata().withoutFinalizer(Snapshots.PVC_AS_SOURCE_PROTECTION)));
  }

  /**
   * The claim without the finalizer when it has it and no VolumeSnapshot names it any more: the
   * last one went without a sync that let the claim go (it never got a finalizer of its own, so its
   * deletion removed it at once). Kubernetes leaves such a claim protected for ever; here it is let
   * go (docs/kubernetes-differences.md, row 187).
   */
  static Optional<PersistentVolumeClaim> orphaned(ClusterState state, ObjectKey claimKey) {
    return state.get(claimKey, PersistentVolumeClaim.class)
        .filter(c -> c.metadata().hasFinalizer(Snapshots.PVC_AS_SOURCE_PROTECTION))
        .filter(c -> snapshotsOf(state, claimKey).isEmpty())
        .map(c -> c.withMetadata(c.metadata().withoutFinalizer(Snapshots.PVC_AS_SOURCE_PROTECTION)));
  }

  /** The VolumeSnapshots naming the claim as their source. */
  static List<ObjectKey> snapshotsOf(ClusterState state, ObjectKey claimKey) {
    List<ObjectKey> out = new ArrayList<>();
    for (ObjectKey k : state.index(DataSourceIndex.class).dependents(claimKey)) {
      if (k.kind().equals(VolumeSnapshot.KIND)) {
        out.add(k);
      }
    }
    return out;
  }

  /** The claim the snapshot names as its source, if it exists. */
  static Optional<PersistentVolumeClaim> sourceClaim(ClusterState state, VolumeSnapshot snap) {
    return snap.spec().source().persistentVolumeClaimName()
        .flatMap(n -> state.get(Volumes.claimKey(snap.metadata().namespaceOrEmpty(), n), PersistentVolumeClaim.class));
  }

  /**
   * Whether some VolumeSnapshot of the claim (other than {@code skip}) is not ready: also one being
   * deleted, also a member of a group snapshot.
   */
  private static boolean beingUsed(ClusterState state, PersistentVolumeClaim claim, Optional<ObjectKey> skip) {
    for (ObjectKey k : snapshotsOf(state, ObjectKey.of(claim))) {
      if (!skip.equals(Optional.of(k))
          && state.get(k, VolumeSnapshot.class).filter(s -> !s.status().readyToUse().orElse(false)).isPresent()) {
        return true;
      }
    }
    return false;
  }
}
