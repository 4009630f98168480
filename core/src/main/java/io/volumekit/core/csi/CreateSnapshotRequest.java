package io.volumekit.core.csi;

import com.google.common.collect.ImmutableMap;

/**
 * CreateSnapshot: cut a snapshot of {@code sourceVolumeId}. Both {@code sourceVolumeId} and {@code
 * name} (the idempotency key) are REQUIRED; the same name for another source is ALREADY_EXISTS.
 */
public record CreateSnapshotRequest(
    String sourceVolumeId, String name, Secrets secrets, ImmutableMap<String, String> parameters) {
  /** Normalises nulls to empty values. */
  public CreateSnapshotRequest {
    sourceVolumeId = Values.str(sourceVolumeId);
    name = Values.str(name);
    secrets = Values.secrets(secrets);
    parameters = Values.map(parameters);
  }

  /** A request without secrets or parameters. */
  public static CreateSnapshotRequest of(String sourceVolumeId, String name) {
    return new CreateSnapshotRequest(sourceVolumeId, name, Secrets.none(), ImmutableMap.of());
  }
}
