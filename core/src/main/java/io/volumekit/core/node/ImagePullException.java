package io.volumekit.core.node;

import java.io.IOException;

/**
 * An image volume could not be pulled or unpacked. The message is what the pod's FailedMount event
 * shows; like the kubelet's image errors it starts with the reason ({@code ErrImagePull: ...},
 * {@code ErrImageNeverPull: ...}). It must never contain secret data (registry credentials).
 */
public class ImagePullException extends IOException {

  private static final long serialVersionUID = 1L;

  /** The kubelet's reason for a failed pull. */
  public static final String ERR_IMAGE_PULL = "ErrImagePull";

  /** The kubelet's reason for a missing image with pull policy Never. */
  public static final String ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull";

  /** A failure with the message. */
  public ImagePullException(String message) {
    super(message);
  }

  /** A failure with the message and its cause. */
  public ImagePullException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code ErrImagePull: <detail>}. */
  public static ImagePullException pullFailed(String detail) {
    return new ImagePullException(ERR_IMAGE_PULL + ": " + detail);
  }

  /** {@code ErrImagePull: <detail>}, with the cause. */
  public static ImagePullException pullFailed(String detail, Throwable cause) {
    return new ImagePullException(ERR_IMAGE_PULL + ": " + detail, cause);
  }

  /**
   * The kubelet's message for an absent image under pull policy Never: {@code ErrImageNeverPull:
   * Container image "<ref>" is not present with pull policy of Never}.
   */
  public static ImagePullException neverPull(String reference) {
    return new ImagePullException(ERR_IMAGE_NEVER_PULL + ": Container image \"" + reference
        + "\" is not present with pull policy of Never");
  }
}
