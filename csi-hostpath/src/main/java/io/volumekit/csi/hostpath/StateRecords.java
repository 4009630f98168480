package io.volumekit.csi.hostpath;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.AccessType;
import io.volumekit.core.csi.VolumeCapability;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver's on-disk state, one small JSON file per volume and per snapshot. Plain records with
 * JSON-friendly fields only (no Optional: the empty string means "not set"), so the format is easy
 * to read and stable.
 */
final class StateRecords {
  private StateRecords() {}

  /** A volume capability as stored. */
  record Cap(String accessType, String fsType, List<String> mountFlags, String volumeMountGroup, int mode) {
    static Cap of(VolumeCapability c) {
      if (c.accessType() instanceof AccessType.Mount m) {
        return new Cap("mount", m.fsType(), m.mountFlags(), m.volumeMountGroup(), c.accessMode().number());
      }
      return new Cap("block", "", List.of(), "", c.accessMode().number());
    }

    VolumeCapability toCsi() {
      AccessType t = "block".equals(accessType) ? new AccessType.Block()
          : new AccessType.Mount(fsType, mountFlags == null ? ImmutableList.of() : ImmutableList.copyOf(mountFlags),
              volumeMountGroup);
      return new VolumeCapability(t, AccessMode.forNumber(mode));
    }
  }

  /** A controller publication of a volume to one node. */
  record ControllerPub(Cap capability, boolean readonly) {}

  /** A node publication at one target path; {@code how} is "bind" or "symlink". */
  record NodePub(Cap capability, boolean readonly, String stagingPath, String how) {}

  /**
   * A volume. {@code stagingPath} empty means not staged; {@code stageHow} is "bind" when the
   * stage is a bind mount at the staging path, empty when it is only this record (symlink mode,
   * or state written before stages were mounted); {@code ephemeral} marks an inline volume created
   * by NodePublish and deleted by NodeUnpublish. {@code filesystemBytes} is the size the node
   * side has grown the volume to (NodeExpandVolume); 0 means "the same as {@code capacityBytes}"
   * (a volume never expanded, or a state file written before expansion was recorded).
   */
  record Vol(
      String id,
      String name,
      long capacityBytes,
      Map<String, String> parameters,
      String sourceSnapshotId,
      String sourceVolumeId,
      String createdAt,
      Map<String, ControllerPub> controllerPublications,
      String stagingPath,
      Cap stageCapability,
      String stageHow,
      Map<String, NodePub> nodePublications,
      boolean ephemeral,
      long filesystemBytes,
      Map<String, String> mutableParameters) {

    Vol {
      parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
      sourceSnapshotId = sourceSnapshotId == null ? "" : sourceSnapshotId;
      sourceVolumeId = sourceVolumeId == null ? "" : sourceVolumeId;
      controllerPublications = controllerPublications == null ? Map.of() : new LinkedHashMap<>(controllerPublications);
      stagingPath = stagingPath == null ? "" : stagingPath;
      stageHow = stageHow == null ? "" : stageHow;
      nodePublications = nodePublications == null ? Map.of() : new LinkedHashMap<>(nodePublications);
      // Absent in the state files of drivers older than ControllerModifyVolume.
      mutableParameters = mutableParameters == null ? Map.of() : Map.copyOf(mutableParameters);
    }

    Vol withMutableParameters(Map<String, String> m) {
      return new Vol(id, name, capacityBytes, parameters, sourceSnapshotId, sourceVolumeId, createdAt,
          controllerPublications, stagingPath, stageCapability, stageHow, nodePublications, ephemeral, filesystemBytes, m);
    }

    /**
     * The volume grown on the controller to {@code c} bytes: the node side keeps seeing the old
     * size until NodeExpandVolume ({@link #withFilesystemGrown()}).
     */
    Vol withCapacity(long c) {
      return new Vol(id, name, c, parameters, sourceSnapshotId, sourceVolumeId, createdAt, controllerPublications,
          stagingPath, stageCapability, stageHow, nodePublications, ephemeral, filesystemSize(), mutableParameters);
    }

    /** The volume grown on the node to its capacity (NodeExpandVolume). */
    Vol withFilesystemGrown() {
      return new Vol(id, name, capacityBytes, parameters, sourceSnapshotId, sourceVolumeId, createdAt,
          controllerPublications, stagingPath, stageCapability, stageHow, nodePublications, ephemeral, 0, mutableParameters);
    }

    /** The size the node side sees: the filesystem size once grown, else the capacity. */
    long filesystemSize() {
      return filesystemBytes == 0 ? capacityBytes : filesystemBytes;
    }

    Vol withControllerPublications(Map<String, ControllerPub> m) {
      return new Vol(id, name, capacityBytes, parameters, sourceSnapshotId, sourceVolumeId, createdAt, m,
          stagingPath, stageCapability, stageHow, nodePublications, ephemeral, filesystemBytes, mutableParameters);
    }

    Vol withStage(String path, Cap cap, String how) {
      return new Vol(id, name, capacityBytes, parameters, sourceSnapshotId, sourceVolumeId, createdAt,
          controllerPublications, path, cap, how, nodePublications, ephemeral, filesystemBytes, mutableParameters);
    }

    Vol withNodePublications(Map<String, NodePub> m) {
      return new Vol(id, name, capacityBytes, parameters, sourceSnapshotId, sourceVolumeId, createdAt,
          controllerPublications, stagingPath, stageCapability, stageHow, m, ephemeral, filesystemBytes, mutableParameters);
    }

    boolean inUse() {
      return !controllerPublications.isEmpty() || !stagingPath.isEmpty() || !nodePublications.isEmpty();
    }
  }

  /**
   * A snapshot: a copy of a volume's directory. {@code groupSnapshotId} names the volume group
   * snapshot it was cut in, empty for a snapshot of its own (and in files written before groups).
   */
  record Snap(String id, String name, String sourceVolumeId, long sizeBytes, String createdAt,
      String groupSnapshotId) {
    Snap {
      groupSnapshotId = groupSnapshotId == null ? "" : groupSnapshotId;
    }
  }

  /** A volume group snapshot: one member snapshot per source volume, in the order of the sources. */
  record Group(String id, String name, List<String> sourceVolumeIds, List<String> snapshotIds, String createdAt) {
    Group {
      sourceVolumeIds = List.copyOf(sourceVolumeIds);
      snapshotIds = List.copyOf(snapshotIds);
    }
  }
}
