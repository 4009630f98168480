package io.volumekit.core.csi;

import com.google.common.collect.ImmutableList;
import java.util.Optional;

/** ListVolumes' answer: a page of entries and the token of the next page (empty: last page). */
public record ListVolumesResponse(ImmutableList<Entry> entries, String nextToken) {
  /** Normalises nulls to empty values. */
  public ListVolumesResponse {
    entries = Values.list(entries);
    nextToken = Values.str(nextToken);
  }

  /** One listed volume with its status (present when the driver reports published nodes or conditions). */
  public record Entry(Volume volume, Optional<VolumeStatus> status) {
    /** Rejects a null volume. */
    public Entry {
      java.util.Objects.requireNonNull(volume, "volume");
      status = Values.opt(status);
    }
  }
}
