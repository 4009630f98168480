package io.volumekit.core.node;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link ImageVolumePuller} is asked to put in an image volume: the pod's {@code image}
 * volume source (reference and pull policy, defaulted as the API server does) and the pod it is for,
 * with the names of the pod's {@code imagePullSecrets} (names only: the puller resolves them, so no
 * secret data is ever in the request, its {@code toString}, the state or an event).
 *
 * @param reference the image reference ({@code registry/name:tag} or {@code name@sha256:...})
 * @param pullPolicy when to pull
 * @param podNamespace the pod's namespace
 * @param podName the pod's name
 * @param podUid the pod's uid
 * @param volume the pod volume's name
 * @param pullSecrets the names of the pod's image pull secrets, in the pod's order
 */
public record ImageVolumeRequest(String reference, ImagePullPolicy pullPolicy, String podNamespace, String podName,
    String podUid, String volume, ImmutableList<String> pullSecrets) {

  public ImageVolumeRequest {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(pullPolicy, "pullPolicy");
    Objects.requireNonNull(podNamespace, "podNamespace");
    Objects.requireNonNull(podName, "podName");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(volume, "volume");
    pullSecrets = pullSecrets == null ? ImmutableList.of() : ImmutableList.copyOf(pullSecrets);
    if (reference.isBlank()) {
      throw new IllegalArgumentException("reference: must not be empty");
    }
  }

  /** A request with the given secrets' names. */
  public static ImageVolumeRequest of(String reference, ImagePullPolicy pullPolicy, String podNamespace,
      String podName, String podUid, String volume, List<String> pullSecrets) {
    return new ImageVolumeRequest(reference, pullPolicy, podNamespace, podName, podUid, volume,
        ImmutableList.copyOf(pullSecrets));
  }
}
