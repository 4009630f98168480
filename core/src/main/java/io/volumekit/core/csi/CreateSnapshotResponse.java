package io.volumekit.core.csi;

import java.util.Objects;

/** CreateSnapshot's answer: the snapshot (possibly not yet ready to use). */
public record CreateSnapshotResponse(Snapshot snapshot) {
  /** Rejects null. */
  public CreateSnapshotResponse {
    Objects.requireNonNull(snapshot, "snapshot");
  }
}
