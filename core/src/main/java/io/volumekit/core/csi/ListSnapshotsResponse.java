package io.volumekit.core.csi;

import com.google.common.collect.ImmutableList;

/** ListSnapshots' answer: a page of snapshots and the next token (empty: last page). */
public record ListSnapshotsResponse(ImmutableList<Snapshot> entries, String nextToken) {
  /** Normalises nulls to empty values. */
  public ListSnapshotsResponse {
    entries = Values.list(entries);
    nextToken = Values.str(nextToken);
  }
}
