package io.volumekit.testkit;

import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContent;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The invariants of volume group snapshots ({@link HistoryGenerator#withGroupSnapshots()}): the
 * group snapshots on the storage are those the VolumeGroupSnapshotContents record. The member
 * snapshots are checked by {@link SnapshotInvariants#NO_SNAPSHOT_LEAKS} too.
 */
public final class GroupSnapshotInvariants {

  private GroupSnapshotInvariants() {}

  /** Every CSI group snapshot has a content, and none is left when none is wanted. */
  public static final Invariant NO_GROUP_SNAPSHOT_LEAKS = Invariant.ofState("no-group-snapshot-leaks",
      "Every group snapshot the driver holds is recorded by a VolumeGroupSnapshotContent (its"
      + " volumeGroupSnapshotHandle, or its group snapshot's uid in the CreateVolumeGroupSnapshot name while the"
      + " handle is not recorded yet), unless a content with policy Retain was removed over it; so once nothing"
      + " asks for group snapshots, the driver holds none.",
      GroupSnapshotInvariants::leaks);

  private static Optional<String> leaks(SimView view) {
    Map<String, String> held = view.driver().backingGroupSnapshots();
    if (held.isEmpty()) {
      return Optional.empty();
    }
    Set<String> known = new HashSet<>(view.retainedSnapshots());
    for (VolumeGroupSnapshotContent c : view.state().list(VolumeGroupSnapshotContent.KIND, VolumeGroupSnapshotContent.class)) {
      c.status().volumeGroupSnapshotHandle().ifPresent(known::add);
      c.spec().source().groupSnapshotHandles().ifPresent(h -> known.add(h.volumeGroupSnapshotHandle()));
      String uid = c.spec().volumeGroupSnapshotRef().uidOrEmpty();
      if (!uid.isEmpty()) {
        known.add("groupsnapshot-" + uid);
      }
    }
    for (Map.Entry<String, String> e : held.entrySet()) {
      if (!known.contains(e.getKey()) && !known.contains(e.getValue())) {
        return Optional.of("the driver holds group snapshot " + e.getKey() + " (CreateVolumeGroupSnapshot name "
            + e.getValue() + ") that no VolumeGroupSnapshotContent records: it leaked");
      }
    }
    return Optional.empty();
  }
}
