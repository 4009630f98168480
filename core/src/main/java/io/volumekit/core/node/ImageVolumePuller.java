package io.volumekit.core.node;

import java.nio.file.Path;

/**
 * The port that fills an image volume (a pod's {@code image} volume source: an OCI image or
 * artifact mounted read-only), standing in for the container runtime's image service that
 * Kubernetes' kubelet asks to pull and mount the image.
 *
 * <p>Configured with {@code VolumeKit.builder().imageVolumePuller(puller)}; without one, a pod with
 * an image volume stays Pending with a FailedMount event. The runtime calls {@link #pull} from the
 * {@code PullImageVolume} effect (controllers never do), into an empty directory, and makes the
 * tree read-only afterwards; on a failure it removes what was written and retries with backoff.
 * The testkit's {@code OciLayoutImagePuller} unpacks images from local OCI layout directories.
 */
@FunctionalInterface
public interface ImageVolumePuller {

  /**
   * Pulls the image (or uses the node's copy, as the policy allows) and unpacks its filesystem into
   * {@code target}, an existing empty directory. Implementations must never write outside it.
   *
   * @throws ImagePullException with a message naming why ({@code ErrImagePull: ...}, {@code
   *     ErrImageNeverPull: ...}); never with secret data
   */
  void pull(ImageVolumeRequest request, Path target) throws ImagePullException;
}
