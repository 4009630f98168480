package io.volumekit.core.effect;

import io.volumekit.core.node.LocalVolumeWriter;
import io.volumekit.core.key.ObjectKey;
import java.io.IOException;
import java.util.Objects;

/**
 * Tears down a node-local pod volume (removes its directory), as the kubelet does on pod removal;
 * with {@code pruneOnly}, removes only the empty directories below {@code path} (the pod directory
 * once every volume is gone: the kubelet never deletes files it did not write).
 */
public record RemoveLocalVolume(
    EffectId id, ObjectKey owner, String controller, String node, String podUid, String podVolume, String path,
    boolean pruneOnly)
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
    if (pruneOnly) {
      writer.pruneEmptyDirectories(path);
    } else {
      writer.tearDown(path);
    }
  }

  /**
   * A prune (the pod directory once its pod is gone) is forgotten when it succeeds: its owner, the
   * pod directory's key, only forgets a finished prune ({@code PodVolumeController}); a teardown's
   * success is read by the pod's sync.
   */
  @Override
  public boolean forgottenOnSuccess() {
    return pruneOnly;
  }

  @Override
  public String describe() {
    return (pruneOnly ? "PruneEmptyDirectories" : "TearDown") + " node=" + node + " path=" + path;
  }
}
