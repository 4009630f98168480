package io.volumekit.core.effect;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.GetVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.GetVolumeGroupSnapshotResponse;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/**
 * CSI {@code GetVolumeGroupSnapshot} for a pre-provisioned VolumeGroupSnapshotContent ({@code
 * source.groupSnapshotHandles}), as the csi-snapshotter sidecar issues it to fill the content's
 * status: readiness, creation time and each member's source volume.
 */
public record GetGroupSnapshot(
    EffectId id, ObjectKey owner, String controller, String driver, GetVolumeGroupSnapshotRequest request)
    implements CsiEffect<GetVolumeGroupSnapshotResponse> {

  public GetGroupSnapshot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(request, "request");
  }

  @Override
  public GetVolumeGroupSnapshotResponse call(CsiDriver driver) {
    return driver.getVolumeGroupSnapshot(request);
  }

  @Override
  public String describe() {
    return "GetVolumeGroupSnapshot driver=" + driver + " groupSnapshotId=" + request.groupSnapshotId();
  }
}
