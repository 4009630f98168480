package io.volumekit.core.effect;

import io.volumekit.core.node.LocalVolumeWriter;
import java.io.IOException;

/**
 * An effect that writes on the node's filesystem under the kubelet root (emptyDir, secret,
 * configMap, downwardAPI, projected volumes), through the runtime's {@link LocalVolumeWriter}.
 */
public sealed interface LocalEffect extends Effect permits WriteLocalVolume, RemoveLocalVolume, SetVolumeOwnership, SetUpHostPath {

  /** The node whose kubelet makes the write. */
  String node();

  /** Performs the write. Only the runtime's effect dispatcher calls this. */
  void apply(LocalVolumeWriter writer) throws IOException;

  @Override
  default <R> R accept(Visitor<R> visitor) {
    return visitor.localWrite(this);
  }
}
