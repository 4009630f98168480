package io.volumekit.core.effect;

import io.volumekit.core.node.LocalVolumeWriter;
import java.io.IOException;

/**
 * An effect that writes on the node's filesystem under the kubelet root (emptyDir, secret,
 * configMap, downwardAPI, projected volumes), or measures what a volume there holds, through the
 * runtime's {@link LocalVolumeWriter}.
 */
public sealed interface LocalEffect extends Effect permits WriteLocalVolume, RemoveLocalVolume, SetVolumeOwnership, SetUpHostPath,
    PullImageVolume, MeasureLocalVolume {

  /** The node whose kubelet makes the write. */
  String node();

  /** Performs the write. Only the runtime's effect dispatcher calls this. */
  void apply(LocalVolumeWriter writer) throws IOException;

  /**
   * Performs the write with the node's image volume puller at hand (only {@link PullImageVolume}
   * uses it; the others ignore it). Only the runtime's effect dispatcher calls this.
   */
  default void apply(LocalVolumeWriter writer, java.util.Optional<io.volumekit.core.node.ImageVolumePuller> puller)
      throws IOException {
    apply(writer);
  }

  /**
   * Performs the write and gives its result, if it has one (a {@link
   * io.volumekit.core.node.MemoryFallback} for an emptyDir that could not be a tmpfs). Only the
   * runtime's effect dispatcher calls this.
   */
  default java.util.Optional<Object> applyForResult(LocalVolumeWriter writer,
      java.util.Optional<io.volumekit.core.node.ImageVolumePuller> puller) throws IOException {
    apply(writer, puller);
    return java.util.Optional.empty();
  }

  /**
   * This write with the service-account tokens of its files issued now (projected
   * {@code serviceAccountToken} sources); itself when it has none. The runtime calls it just
   * before the write, so tokens never enter the state.
   *
   * @throws io.volumekit.core.token.TokenIssuerException when a token cannot be issued
   */
  default LocalEffect withServiceAccountTokens(io.volumekit.core.token.TokenIssuer issuer, java.time.Instant now) {
    return this;
  }

  @Override
  default <R> R accept(Visitor<R> visitor) {
    return visitor.localWrite(this);
  }
}
