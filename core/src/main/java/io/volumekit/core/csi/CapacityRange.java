package io.volumekit.core.csi;

/**
 * {@code CapacityRange}: the size a volume must have. {@code requiredBytes} is the minimum,
 * {@code limitBytes} the maximum; 0 means "not specified" (proto3). The spec requires at least one
 * to be set; drivers answer OUT_OF_RANGE for ranges they cannot serve (negative values, limit
 * below required).
 */
public record CapacityRange(long requiredBytes, long limitBytes) {

  /** A range asking for at least {@code bytes}, no limit. */
  public static CapacityRange atLeast(long bytes) {
    return new CapacityRange(bytes, 0);
  }

  /** A range asking for exactly {@code bytes}. */
  public static CapacityRange exactly(long bytes) {
    return new CapacityRange(bytes, bytes);
  }

  /** Whether a volume of {@code size} bytes satisfies this range. */
  public boolean admits(long size) {
    return size >= requiredBytes && (limitBytes == 0 || size <= limitBytes);
  }

  /** Whether the range itself is valid: non-negative, and limit (when set) not below required. */
  public boolean isValid() {
    return requiredBytes >= 0 && limitBytes >= 0 && (limitBytes == 0 || limitBytes >= requiredBytes);
  }
}
