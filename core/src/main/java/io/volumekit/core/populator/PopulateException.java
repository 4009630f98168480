package io.volumekit.core.populator;

/**
 * A populator could not fill a volume now; the message is shown in the claim's Warning {@code
 * PopulatorFailed} event (so it must not contain secret values), and the engine retries.
 */
public class PopulateException extends Exception {

  private static final long serialVersionUID = 1L;

  /** A failure with the message. */
  public PopulateException(String message) {
    super(message);
  }

  /** A failure with the message and its cause. */
  public PopulateException(String message, Throwable cause) {
    super(message, cause);
  }
}
