package io.volumekit.cli.engine;

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
 * A node plugin as the kubelet calls it: the directories the CO is responsible for exist before
 * the call. The staging directory is created before {@code NodeStageVolume}, and the parent of
 * the target path before {@code NodePublishVolume}; the target itself is left to the driver.
 *
 * <p>Mirrors the kubelet's CSI volume plugin ({@code csi_attacher.go} MountDevice and {@code
 * csi_mounter.go} SetUpAt, which call {@code os.MkdirAll} on these paths; spec/node-and-csi.md
 * 1.5 and 2.2). The engine's effects pass the paths and leave their creation to the caller; this
 * wrapper is where the command, as the kubelet, does it. Creating an existing directory is a no-op,
 * so it is harmless if the engine creates them as well.
 */
final class KubeletDirectories extends ForwardingCsiDriver {

  KubeletDirectories(CsiDriver delegate) {
    super(delegate);
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
    Path parent = request.targetPath().isEmpty() ? null : Path.of(request.targetPath()).getParent();
    if (parent != null) {
      mkdirs(parent);
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
