package io.volumekit.core.effect;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.DeleteSnapshotRequest;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/**
 * CSI {@code DeleteSnapshot} for a VolumeSnapshotContent with deletion policy Delete that is being
 * deleted, as the csi-snapshotter sidecar issues it. An unknown snapshot id succeeds.
 */
public record DeleteSnapshot(
    EffectId id, ObjectKey owner, String controller, String driver, DeleteSnapshotRequest request)
    implements CsiEffect<Void> {

  public DeleteSnapshot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(request, "request");
  }

  @Override
  public Void call(CsiDriver driver) {
    driver.deleteSnapshot(request);
    return null;
  }

  @Override
  public String describe() {
    return "DeleteSnapshot driver=" + driver + " snapshotId=" + request.snapshotId();
  }
}
