package io.volumekit.core.csi;

import java.util.Objects;

/**
 * A failed CSI call: a {@link CsiCode} and a human-readable message (the gRPC status of the
 * call). Messages never contain secret values.
 *
 * <p>Drivers throw it for every error the spec defines; the gRPC adapter maps it to and from
 * {@code io.grpc.Status}. Whether the operation may still be running is {@code
 * code().mayBeInProgress()}.
 */
public class CsiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final CsiCode code;
  private final String description;

  /** A CSI error with the given code and message. */
  public CsiException(CsiCode code, String message) {
    this(code, message, null);
  }

  /** A CSI error with the given code, message and cause. */
  public CsiException(CsiCode code, String message, Throwable cause) {
    super(code + ": " + Objects.requireNonNullElse(message, ""), cause);
    if (code == null || code == CsiCode.OK) {
      throw new IllegalArgumentException("a CsiException needs a non-OK code, got " + code);
    }
    this.code = code;
    this.description = Objects.requireNonNullElse(message, "");
  }

  /** The status code. */
  public CsiCode code() {
    return code;
  }

  /** The message without the code prefix (what goes into a gRPC status description). */
  public String description() {
    return description;
  }

  /** Shorthand for {@code code().mayBeInProgress()}. */
  public boolean mayBeInProgress() {
    return code.mayBeInProgress();
  }

  /** INVALID_ARGUMENT for a missing or invalid field, named by its proto field name. */
  public static CsiException invalidArgument(String message) {
    return new CsiException(CsiCode.INVALID_ARGUMENT, message);
  }

  /** NOT_FOUND with the given message. */
  public static CsiException notFound(String message) {
    return new CsiException(CsiCode.NOT_FOUND, message);
  }

  /** ALREADY_EXISTS with the given message. */
  public static CsiException alreadyExists(String message) {
    return new CsiException(CsiCode.ALREADY_EXISTS, message);
  }

  /** FAILED_PRECONDITION with the given message. */
  public static CsiException failedPrecondition(String message) {
    return new CsiException(CsiCode.FAILED_PRECONDITION, message);
  }

  /** UNIMPLEMENTED for the named RPC. */
  public static CsiException unimplemented(String rpc) {
    return new CsiException(CsiCode.UNIMPLEMENTED, rpc + " is not implemented by this driver");
  }
}
