package io.volumekit.testkit;

import io.volumekit.core.api.Volumes;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.DataSourceIndex;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.TypedLocalObjectReference;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContent;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The invariants of snapshots, restores and clones ({@link HistoryGenerator#withSnapshots()}):
 * the engine never leaks a CSI snapshot, never deletes one whose content has policy Retain, never binds a restored or cloned claim to a volume the
 * driver created empty, never lets a source claim go while its snapshot is being cut, and keeps
 * each VolumeSnapshot and its VolumeSnapshotContent bound both ways.
 */
public final class SnapshotInvariants {

  private SnapshotInvariants() {}

  /** Every CSI snapshot has a content (the storage is never lost track of), and none is left when none is wanted. */
  public static final Invariant NO_SNAPSHOT_LEAKS = Invariant.ofState("no-snapshot-leaks",
      "Every snapshot the driver holds is recorded by a VolumeSnapshotContent (its snapshotHandle, or its"
      + " snapshot's uid in the CreateSnapshot name while the handle is not recorded yet), unless a content"
      + " with policy Retain was removed over it; so once nothing asks for snapshots, the driver holds none.",
      SnapshotInvariants::leaks);

  /** Whether a VolumeSnapshot that is not readyToUse names the claim as its source. */
  static boolean sourceOfUnreadySnapshot(ClusterState state, ObjectKey claim) {
    for (ObjectKey k : state.index(DataSourceIndex.class).dependents(claim)) {
      if (k.kind().equals(VolumeSnapshot.KIND)
          && state.get(k, VolumeSnapshot.class).filter(v -> !v.status().readyToUse().orElse(false)).isPresent()) {
        return true;
      }
    }
    return false;
  }

  private static Optional<String> leaks(SimView view) {
    Set<String> known = new HashSet<>(view.retainedSnapshots());
    for (VolumeSnapshotContent c : view.state().list(VolumeSnapshotContent.KIND, VolumeSnapshotContent.class)) {
      c.status().snapshotHandle().ifPresent(known::add);
      c.spec().source().snapshotHandle().ifPresent(known::add);
      String uid = c.spec().volumeSnapshotRef().uidOrEmpty();
      if (!uid.isEmpty()) {
        known.add("snapshot-" + uid);
      }
    }
    for (VolumeGroupSnapshotContent c : view.state().list(VolumeGroupSnapshotContent.KIND, VolumeGroupSnapshotContent.class)) {
      c.status().volumeSnapshotHandlePairList().forEach(p -> known.add(p.snapshotHandle()));
      c.spec().source().groupSnapshotHandles().ifPresent(h -> known.addAll(h.volumeSnapshotHandles()));
      String uid = c.spec().volumeGroupSnapshotRef().uidOrEmpty();
      if (!uid.isEmpty()) {
        known.add("groupsnapshot-" + uid);
      }
    }
    Map<String, String> names = view.driver().createdSnapshots();
    for (String id : view.driver().backingSnapshots().keySet()) {
      String name = names.getOrDefault(id, "");
      if (!known.contains(id) && !known.contains(name)) {
        return Optional.of("the driver holds snapshot " + id + " (CreateSnapshot name " + name
            + ") that no VolumeSnapshotContent records: it leaked");
      }
    }
    return Optional.empty();
  }

  /** A snapshot whose content has policy Retain is never deleted from the driver. */
  public static final Invariant RETAIN_SNAPSHOT_KEPT = Invariant.ofState("retain-snapshot-kept",
      "A snapshot the driver cut for a VolumeSnapshotContent with deletionPolicy Retain is still held by"
      + " the driver, while the content exists and after it was removed.",
      SnapshotInvariants::retainedGone);

  private static Optional<String> retainedGone(SimView view) {
    Set<String> retained = new HashSet<>(view.retainedSnapshots());
    for (VolumeSnapshotContent c : view.state().list(VolumeSnapshotContent.KIND, VolumeSnapshotContent.class)) {
      if ("Retain".equals(c.spec().deletionPolicy())) {
        c.status().snapshotHandle().ifPresent(retained::add);
        c.spec().source().snapshotHandle().ifPresent(retained::add);
      }
    }
    if (retained.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> created = view.driver().createdSnapshots();
    Set<String> held = view.driver().backingSnapshots().keySet();
    for (Map.Entry<String, String> e : created.entrySet()) {
      boolean isRetained = retained.contains(e.getKey()) || retained.contains(e.getValue());
      if (isRetained && !held.contains(e.getKey())) {
        return Optional.of("snapshot " + e.getKey() + " (CreateSnapshot name " + e.getValue()
            + ") of a content with policy Retain was deleted from the driver");
      }
    }
    return Optional.empty();
  }

  /** A restored or cloned claim's provisioned volume was created from the claim's source. */
  public static final Invariant RESTORED_FROM_SOURCE = new Invariant() {
    @Override
    public String name() {
      return "restored-from-source";
    }

    @Override
    public String description() {
      return "A claim with a VolumeSnapshot or PersistentVolumeClaim dataSource that becomes Bound to the volume"
          + " provisioned for it (pvc-<claim uid>) is bound to a volume the driver created from that source: the"
          + " snapshot's handle, or the source claim's volume.";
    }

    @Override
    public Optional<String> onChange(Change change, SimView view) {
      Optional<PersistentVolumeClaim> after = change.afterAs(PersistentVolumeClaim.class);
      if (after.isEmpty() || after.get().spec().dataSource().isEmpty() || after.get().volumeName().isEmpty()
          || change.beforeAs(PersistentVolumeClaim.class).flatMap(PersistentVolumeClaim::volumeName).isPresent()) {
        return Optional.empty(); // only the moment a claim with a source gets its volume
      }
      PersistentVolumeClaim claim = after.get();
      String pvName = claim.volumeName().get();
      if (!pvName.equals(Volumes.provisionedVolumeName(claim))) {
        return Optional.empty(); // a PV that existed before (the binder may pick one, as Kubernetes')
      }
      ClusterState s = view.state();
      Optional<String> handle = s.get(Volumes.volumeKey(pvName), PersistentVolume.class)
          .flatMap(PersistentVolume::csi).map(c -> c.volumeHandle());
      if (handle.isEmpty()) {
        return Optional.empty();
      }
      Optional<String> made = view.driver().contentSource(handle.get());
      TypedLocalObjectReference src = claim.spec().dataSource().get();
      String what = "claim " + claim.metadata().name() + " (dataSource " + src.kind() + " " + src.name() + ") is bound to "
          + pvName + " (volume " + handle.get() + ")";
      if (src.kind().equals(VolumeSnapshot.KIND)) {
        if (made.filter(m -> m.startsWith("snapshot:")).isEmpty()) {
          return Optional.of(what + ", which the driver created " + made.map(m -> "from " + m).orElse("empty"));
        }
        Optional<String> want = s.get(SnapshotSteps.snapshotKey(src.name()), VolumeSnapshot.class)
            .flatMap(v -> v.status().boundVolumeSnapshotContentName())
            .flatMap(n -> s.get(io.volumekit.core.key.ObjectKey.cluster(VolumeSnapshotContent.KIND, n), VolumeSnapshotContent.class))
            .flatMap(c -> c.status().snapshotHandle());
        if (want.isPresent() && !made.get().equals("snapshot:" + want.get())) {
          return Optional.of(what + ", which the driver created from " + made.get() + ", not from snapshot " + want.get());
        }
      } else if (src.kind().equals(PersistentVolumeClaim.KIND)) {
        if (made.filter(m -> m.startsWith("volume:")).isEmpty()) {
          return Optional.of(what + ", which the driver created " + made.map(m -> "from " + m).orElse("empty"));
        }
        Optional<String> want = s.get(Step.claimKey(src.name()), PersistentVolumeClaim.class)
            .flatMap(PersistentVolumeClaim::volumeName)
            .flatMap(n -> s.get(Volumes.volumeKey(n), PersistentVolume.class))
            .flatMap(PersistentVolume::csi).map(c -> c.volumeHandle());
        if (want.isPresent() && !made.get().equals("volume:" + want.get())) {
          return Optional.of(what + ", which the driver created from " + made.get() + ", not from volume " + want.get());
        }
      }
      return Optional.empty();
    }
  };

  /** A claim being snapshotted is not removed until its snapshot is cut. */
  public static final Invariant SOURCE_KEPT_WHILE_CUT = new Invariant() {
    @Override
    public String name() {
      return "snapshot-source-kept";
    }

    @Override
    public String description() {
      return "A claim is never removed while a VolumeSnapshot of it (not being deleted) is bound to an existing"
          + " content (not being deleted) that is not readyToUse: the snapshot is being cut from its volume.";
    }

    @Override
    public Optional<String> onChange(Change change, SimView view) {
      if (!change.kind().equals(PersistentVolumeClaim.KIND) || change.after().isPresent()) {
        return Optional.empty();
      }
      String claim = change.key().name();
      ClusterState s = view.state();
      for (VolumeSnapshot v : s.list(VolumeSnapshot.KIND, VolumeSnapshot.class)) {
        Optional<VolumeSnapshotContent> content = v.status().boundVolumeSnapshotContentName()
            .flatMap(n -> s.get(io.volumekit.core.key.ObjectKey.cluster(VolumeSnapshotContent.KIND, n), VolumeSnapshotContent.class));
        if (v.metadata().namespaceOrEmpty().equals(change.key().namespace())
            && v.spec().source().persistentVolumeClaimName().filter(claim::equals).isPresent()
            && !v.metadata().isDeleting()
            && content.filter(c -> !c.metadata().isDeleting() && !c.status().readyToUse().orElse(false)).isPresent()) {
          return Optional.of("claim " + claim + " was removed while snapshot " + v.metadata().name()
              + " of it is being cut (content " + v.status().boundVolumeSnapshotContentName().get() + ")");
        }
      }
      return Optional.empty();
    }
  };

  /** Snapshot and content name each other. */
  public static final Invariant BOUND_BOTH_WAYS = new Invariant() {
    @Override
    public String name() {
      return "snapshot-content-bound-both-ways";
    }

    @Override
    public String description() {
      return "A VolumeSnapshot bound to an existing content is named by that content's volumeSnapshotRef (name and"
          + " uid); no two contents claim the same snapshot (uid); and a content naming a live snapshot is the one"
          + " that snapshot is bound to, or the snapshot is not bound yet.";
    }

    @Override
    public Optional<String> afterStep(SimView view) {
      ClusterState s = view.state();
      Map<String, String> contentByUid = new HashMap<>();
      for (VolumeSnapshotContent c : s.list(VolumeSnapshotContent.KIND, VolumeSnapshotContent.class)) {
        String uid = c.spec().volumeSnapshotRef().uidOrEmpty();
        if (uid.isEmpty()) {
          continue;
        }
        String other = contentByUid.put(uid, c.metadata().name());
        if (other != null) {
          return Optional.of("contents " + other + " and " + c.metadata().name() + " both claim the snapshot with uid " + uid);
        }
      }
      for (VolumeSnapshot v : s.list(VolumeSnapshot.KIND, VolumeSnapshot.class)) {
        String uid = v.metadata().uid().orElse("");
        Optional<String> bound = v.status().boundVolumeSnapshotContentName();
        if (bound.isPresent()) {
          Optional<VolumeSnapshotContent> c = s.get(
              io.volumekit.core.key.ObjectKey.cluster(VolumeSnapshotContent.KIND, bound.get()), VolumeSnapshotContent.class);
          if (c.isPresent()) {
            var ref = c.get().spec().volumeSnapshotRef();
            if (!ref.nameOrEmpty().equals(v.metadata().name()) || !ref.namespaceOrEmpty().equals(v.metadata().namespaceOrEmpty())
                || (!ref.uidOrEmpty().isEmpty() && !ref.uidOrEmpty().equals(uid))) {
              return Optional.of("snapshot " + v.metadata().name() + " is bound to content " + bound.get()
                  + " whose volumeSnapshotRef is " + ref.namespaceOrEmpty() + "/" + ref.nameOrEmpty() + " uid " + ref.uidOrEmpty());
            }
          }
        }
        String claimant = contentByUid.get(uid);
        if (claimant != null && bound.isPresent() && !bound.get().equals(claimant)) {
          return Optional.of("content " + claimant + " names snapshot " + v.metadata().name() + " (uid " + uid
              + ") but the snapshot is bound to " + bound.get());
        }
      }
      return Optional.empty();
    }
  };

}
