package io.volumekit.core.csi;

import java.util.Objects;

/** GetSnapshot's answer: the snapshot as it is now (possibly not yet ready to use). */
public record GetSnapshotResponse(Snapshot snapshot) {
  /** Rejects null. */
  public GetSnapshotResponse {
    Objects.requireNonNull(snapshot, "snapshot");
  }
}
