package io.volumekit.core.effect;

import io.volumekit.core.csi.CreateVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.CreateVolumeGroupSnapshotResponse;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/**
 * CSI {@code CreateVolumeGroupSnapshot} for a dynamically provisioned VolumeGroupSnapshotContent,
 * as the csi-snapshotter sidecar issues it. The request name is {@code groupsnapshot-<VolumeGroupSnapshot
 * uid>}, so a repeat after an uncertain failure answers the same group.
 */
public record CreateGroupSnapshot(
    EffectId id, ObjectKey owner, String controller, String driver, CreateVolumeGroupSnapshotRequest request)
    implements CsiEffect<CreateVolumeGroupSnapshotResponse> {

  public CreateGroupSnapshot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(request, "request");
  }

  @Override
  public CreateVolumeGroupSnapshotResponse call(CsiDriver driver) {
    return driver.createVolumeGroupSnapshot(request);
  }

  @Override
  public String describe() {
    return "CreateVolumeGroupSnapshot driver=" + driver + " name=" + request.name()
        + " sourceVolumeIds=" + request.sourceVolumeIds();
  }
}
