package io.volumekit.core.snapshot;

import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.controller.Write;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimStatus;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotClass;
import java.util.List;
import java.util.Optional;

/**
 * The class check that comes before every sync of a VolumeSnapshot, as the snapshot controller
 * makes it (docs/cases/snapshots.md, rows snap-2, snap-3 and snap-class): a snapshot naming a class
 * is synced only while that class exists (one being deleted is synced even without it); a dynamic
 * snapshot naming none gets the default class of the CSI driver of its claim's volume written into
 * its spec, which needs the claim Bound to a CSI volume bound back to it; a pre-provisioned snapshot
 * or a member of a group snapshot naming none passes. A failure is recorded in the snapshot's
 * {@code status.error} (readyToUse untouched) with a Warning event, once per message.
 */
final class SnapshotClassGate {

  private SnapshotClassGate() {}

  /**
   * The check's outcome: {@code toSync}, the snapshot the sync goes on with (its class or its
   * error written in, to be stored with the sync's own writes), or empty when the check stops the
   * sync; {@code recorded}, what the check itself records (its status write only when it stops the
   * sync, its event either way).
   */
  record Outcome(Optional<VolumeSnapshot> toSync, Decision recorded) {}

  /** The check for the snapshot in this state. */
  static Outcome check(ClusterState state, VolumeSnapshot snap) {
    Optional<String> named = snap.spec().volumeSnapshotClassName();
    if (named.isPresent()) {
      if (state.contains(Snapshots.classKey(named.get()))) {
        return new Outcome(Optional.of(snap), Decision.none());
      }
      String message = "Failed to get snapshot class with error volumesnapshotclass.snapshot.storage.k8s.io \""
          + named.get() + "\" not found";
      if (snap.metadata().isDeleting()) {
        // The class is gone but the snapshot is being deleted: it is synced all the same, so that
        // its finalizers can go; the error goes with the sync's writes.
        Decision event = hasError(snap, message) ? Decision.none()
            : Decision.event(EventRecord.warning(SnapshotController.NAME, ObjectKey.of(snap), Snapshots.GET_SNAPSHOT_CLASS_FAILED, message));
        return new Outcome(Optional.of(hasError(snap, message) ? snap : withError(snap, message)), event);
      }
      return new Outcome(Optional.empty(), recordError(snap, Snapshots.GET_SNAPSHOT_CLASS_FAILED, message));
    }
    if (snap.spec().source().volumeSnapshotContentName().isPresent() || isGroupMember(snap)) {
      return new Outcome(Optional.of(snap), Decision.none());
    }
    Either driver = claimDriver(state, snap);
    Optional<String> failure = driver.error();
    Optional<VolumeSnapshotClass> chosen = Optional.empty();
    if (failure.isEmpty()) {
      List<VolumeSnapshotClass> defaults = state.list(VolumeSnapshotClass.KIND, VolumeSnapshotClass.class).stream()
          .filter(c -> c.driver().equals(driver.value().orElseThrow()))
          .filter(c -> c.metadata().annotation(Snapshots.IS_DEFAULT_CLASS).map("true"::equals).orElse(false))
          .toList();
      if (defaults.isEmpty()) {
        failure = Optional.of("cannot find default snapshot class");
      } else if (defaults.size() > 1) {
        failure = Optional.of(defaults.size() + " default snapshot classes were found");
      } else {
        chosen = Optional.of(defaults.get(0));
      }
    }
    if (failure.isPresent()) {
      // Not a "not found" of the class: a snapshot being deleted is not synced either.
      return new Outcome(Optional.empty(), recordError(snap, Snapshots.SET_DEFAULT_SNAPSHOT_CLASS_FAILED,
          "Failed to set default snapshot class with error " + failure.get()));
    }
    String className = chosen.orElseThrow().metadata().name();
    return new Outcome(Optional.of(snap.withSpec(snap.spec().withVolumeSnapshotClassName(Optional.of(className)))),
        Decision.none());
  }

  /**
   * The sync's decision with the snapshot the check changed stored: the sync's own update of the
   * snapshot carries the change (it is made from {@code toSync}); without one, an update is added.
   */
  static Decision withChange(VolumeSnapshot original, VolumeSnapshot toSync, Decision sync) {
    if (toSync.equals(original)) {
      return sync;
    }
    ObjectKey key = ObjectKey.of(original);
    boolean written = sync.writes().stream().anyMatch(w -> w instanceof Write.Update u && ObjectKey.of(u.object()).equals(key));
    return written ? sync : Decision.update(toSync).and(sync);
  }

  /** Whether an owner reference makes the snapshot a member of a VolumeGroupSnapshot. */
  private static boolean isGroupMember(VolumeSnapshot snap) {
    return snap.metadata().ownerReferences().stream()
        .anyMatch(o -> o.kind().equals(VolumeGroupSnapshot.KIND) && o.apiVersion().equals(VolumeGroupSnapshot.API_VERSION));
  }

  /** The CSI driver of the volume of the snapshot's claim, or why there is none (pvDriverFromSnapshot's errors). */
  private static Either claimDriver(ClusterState state, VolumeSnapshot snap) {
    String claimName = snap.spec().source().persistentVolumeClaimName().orElse("");
    if (claimName.isEmpty()) {
      return Either.error("the PVC name is not specified in snapshot " + ObjectKey.of(snap).namespacedName());
    }
    Optional<PersistentVolumeClaim> claim =
        state.get(Volumes.claimKey(snap.metadata().namespaceOrEmpty(), claimName), PersistentVolumeClaim.class);
    if (claim.isEmpty()) {
      return Either.error("failed to retrieve PVC " + claimName + " from the lister: \"persistentvolumeclaim \\\""
          + claimName + "\\\" not found\"");
    }
    if (!claim.get().phase().equals(PersistentVolumeClaimStatus.BOUND)) {
      return Either.error("the PVC " + claimName + " is not yet bound to a PV, will not attempt to take a snapshot");
    }
    String pvName = claim.get().volumeName().orElse("");
    if (pvName.isEmpty()) {
      return Either.error("failed to retrieve PV  from the API server: \"resource name may not be empty\"");
    }
    Optional<PersistentVolume> pv = state.get(Volumes.volumeKey(pvName), PersistentVolume.class);
    if (pv.isEmpty()) {
      return Either.error("failed to retrieve PV " + pvName + " from the API server: \"persistentvolumes \\\""
          + pvName + "\\\" not found\"");
    }
    if (!pv.get().isBoundTo(claim.get())) {
      return Either.error("claim in dataSource not bound or invalid");
    }
    if (pv.get().csi().isEmpty()) {
      return Either.error("snapshotting non-CSI volumes is not supported, snapshot:" + ObjectKey.of(snap).namespacedName());
    }
    return new Either(Optional.of(pv.get().csi().get().driver()), Optional.empty());
  }

  /** A driver name or the reason there is none. */
  private record Either(Optional<String> value, Optional<String> error) {
    static Either error(String message) {
      return new Either(Optional.empty(), Optional.of(message));
    }
  }

  private static boolean hasError(VolumeSnapshot snap, String message) {
    return Snapshots.hasErrorMessage(snap.status().error(), message);
  }

  private static VolumeSnapshot withError(VolumeSnapshot snap, String message) {
    return snap.withStatus(snap.status().withError(Optional.of(Snapshots.error(message))));
  }

  /**
   * The error in the snapshot's status (readyToUse left as it is) and its Warning event; nothing
   * when the status already holds that message.
   */
  private static Decision recordError(VolumeSnapshot snap, String reason, String message) {
    if (hasError(snap, message)) {
      return Decision.none();
    }
    return Decision.builder()
        .update(withError(snap, message))
        .event(EventRecord.warning(SnapshotController.NAME, ObjectKey.of(snap), reason, message))
        .build();
  }
}
