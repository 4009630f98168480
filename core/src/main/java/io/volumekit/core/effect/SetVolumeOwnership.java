package io.volumekit.core.effect;

import io.volumekit.core.node.LocalVolumeWriter;
import io.volumekit.core.key.ObjectKey;
import java.io.IOException;
import java.util.Objects;

/**
 * The kubelet-side fsGroup change of a published volume ({@code SetVolumeOwnership}): every entry
 * below {@code path} gets group {@code fsGroup} and group read/write (directories also setgid and
 * group execute); with {@code onRootMismatch} nothing is done when the root already matches.
 */
public record SetVolumeOwnership(
    EffectId id, ObjectKey owner, String controller, String node, String podUid, String podVolume, String path,
    long fsGroup, boolean onRootMismatch, boolean readOnly)
    implements LocalEffect {

  public SetVolumeOwnership {
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
    writer.setOwnership(path, fsGroup, onRootMismatch, readOnly);
  }

  @Override
  public String describe() {
    return "SetVolumeOwnership node=" + node + " path=" + path + " fsGroup=" + fsGroup
        + (onRootMismatch ? " OnRootMismatch" : " Always");
  }
}
