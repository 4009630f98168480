package io.volumekit.core.csi;

/**
 * ListVolumes: one page of the driver's volumes. {@code maxEntries} 0 means "no limit" (negative
 * is INVALID_ARGUMENT); {@code startingToken} is the {@code nextToken} of the previous page, empty
 * for the first; an unknown token is ABORTED (restart the listing).
 */
public record ListVolumesRequest(int maxEntries, String startingToken) {
  /** Normalises null to empty. */
  public ListVolumesRequest {
    startingToken = Values.str(startingToken);
  }

  /** The first page of at most {@code maxEntries} (0: all). */
  public static ListVolumesRequest firstPage(int maxEntries) {
    return new ListVolumesRequest(maxEntries, "");
  }
}
