package io.volumekit.core.effect;

import io.volumekit.core.node.LocalVolumeWriter;
import io.volumekit.core.key.ObjectKey;
import java.io.IOException;
import java.util.Objects;

/**
 * The kubelet's hostPath {@code SetUp} for a pod volume (a pod {@code hostPath} volume, or the
 * {@code hostPath} of the PV a claim is bound to) with a {@code type}: creates the path for {@code
 * DirectoryOrCreate} (a directory, mode 0755) and {@code FileOrCreate} (an empty file, mode 0644;
 * its parent must exist), and checks that the path is of that kind for {@code Directory}, {@code
 * File}, {@code Socket}, {@code CharDevice} and {@code BlockDevice}. Mirrors {@code checkType} of
 * Kubernetes' {@code pkg/volume/hostpath}; a failure carries the kubelet's message, e.g. {@code
 * hostPath type check failed: /data is not a directory}. Tear-down does nothing (as in Kubernetes:
 * the host's files stay).
 */
public record SetUpHostPath(
    EffectId id, ObjectKey owner, String controller, String node, String podUid, String podVolume, String path,
    String type)
    implements LocalEffect {

  public SetUpHostPath {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(podVolume, "podVolume");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
  }

  @Override
  public void apply(LocalVolumeWriter writer) throws IOException {
    writer.setUpHostPath(path, type);
  }

  @Override
  public String describe() {
    return "SetUp hostPath node=" + node + " path=" + path + " type=" + type;
  }
}
