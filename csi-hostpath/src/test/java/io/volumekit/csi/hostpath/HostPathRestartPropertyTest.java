package io.volumekit.csi.hostpath;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.ControllerExpandVolumeRequest;
import io.volumekit.core.csi.ControllerPublishVolumeRequest;
import io.volumekit.core.csi.ControllerUnpublishVolumeRequest;
import io.volumekit.core.csi.CreateSnapshotRequest;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.csi.GetCapacityRequest;
import io.volumekit.core.csi.ListSnapshotsRequest;
import io.volumekit.core.csi.ListVolumesRequest;
import io.volumekit.core.csi.VolumeCapability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A hostpath driver restarted on its data directory at any point of a random history answers
 * exactly as the driver before the restart: same volumes with their status, same snapshots, same
 * free capacity.
 */
class HostPathRestartPropertyTest {
  private static final long MIB = 1L << 20;
  private static final VolumeCapability RWO = VolumeCapability.mount("", AccessMode.SINGLE_NODE_WRITER);

  private static String view(HostPathDriver d) {
    return d.listVolumes(ListVolumesRequest.firstPage(0)) + "|" + d.listSnapshots(ListSnapshotsRequest.firstPage(0))
        + "|" + d.getCapacity(GetCapacityRequest.all());
  }

  @Test
  void aRestartLosesNothing() {
    qt().withExamples(40).forAll(lists().of(integers().between(0, 6 * 4 - 1)).ofSizeBetween(1, 25)).check(ops -> {
      Path dir;
      try {
        dir = Files.createTempDirectory("hostpath-restart");
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      try {
        HostPathConfig config = HostPathConfig.of(dir, "node-1").withCapacityBytes(20 * MIB)
            .withMountMode(HostPathConfig.MountMode.SYMLINK);
        HostPathDriver d = new HostPathDriver(config);
        Map<String, String> ids = new HashMap<>(); // claim name -> volume id, as a CO would remember
        int snapshots = 0;
        for (int op : ops) {
          String name = "pvc-" + (op / 6);
          String id = ids.getOrDefault(name, "missing-" + name);
          try {
            switch (op % 6) {
              case 0 -> ids.put(name, d.createVolume(CreateVolumeRequest.of(name, 3 * MIB, RWO)).volume().volumeId());
              case 1 -> {
                d.deleteVolume(DeleteVolumeRequest.of(id));
                ids.remove(name);
              }
              case 2 -> d.controllerPublishVolume(ControllerPublishVolumeRequest.of(id, "node-1", RWO));
              case 3 -> d.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(id, "node-1"));
              case 4 -> d.createSnapshot(CreateSnapshotRequest.of(id, "snap-" + snapshots++));
              default -> d.controllerExpandVolume(ControllerExpandVolumeRequest.of(id, 4 * MIB));
            }
          } catch (CsiException expected) {
            // NOT_FOUND, FAILED_PRECONDITION, RESOURCE_EXHAUSTED... are part of the history
          }
          String before = view(d);
          d = new HostPathDriver(config);
          if (!view(d).equals(before)) {
            return false;
          }
        }
        return true;
      } finally {
        deleteQuietly(dir);
      }
    });
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort: a temp directory
    }
  }
}
