package io.volumekit.examples;

import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.ForwardingCsiDriver;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A node plugin wrapped the way the kubelet calls it: the directories the container orchestrator
 * is responsible for exist before the call. The staging directory is created before {@code
 * NodeStageVolume}, the parent of the target path before {@code NodePublishVolume} (the kubelet's
 * {@code csi_attacher.go} MountDevice and {@code csi_mounter.go} SetUpAt do {@code os.MkdirAll}).
 *
 * <p>The engine passes these paths but does not create them yet, and a strict driver such as
 * {@code hostpath.csi.volumekit.io} refuses a target whose parent is missing (FAILED_PRECONDITION,
 * "the CO creates it"). Register a real driver's node plugins through this wrapper:
 * {@code builder.driver(name, driver, node -> new KubeletDirectories(driver))}. Creating a
 * directory that exists is a no-op, so the wrapper stays harmless once the engine does it itself.
 */
public final class KubeletDirectories extends ForwardingCsiDriver {

  /** Wraps the node plugin. */
  public KubeletDirectories(CsiDriver nodePlugin) {
    super(nodePlugin);
  }

  @Override
  public void nodeStageVolume(NodeStageVolumeRequest request) {
    if (!request.stagingTargetPath().isEmpty()) {
      mkdirs(Path.of(request.stagingTargetPath()));
    }
    super.nodeStageVolume(request);
  }

  @Override
  public void nodePublishVolume(NodePublishVolumeRequest request) {
    if (!request.targetPath().isEmpty()) {
      mkdirs(Path.of(request.targetPath()).getParent());
    }
    super.nodePublishVolume(request);
  }

  private static void mkdirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new CsiException(CsiCode.INTERNAL, "cannot create directory " + dir + ": " + e.getMessage(), e);
    }
  }
}
