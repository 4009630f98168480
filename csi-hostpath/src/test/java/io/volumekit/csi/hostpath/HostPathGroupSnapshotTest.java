package io.volumekit.csi.hostpath;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.CreateVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.DeleteVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.GetVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.ListSnapshotsRequest;
import io.volumekit.core.csi.Snapshot;
import io.volumekit.core.csi.Volume;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.csi.VolumeContentSource;
import io.volumekit.core.csi.VolumeGroupSnapshot;
import io.volumekit.csi.hostpath.CrashingSyscalls.SimulatedCrash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostpath driver's volume group snapshots beyond the conformance suite: member data, ids that
 * survive a restart, and a driver killed at every step of CreateVolumeGroupSnapshot and
 * DeleteVolumeGroupSnapshot.
 */
class HostPathGroupSnapshotTest {
  private static final long MIB = 1L << 20;
  private static final VolumeCapability RWO = VolumeCapability.mount("", AccessMode.SINGLE_NODE_WRITER);

  @TempDir
  Path tmp;

  private HostPathConfig config() {
    return HostPathConfig.of(tmp.resolve("data"), "node-1").withMountMode(HostPathConfig.MountMode.SYMLINK);
  }

  private static Volume volumeWith(HostPathDriver d, String name, String content) throws IOException {
    Volume v = d.createVolume(CreateVolumeRequest.of(name, MIB, RWO)).volume();
    Files.writeString(d.volumePath(v.volumeId()).resolve("data.txt"), content);
    return v;
  }

  private static List<String> snapshotIds(HostPathDriver d) {
    return d.listSnapshots(ListSnapshotsRequest.firstPage(0)).entries().stream().map(Snapshot::snapshotId).toList();
  }

  private List<Path> snapshotDirs() throws IOException {
    try (Stream<Path> dirs = Files.list(tmp.resolve("data/snapshots"))) {
      return dirs.toList();
    }
  }

  @Test
  void eachMemberHoldsItsVolumesDataAndTheGroupSurvivesARestart() throws IOException {
    HostPathDriver d = new HostPathDriver(config());
    Volume a = volumeWith(d, "a", "alpha");
    Volume b = volumeWith(d, "b", "beta");
    VolumeGroupSnapshot g = d.createVolumeGroupSnapshot(
        CreateVolumeGroupSnapshotRequest.of("group-1", a.volumeId(), b.volumeId())).groupSnapshot();
    assertThat(g.readyToUse()).isTrue();
    Files.writeString(d.volumePath(a.volumeId()).resolve("data.txt"), "changed after the snapshot");

    HostPathDriver restarted = new HostPathDriver(config());
    VolumeGroupSnapshot again = restarted.getVolumeGroupSnapshot(
        GetVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), g.snapshotIds())).groupSnapshot();
    assertThat(again).isEqualTo(g);
    for (Snapshot member : again.snapshots()) {
      Volume restored = restarted.createVolume(CreateVolumeRequest.of("restored-" + member.sourceVolumeId(), MIB, RWO)
          .withContentSource(VolumeContentSource.snapshot(member.snapshotId()))).volume();
      assertThat(restarted.volumePath(restored.volumeId()).resolve("data.txt"))
          .hasContent(member.sourceVolumeId().equals(a.volumeId()) ? "alpha" : "beta");
    }
    assertThat(restarted.createVolumeGroupSnapshot(
        CreateVolumeGroupSnapshotRequest.of("group-1", b.volumeId(), a.volumeId())).groupSnapshot()).isEqualTo(g);
  }

  @Test
  void aFailedMemberCopyCutsNothing() throws IOException {
    HostPathDriver d = new HostPathDriver(config());
    Volume a = volumeWith(d, "a", "alpha");
    Volume b = volumeWith(d, "b", "beta");
    Path unreadable = d.volumePath(b.volumeId()).resolve("secret");
    Files.writeString(unreadable, "x");
    assertThat(unreadable.toFile().setReadable(false)).isTrue();
    org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(unreadable), "running as root: files stay readable");
    try {
      CsiException e = org.assertj.core.api.Assertions.catchThrowableOfType(CsiException.class,
          () -> d.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.of("g", a.volumeId(), b.volumeId())));
      assertThat(e.code()).isEqualTo(CsiCode.INTERNAL);
      assertThat(snapshotIds(d)).isEmpty();
      assertThat(snapshotDirs()).isEmpty();
    } finally {
      unreadable.toFile().setReadable(true);
    }
  }

  @Test
  void aCreationKilledAtAnyStepIsCompletedByTheRepeatOrLeavesNothing() throws IOException {
    for (int k = 0; ; k++) {
      Path data = tmp.resolve("run-" + k);
      HostPathConfig config = HostPathConfig.of(data, "node-1").withMountMode(HostPathConfig.MountMode.SYMLINK);
      CrashingSyscalls sys = new CrashingSyscalls();
      HostPathDriver d = new HostPathDriver(config, sys);
      List<String> sources = List.of(volumeWith(d, "a", "alpha").volumeId(), volumeWith(d, "b", "beta").volumeId(),
          volumeWith(d, "c", "gamma").volumeId());
      CreateVolumeGroupSnapshotRequest create = CreateVolumeGroupSnapshotRequest.of("group", sources.toArray(String[]::new));
      sys.crashAtStep(k);
      try {
        d.createVolumeGroupSnapshot(create);
        break; // k is past the last step: every crash point was tried
      } catch (SimulatedCrash crash) {
        HostPathDriver restarted = new HostPathDriver(config);
        assertThat(snapshotIds(restarted)).as("members without their group after a crash at step %d", k).isEmpty();
        try (Stream<Path> dirs = Files.list(data.resolve("snapshots"))) {
          assertThat(dirs).as("snapshot data left after a crash at step %d", k).isEmpty();
        }
        VolumeGroupSnapshot g = restarted.createVolumeGroupSnapshot(create).groupSnapshot(); // the CO repeats
        assertThat(g.snapshots()).extracting(Snapshot::sourceVolumeId).containsExactlyInAnyOrderElementsOf(sources);
        assertThat(snapshotIds(restarted)).containsExactlyInAnyOrderElementsOf(g.snapshotIds());
      }
    }
  }

  @Test
  void aDeletionKilledAtAnyStepIsCompletedByTheRepeat() throws IOException {
    for (int k = 0; ; k++) {
      Path data = tmp.resolve("run-" + k);
      HostPathConfig config = HostPathConfig.of(data, "node-1").withMountMode(HostPathConfig.MountMode.SYMLINK);
      CrashingSyscalls sys = new CrashingSyscalls();
      HostPathDriver d = new HostPathDriver(config, sys);
      VolumeGroupSnapshot g = d.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.of("group",
          volumeWith(d, "a", "alpha").volumeId(), volumeWith(d, "b", "beta").volumeId())).groupSnapshot();
      DeleteVolumeGroupSnapshotRequest delete = DeleteVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), g.snapshotIds());
      sys.crashAtStep(k);
      try {
        d.deleteVolumeGroupSnapshot(delete);
        break;
      } catch (SimulatedCrash crash) {
        HostPathDriver restarted = new HostPathDriver(config);
        Set<String> left = Set.copyOf(snapshotIds(restarted));
        assertThat(left).as("after a crash at step %d", k).isIn(Set.of(), Set.copyOf(g.snapshotIds()));
        restarted.deleteVolumeGroupSnapshot(delete); // the CO repeats
        assertThat(snapshotIds(restarted)).isEmpty();
        try (Stream<Path> dirs = Files.list(data.resolve("snapshots"))) {
          assertThat(dirs).isEmpty();
        }
      }
    }
  }
}
