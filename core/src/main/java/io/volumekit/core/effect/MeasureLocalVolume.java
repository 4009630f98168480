package io.volumekit.core.effect;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.node.LocalVolumeUsage;
import io.volumekit.core.node.LocalVolumeWriter;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * The kubelet's volume statistics for an emptyDir ({@code MetricsDu}: a walk of the volume's
 * directory or tmpfs, every volume stats period): measures what the volume holds, through the
 * runtime's {@link LocalVolumeWriter#usedBytes}. Its operation's result is a {@link
 * LocalVolumeUsage}, which the pod volume controller compares with the emptyDir's {@code
 * sizeLimit} (the eviction manager's {@code emptyDirLimitEviction}). It writes nothing.
 */
public record MeasureLocalVolume(
    EffectId id, ObjectKey owner, String controller, String node, String podUid, String podVolume, String path)
    implements LocalEffect {

  public MeasureLocalVolume {
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
    writer.usedBytes(path);
  }

  @Override
  public Optional<Object> applyForResult(LocalVolumeWriter writer,
      Optional<io.volumekit.core.node.ImageVolumePuller> puller) throws IOException {
    return Optional.of(new LocalVolumeUsage(writer.usedBytes(path)));
  }

  @Override
  public String describe() {
    return "MeasureUsage node=" + node + " path=" + path;
  }
}
