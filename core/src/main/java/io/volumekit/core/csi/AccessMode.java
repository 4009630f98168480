package io.volumekit.core.csi;

/**
 * {@code VolumeCapability.AccessMode.Mode}: how a volume may be published (csi.proto AccessMode).
 *
 * <p>Kubernetes maps PV access modes onto these (docs/cases/node-side.md row M4): ReadWriteOnce to
 * SINGLE_NODE_WRITER (or SINGLE_NODE_MULTI_WRITER when the driver supports it), ReadOnlyMany to
 * MULTI_NODE_READER_ONLY, ReadWriteMany to MULTI_NODE_MULTI_WRITER, ReadWriteOncePod to
 * SINGLE_NODE_WRITER (or SINGLE_NODE_SINGLE_WRITER).
 */
public enum AccessMode {
  /** Not set; invalid in a request. */
  UNKNOWN(0),
  /** Published read/write once, on one node. */
  SINGLE_NODE_WRITER(1),
  /** Published read-only once, on one node. */
  SINGLE_NODE_READER_ONLY(2),
  /** Published read-only on many nodes. */
  MULTI_NODE_READER_ONLY(3),
  /** Published on many nodes, only one of them writable. */
  MULTI_NODE_SINGLE_WRITER(4),
  /** Published read/write on many nodes. */
  MULTI_NODE_MULTI_WRITER(5),
  /** Read/write by exactly one workload on one node (ReadWriteOncePod). */
  SINGLE_NODE_SINGLE_WRITER(6),
  /** Read/write by several workloads on one node. */
  SINGLE_NODE_MULTI_WRITER(7);

  private final int number;

  AccessMode(int number) {
    this.number = number;
  }

  /** The csi.proto enum number. */
  public int number() {
    return number;
  }

  /** The mode for a csi.proto enum number; unknown numbers map to {@link #UNKNOWN}. */
  public static AccessMode forNumber(int number) {
    for (AccessMode m : values()) {
      if (m.number == number) {
        return m;
      }
    }
    return UNKNOWN;
  }

  /** Whether the volume may be published on more than one node at a time. */
  public boolean isMultiNode() {
    return this == MULTI_NODE_READER_ONLY
        || this == MULTI_NODE_SINGLE_WRITER
        || this == MULTI_NODE_MULTI_WRITER;
  }

  /** Whether the mode only allows reading. */
  public boolean isReadOnly() {
    return this == SINGLE_NODE_READER_ONLY || this == MULTI_NODE_READER_ONLY;
  }

  /**
   * Whether the mode allows only one target path per node, so that a second NodePublish at another
   * target is FAILED_PRECONDITION (CSI spec, NodePublishVolume errors): SINGLE_NODE_SINGLE_WRITER
   * (ReadWriteOncePod) and SINGLE_NODE_READER_ONLY. SINGLE_NODE_WRITER is deliberately allowed at
   * several targets: Kubernetes sends it for ReadWriteOnce to drivers without
   * SINGLE_NODE_MULTI_WRITER and lets pods on one node share such a volume, and drivers accept it.
   */
  public boolean isSinglePublication() {
    return this == SINGLE_NODE_SINGLE_WRITER || this == SINGLE_NODE_READER_ONLY;
  }
}
