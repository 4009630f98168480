package io.volumekit.core.effect;

import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiException;
import java.util.Objects;

/**
 * Why an effect failed: the CSI status code and message (never secrets).
 *
 * <p>{@link #mayBeInProgress()} follows the external-provisioner's classification ({@code
 * checkError}): the operation may still run in the driver, so the same request must be repeated.
 */
public record EffectFailure(CsiCode code, String message) {

  public EffectFailure {
    Objects.requireNonNull(code, "code");
    message = Objects.requireNonNullElse(message, "");
  }

  /** The failure a CSI exception describes. */
  public static EffectFailure of(CsiException e) {
    return new EffectFailure(e.code(), e.description());
  }

  /**
   * The failure for an exception that is not a CSI status (a bug or an I/O error in an adapter).
   * Kubernetes treats non-gRPC errors as "may be in progress"; so does UNAVAILABLE here.
   */
  public static EffectFailure unexpected(Throwable e) {
    return new EffectFailure(CsiCode.UNAVAILABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  /** Whether the driver may still be running the operation. */
  public boolean mayBeInProgress() {
    return code.mayBeInProgress();
  }

  /** The message as Kubernetes prints a gRPC error: {@code rpc error: code = X desc = Y}. */
  public String text() {
    return "rpc error: code = " + pascal(code) + " desc = " + message;
  }

  private static String pascal(CsiCode code) {
    StringBuilder b = new StringBuilder();
    for (String part : code.name().split("_")) {
      b.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return b.toString();
  }
}
