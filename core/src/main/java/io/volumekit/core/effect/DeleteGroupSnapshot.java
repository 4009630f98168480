package io.volumekit.core.effect;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.DeleteVolumeGroupSnapshotRequest;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/**
 * CSI {@code DeleteVolumeGroupSnapshot} for a VolumeGroupSnapshotContent with deletion policy
 * Delete that is being deleted, as the csi-snapshotter sidecar issues it: the group and its member
 * snapshots go together. An unknown group succeeds.
 */
public record DeleteGroupSnapshot(
    EffectId id, ObjectKey owner, String controller, String driver, DeleteVolumeGroupSnapshotRequest request)
    implements CsiEffect<Void> {

  public DeleteGroupSnapshot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(request, "request");
  }

  @Override
  public Void call(CsiDriver driver) {
    driver.deleteVolumeGroupSnapshot(request);
    return null;
  }

  @Override
  public String describe() {
    return "DeleteVolumeGroupSnapshot driver=" + driver + " groupSnapshotId=" + request.groupSnapshotId()
        + " snapshotIds=" + request.snapshotIds();
  }
}
