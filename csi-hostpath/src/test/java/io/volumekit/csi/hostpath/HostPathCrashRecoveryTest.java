package io.volumekit.csi.hostpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.ControllerGetVolumeRequest;
import io.volumekit.core.csi.ControllerPublishVolumeRequest;
import io.volumekit.core.csi.ControllerUnpublishVolumeRequest;
import io.volumekit.core.csi.CreateSnapshotRequest;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.DeleteSnapshotRequest;
import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.csi.ListSnapshotsRequest;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.csi.NodeUnpublishVolumeRequest;
import io.volumekit.core.csi.NodeUnstageVolumeRequest;
import io.volumekit.core.csi.Snapshot;
import io.volumekit.core.csi.Volume;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.csi.VolumeCondition;
import io.volumekit.core.csi.VolumeContentSource;
import io.volumekit.csi.hostpath.CrashingSyscalls.SimulatedCrash;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hostpath driver killed in the middle of a call (a {@link SimulatedCrash} between two of its
 * changes to the host) and started again on the same data directory: the CO's next call finds a
 * consistent driver, with real bind mounts and with the symlink fallback.
 */
class HostPathCrashRecoveryTest {
  private static final long MIB = 1L << 20;
  private static final VolumeCapability RWO = VolumeCapability.mount("", AccessMode.SINGLE_NODE_WRITER);

  @TempDir
  Path tmp;

  @AfterEach
  void unmountEverything() throws Exception {
    Mounts.unmountAllUnder(tmp);
  }

  private HostPathConfig config(HostPathConfig.MountMode mode) {
    return HostPathConfig.of(tmp.resolve("data"), "node-1").withMountMode(mode);
  }

  /** The driver in {@code mode}; skips the test when that mode needs bind mounts and they are not permitted. */
  private HostPathDriver start(HostPathConfig.MountMode mode, Syscalls sys) {
    if (mode == HostPathConfig.MountMode.BIND) {
      HostPathDriver probe = new HostPathDriver(HostPathConfig.of(tmp.resolve("probe"), "node-1"));
      assumeTrue(probe.publishMode().equals("bind"), "bind mounts not permitted here");
    }
    return new HostPathDriver(config(mode), sys);
  }

  private static boolean shows(Path path, HostPathConfig.MountMode mode) {
    return mode == HostPathConfig.MountMode.BIND ? MountTable.read().isMountPoint(path) : Files.isSymbolicLink(path);
  }

  private Path staging(Volume v) throws IOException {
    return Files.createDirectories(tmp.resolve("staging").resolve(v.volumeId()));
  }

  private Path target(Volume v) throws IOException {
    return Files.createDirectories(tmp.resolve("pods").resolve(v.volumeId())).resolve("mount");
  }

  private Volume attachedVolume(HostPathDriver d, String name) {
    Volume v = d.createVolume(CreateVolumeRequest.of(name, 10 * MIB, RWO)).volume();
    d.controllerPublishVolume(ControllerPublishVolumeRequest.of(v.volumeId(), "node-1", RWO));
    return v;
  }

  private static VolumeCondition condition(HostPathDriver d, Volume v) {
    return d.controllerGetVolume(new ControllerGetVolumeRequest(v.volumeId())).status().volumeCondition().orElseThrow();
  }

  // ---------------------------------------------------------------- killed between mount and record

  @ParameterizedTest
  @EnumSource(value = HostPathConfig.MountMode.class, names = {"BIND", "SYMLINK"})
  void aPublishKilledAfterItsMountIsUndoneByUnpublishAfterTheRestart(HostPathConfig.MountMode mode) throws IOException {
    CrashingSyscalls sys = new CrashingSyscalls();
    HostPathDriver d = start(mode, sys);
    Volume v = attachedVolume(d, "pvc-a");
    Path staging = staging(v);
    Path target = target(v);
    d.nodeStageVolume(NodeStageVolumeRequest.of(v.volumeId(), staging.toString(), RWO));
    sys.crashBefore("writeSynced"); // mounted, not recorded
    assertThatThrownBy(() -> d.nodePublishVolume(
        NodePublishVolumeRequest.of(v.volumeId(), staging.toString(), target.toString(), RWO, false)))
        .isInstanceOf(SimulatedCrash.class);
    assertThat(shows(target, mode)).isTrue();

    HostPathDriver restarted = new HostPathDriver(config(mode));
    restarted.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(v.volumeId(), target.toString()));
    assertThat(shows(target, mode)).isFalse();
    assertThat(Files.exists(target, LinkOption.NOFOLLOW_LINKS)).isFalse();
    restarted.nodeUnstageVolume(new NodeUnstageVolumeRequest(v.volumeId(), staging.toString()));
    assertThat(MountTable.read().mountPointsUnder(tmp)).isEmpty();
    restarted.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(v.volumeId(), "node-1"));
    restarted.deleteVolume(DeleteVolumeRequest.of(v.volumeId()));
    assertThat(restarted.volumePath(v.volumeId())).doesNotExist();
  }

  @Test
  void aStageKilledAfterItsMountIsUndoneByUnstageAfterTheRestart() throws IOException {
    CrashingSyscalls sys = new CrashingSyscalls();
    HostPathDriver d = start(HostPathConfig.MountMode.BIND, sys);
    Volume v = attachedVolume(d, "pvc-b");
    Path staging = staging(v);
    sys.crashBefore("writeSynced");
    assertThatThrownBy(() -> d.nodeStageVolume(NodeStageVolumeRequest.of(v.volumeId(), staging.toString(), RWO)))
        .isInstanceOf(SimulatedCrash.class);
    assertThat(MountTable.read().isMountPoint(staging)).isTrue();

    HostPathDriver restarted = new HostPathDriver(config(HostPathConfig.MountMode.BIND));
    restarted.nodeUnstageVolume(new NodeUnstageVolumeRequest(v.volumeId(), staging.toString()));
    assertThat(MountTable.read().isMountPoint(staging)).isFalse();
    assertThat(staging).isDirectory(); // the CO's directory stays
  }

  @Test
  void aReadOnlyPublishKilledBeforeItsRemountIsReadOnlyWhenRepeated() throws IOException {
    CrashingSyscalls sys = new CrashingSyscalls();
    HostPathDriver d = start(HostPathConfig.MountMode.BIND, sys);
    Volume v = attachedVolume(d, "pvc-c");
    Path staging = staging(v);
    Path target = target(v);
    d.nodeStageVolume(NodeStageVolumeRequest.of(v.volumeId(), staging.toString(), RWO));
    NodePublishVolumeRequest readOnly =
        NodePublishVolumeRequest.of(v.volumeId(), staging.toString(), target.toString(), RWO, true);
    sys.crashBefore("remount"); // bind-mounted read-write, not yet read-only
    assertThatThrownBy(() -> d.nodePublishVolume(readOnly)).isInstanceOf(SimulatedCrash.class);

    HostPathDriver restarted = new HostPathDriver(config(HostPathConfig.MountMode.BIND));
    restarted.nodePublishVolume(readOnly);
    assertThat(MountTable.read().isReadOnly(target)).isTrue();
    FileSystemException e = catchThrowableOfType(FileSystemException.class,
        () -> Files.writeString(target.resolve("new.txt"), "y"));
    assertThat(e).isNotNull();
    restarted.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(v.volumeId(), target.toString()));
    assertThat(target).doesNotExist();
  }

  // ---------------------------------------------------------------- killed between unmount and record

  @ParameterizedTest
  @EnumSource(value = HostPathConfig.MountMode.class, names = {"BIND", "SYMLINK"})
  void anUnpublishKilledAfterItsUnmountLeavesNoPublicationRecord(HostPathConfig.MountMode mode) throws IOException {
    CrashingSyscalls sys = new CrashingSyscalls();
    HostPathDriver d = start(mode, sys);
    Volume v = attachedVolume(d, "pvc-d");
    Path staging = staging(v);
    Path target = target(v);
    d.nodeStageVolume(NodeStageVolumeRequest.of(v.volumeId(), staging.toString(), RWO));
    d.nodePublishVolume(NodePublishVolumeRequest.of(v.volumeId(), staging.toString(), target.toString(), RWO, false));
    sys.crashBefore("writeSynced"); // unmounted and removed, still recorded
    assertThatThrownBy(() -> d.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(v.volumeId(), target.toString())))
        .isInstanceOf(SimulatedCrash.class);

    HostPathDriver restarted = new HostPathDriver(config(mode));
    assertThat(condition(restarted, v).abnormal()).as("condition %s", condition(restarted, v)).isFalse();
    // Nothing is published any more: the volume can be unstaged at once.
    restarted.nodeUnstageVolume(new NodeUnstageVolumeRequest(v.volumeId(), staging.toString()));
    restarted.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(v.volumeId(), "node-1"));
    restarted.deleteVolume(DeleteVolumeRequest.of(v.volumeId()));
    assertThat(MountTable.read().mountPointsUnder(tmp)).isEmpty();
  }

  @Test
  void anUnstageKilledAfterItsUnmountLeavesNoStageRecord() throws IOException {
    CrashingSyscalls sys = new CrashingSyscalls();
    HostPathDriver d = start(HostPathConfig.MountMode.BIND, sys);
    Volume v = attachedVolume(d, "pvc-e");
    Path staging = staging(v);
    d.nodeStageVolume(NodeStageVolumeRequest.of(v.volumeId(), staging.toString(), RWO));
    sys.crashBefore("writeSynced");
    assertThatThrownBy(() -> d.nodeUnstageVolume(new NodeUnstageVolumeRequest(v.volumeId(), staging.toString())))
        .isInstanceOf(SimulatedCrash.class);

    HostPathDriver restarted = new HostPathDriver(config(HostPathConfig.MountMode.BIND));
    // Not staged any more: the controller may detach it.
    restarted.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(v.volumeId(), "node-1"));
    restarted.deleteVolume(DeleteVolumeRequest.of(v.volumeId()));
  }

  // ---------------------------------------------------------------- snapshots

  @Test
  void aSnapshotDeletionKilledAtAnyStepLeavesNoListedSnapshotWithoutItsData() throws IOException {
    HostPathConfig config = config(HostPathConfig.MountMode.SYMLINK);
    for (int k = 0; ; k++) {
      CrashingSyscalls sys = new CrashingSyscalls();
      HostPathDriver d = new HostPathDriver(config, sys);
      Volume v = d.createVolume(CreateVolumeRequest.of("src-" + k, MIB, RWO)).volume();
      Files.createDirectories(d.volumePath(v.volumeId()).resolve("dir"));
      Files.writeString(d.volumePath(v.volumeId()).resolve("dir/a.txt"), "a");
      Files.writeString(d.volumePath(v.volumeId()).resolve("b.txt"), "b");
      String snap = d.createSnapshot(CreateSnapshotRequest.of(v.volumeId(), "snap-" + k)).snapshot().snapshotId();
      sys.crashAtStep(k);
      try {
        d.deleteSnapshot(DeleteSnapshotRequest.of(snap));
        break; // k is past the last step: every crash point was tried
      } catch (SimulatedCrash crash) {
        HostPathDriver restarted = new HostPathDriver(config);
        for (Snapshot s : restarted.listSnapshots(ListSnapshotsRequest.firstPage(0)).entries()) {
          assertThat(s.readyToUse()).as("after a crash at step %d", k).isTrue();
          Volume restored = restarted.createVolume(CreateVolumeRequest.of("restored-" + k, MIB, RWO)
              .withContentSource(VolumeContentSource.snapshot(s.snapshotId()))).volume();
          assertThat(restarted.volumePath(restored.volumeId()).resolve("dir/a.txt")).hasContent("a");
          assertThat(restarted.volumePath(restored.volumeId()).resolve("b.txt")).hasContent("b");
        }
        restarted.deleteSnapshot(DeleteSnapshotRequest.of(snap)); // the CO repeats the call
        assertThat(restarted.listSnapshots(ListSnapshotsRequest.firstPage(0)).entries()).isEmpty();
        try (Stream<Path> left = Files.list(tmp.resolve("data/snapshots"))) {
          assertThat(left).isEmpty();
        }
      }
    }
  }

  @Test
  void aSnapshotWhoseDataIsMissingIsNotReadyAndNotRestored() throws IOException {
    HostPathDriver d = new HostPathDriver(config(HostPathConfig.MountMode.SYMLINK));
    Volume v = d.createVolume(CreateVolumeRequest.of("src", MIB, RWO)).volume();
    String snap = d.createSnapshot(CreateSnapshotRequest.of(v.volumeId(), "snap")).snapshot().snapshotId();
    Files.delete(tmp.resolve("data/snapshots").resolve(snap)); // removed behind the driver's back
    assertThat(d.listSnapshots(ListSnapshotsRequest.firstPage(0)).entries())
        .singleElement().satisfies(s -> assertThat(s.readyToUse()).isFalse());
    CsiException e = catchThrowableOfType(CsiException.class, () -> d.createVolume(CreateVolumeRequest.of("restored", MIB, RWO)
        .withContentSource(VolumeContentSource.snapshot(snap))));
    assertThat(e.code()).isEqualTo(CsiCode.FAILED_PRECONDITION);
  }

  // ---------------------------------------------------------------- error order

  @Test
  void aMissingVolumeOrSourceIsNotFoundEvenWhenTheCapabilityIsAlsoRefused() {
    HostPathDriver d = new HostPathDriver(config(HostPathConfig.MountMode.SYMLINK));
    VolumeCapability block = VolumeCapability.block(AccessMode.SINGLE_NODE_WRITER);
    for (VolumeContentSource missing : List.of(VolumeContentSource.snapshot("no-such-snapshot"),
        VolumeContentSource.volume("no-such-volume"))) {
      CsiException e = catchThrowableOfType(CsiException.class,
          () -> d.createVolume(CreateVolumeRequest.of("from-" + missing, MIB, block).withContentSource(missing)));
      assertThat(e.code()).as("%s", missing).isEqualTo(CsiCode.NOT_FOUND);
    }
    CsiException publish = catchThrowableOfType(CsiException.class,
        () -> d.controllerPublishVolume(ControllerPublishVolumeRequest.of("no-such-volume", "node-1", block)));
    assertThat(publish.code()).isEqualTo(CsiCode.NOT_FOUND);
    String fs = d.createVolume(CreateVolumeRequest.of("fs", MIB, RWO)).volume().volumeId();
    CsiException blockAlone = catchThrowableOfType(CsiException.class, () -> d.createVolume(
        CreateVolumeRequest.of("block", MIB, block).withContentSource(VolumeContentSource.volume(fs))));
    assertThat(blockAlone.code()).isEqualTo(CsiCode.INVALID_ARGUMENT);
  }
}
