package io.volumekit.core.effect;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.ListSnapshotsRequest;
import io.volumekit.core.csi.ListSnapshotsResponse;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.key.ObjectKey;
import java.util.Objects;

/**
 * CSI {@code ListSnapshots} filtered by one snapshot id: how the csi-snapshotter learns the status
 * (size, creation time, readiness) of a pre-provisioned VolumeSnapshotContent's snapshot. An
 * unknown id gives an empty list.
 */
public record ListSnapshot(
    EffectId id, ObjectKey owner, String controller, String driver, String snapshotId, Secrets secrets)
    implements CsiEffect<ListSnapshotsResponse> {

  public ListSnapshot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(snapshotId, "snapshotId");
    Objects.requireNonNull(secrets, "secrets");
  }

  @Override
  public ListSnapshotsResponse call(CsiDriver driver) {
    return driver.listSnapshots(new ListSnapshotsRequest(0, "", "", snapshotId, secrets));
  }

  @Override
  public String describe() {
    return "ListSnapshots driver=" + driver + " snapshotId=" + snapshotId;
  }
}
