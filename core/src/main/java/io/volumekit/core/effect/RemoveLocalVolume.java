package io.volumekit.core.effect;

import io.volumekit.core.ephemeral.LocalVolumeWriter;
import io.volumekit.core.state.ObjectKey;
import java.io.IOException;
import java.util.Objects;

/** Tears down a node-local pod volume (removes its directory), as the kubelet does on pod removal. */
public record RemoveLocalVolume(
    EffectId id, ObjectKey owner, String controller, String node, String podUid, String podVolume, String path)
    implements LocalEffect {

  public RemoveLocalVolume {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(podVolume, "podVolume");
    Objects.requireNonNull(path, "path");
  }

  @Override
  public void apply(LocalVolumeWriter writer) throws IOException {
    writer.tearDown(path);
  }

  @Override
  public String describe() {
    return "TearDown node=" + node + " path=" + path;
  }
}
