package io.volumekit.core.csi;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/**
 * CreateVolumeGroupSnapshot (GroupController, capability CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT):
 * cut one crash-consistent snapshot of every volume in {@code sourceVolumeIds} at once. {@code
 * name} (the idempotency key) and a non-empty {@code sourceVolumeIds} are REQUIRED; the same name
 * for another set of volumes is ALREADY_EXISTS.
 */
public record CreateVolumeGroupSnapshotRequest(
    String name, ImmutableList<String> sourceVolumeIds, Secrets secrets, ImmutableMap<String, String> parameters) {
  /** Normalises nulls to empty values. */
  public CreateVolumeGroupSnapshotRequest {
    name = Values.str(name);
    sourceVolumeIds = Values.list(sourceVolumeIds);
    secrets = Values.secrets(secrets);
    parameters = Values.map(parameters);
  }

  /** A request without secrets or parameters. */
  public static CreateVolumeGroupSnapshotRequest of(String name, String... sourceVolumeIds) {
    return new CreateVolumeGroupSnapshotRequest(
        name, ImmutableList.copyOf(sourceVolumeIds), Secrets.none(), ImmutableMap.of());
  }
}
