package io.volumekit.core.csi;

import java.util.List;
import java.util.Optional;

/**
 * Argument checks every CSI driver makes, each failing with the code the spec prescribes and a
 * message naming the proto field ("volume_id: required"). Shared by the in-memory and the
 * hostpath drivers so both answer alike (the CSI spec's required fields and error codes).
 */
public final class CsiPreconditions {
  private CsiPreconditions() {}

  /** INVALID_ARGUMENT unless {@code value} is non-empty. */
  public static String requireField(String value, String field) {
    if (value == null || value.isEmpty()) {
      throw CsiException.invalidArgument(field + ": required");
    }
    return value;
  }

  /** INVALID_ARGUMENT unless the capability is present and well-formed; returns it. */
  public static VolumeCapability requireCapability(Optional<VolumeCapability> capability, String field) {
    VolumeCapability c =
        capability.orElseThrow(() -> CsiException.invalidArgument(field + ": required"));
    checkCapability(c, field);
    return c;
  }

  /** INVALID_ARGUMENT unless the list is non-empty and every capability is well-formed. */
  public static void requireCapabilities(List<VolumeCapability> capabilities, String field) {
    if (capabilities.isEmpty()) {
      throw CsiException.invalidArgument(field + ": at least one capability required");
    }
    for (int i = 0; i < capabilities.size(); i++) {
      checkCapability(capabilities.get(i), field + "[" + i + "]");
    }
  }

  /** INVALID_ARGUMENT when the access mode is not set. */
  public static void checkCapability(VolumeCapability c, String field) {
    if (c.accessMode() == AccessMode.UNKNOWN) {
      throw CsiException.invalidArgument(field + ".access_mode: required");
    }
  }

  /** OUT_OF_RANGE unless the range is valid (non-negative, limit not below required). */
  public static CapacityRange checkRange(CapacityRange range, String field) {
    if (!range.isValid()) {
      throw new CsiException(CsiCode.OUT_OF_RANGE, field + ": invalid range, required_bytes="
          + range.requiredBytes() + " limit_bytes=" + range.limitBytes());
    }
    return range;
  }

  /** INVALID_ARGUMENT when {@code maxEntries} is negative. */
  public static void checkMaxEntries(int maxEntries) {
    if (maxEntries < 0) {
      throw CsiException.invalidArgument("max_entries: must not be negative, got " + maxEntries);
    }
  }

  /**
   * The size to provision for a range: the required bytes if set, else the default capped by the
   * limit. OUT_OF_RANGE when the result exceeds {@code maxVolumeSize}.
   */
  public static long sizeFor(Optional<CapacityRange> range, long defaultSize, long maxVolumeSize) {
    long size = defaultSize;
    if (range.isPresent()) {
      CapacityRange r = checkRange(range.get(), "capacity_range");
      if (r.requiredBytes() > 0) {
        size = r.requiredBytes();
      } else if (r.limitBytes() > 0 && r.limitBytes() < size) {
        size = r.limitBytes();
      }
    }
    if (size > maxVolumeSize) {
      throw new CsiException(CsiCode.OUT_OF_RANGE,
          "capacity_range: " + size + " bytes exceeds the maximum volume size " + maxVolumeSize);
    }
    return size;
  }
}
