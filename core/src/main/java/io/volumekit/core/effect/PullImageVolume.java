package io.volumekit.core.effect;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.node.ImagePullException;
import io.volumekit.core.node.ImageVolumePuller;
import io.volumekit.core.node.ImageVolumeRequest;
import io.volumekit.core.node.LocalVolumeWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Sets up an image volume (a pod's {@code image} volume source), as the kubelet has the container
 * runtime pull the image and mount it read-only: the runtime's {@link ImageVolumePuller} unpacks
 * the image into {@code path} ({@code <root>/pods/<uid>/volumes/kubernetes.io~image/<volume>}),
 * then the tree is made read-only. A failed pull leaves nothing behind (the directory is removed)
 * and its message ({@code ErrImagePull: ...}) becomes the pod's FailedMount event. Torn down by a
 * {@link RemoveLocalVolume}.
 */
public record PullImageVolume(
    EffectId id, ObjectKey owner, String controller, String node, String podUid, String podVolume, String path,
    ImageVolumeRequest request)
    implements LocalEffect {

  /** The message when no puller is configured. */
  public static final String NO_PULLER = "image volumes need an image volume puller, and none is configured";

  public PullImageVolume {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(podVolume, "podVolume");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(request, "request");
  }

  /** Without a puller the pull cannot happen: fails with {@link #NO_PULLER}. */
  @Override
  public void apply(LocalVolumeWriter writer) throws IOException {
    apply(writer, Optional.empty());
  }

  @Override
  public void apply(LocalVolumeWriter writer, Optional<ImageVolumePuller> puller) throws IOException {
    if (puller.isEmpty()) {
      throw new ImagePullException(NO_PULLER);
    }
    writer.tearDown(path); // what a failed or interrupted attempt left
    writer.makeDirectory(path);
    try {
      puller.get().pull(request, Path.of(path));
      writer.makeReadOnly(path);
    } catch (IOException | RuntimeException e) {
      try {
        writer.tearDown(path);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  @Override
  public String describe() {
    return "PullImage node=" + node + " image=" + request.reference() + " policy=" + request.pullPolicy().apiName()
        + " path=" + path;
  }
}
