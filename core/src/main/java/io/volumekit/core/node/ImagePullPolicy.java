package io.volumekit.core.node;

import java.util.Optional;

/**
 * When an image volume's image is pulled ({@code core/v1 PullPolicy}): {@code Always} pulls on every
 * setup, {@code IfNotPresent} only when the node lacks the image, {@code Never} uses only what the
 * node has and fails otherwise ({@code ErrImageNeverPull}).
 */
public enum ImagePullPolicy {
  /** Pull on every setup. */
  ALWAYS("Always"),
  /** Pull when the image is not present on the node. */
  IF_NOT_PRESENT("IfNotPresent"),
  /** Never pull: the image must be present. */
  NEVER("Never");

  private final String apiName;

  ImagePullPolicy(String apiName) {
    this.apiName = apiName;
  }

  /** The API's spelling ({@code Always}, {@code IfNotPresent}, {@code Never}). */
  public String apiName() {
    return apiName;
  }

  /**
   * The policy of an image volume, as the API server defaults it: the given one, else {@code
   * Always} for a reference tagged {@code :latest} or with neither tag nor digest, else {@code
   * IfNotPresent}.
   */
  public static ImagePullPolicy of(Optional<String> given, String reference) {
    if (given.isPresent()) {
      for (ImagePullPolicy p : values()) {
        if (p.apiName.equals(given.get())) {
          return p;
        }
      }
      throw new IllegalArgumentException("unsupported pullPolicy \"" + given.get() + "\"");
    }
    if (reference.contains("@")) {
      return IF_NOT_PRESENT;
    }
    int slash = reference.lastIndexOf('/');
    int colon = reference.lastIndexOf(':');
    String tag = colon > slash ? reference.substring(colon + 1) : "";
    return tag.isEmpty() || tag.equals("latest") ? ALWAYS : IF_NOT_PRESENT;
  }
}
