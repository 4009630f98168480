package io.volumekit.core.effect;

import io.volumekit.core.csi.CreateSnapshotRequest;
import io.volumekit.core.csi.CreateSnapshotResponse;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/**
 * CSI {@code CreateSnapshot} for a dynamically provisioned VolumeSnapshotContent, as the
 * csi-snapshotter sidecar issues it.
 *
 * <p>The request name is {@code snapshot-<VolumeSnapshot uid>}, so repeating the call after an
 * uncertain failure (DEADLINE_EXCEEDED, UNAVAILABLE...) returns the same snapshot.
 */
public record CreateSnapshot(
    EffectId id, ObjectKey owner, String controller, String driver, CreateSnapshotRequest request)
    implements CsiEffect<CreateSnapshotResponse> {

  public CreateSnapshot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(request, "request");
  }

  @Override
  public CreateSnapshotResponse call(CsiDriver driver) {
    return driver.createSnapshot(request);
  }

  @Override
  public String describe() {
    return "CreateSnapshot driver=" + driver + " name=" + request.name() + " sourceVolumeId=" + request.sourceVolumeId();
  }
}
