package io.volumekit.csi.hostpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.ControllerPublishVolumeRequest;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.EphemeralVolumes;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.csi.NodeUnpublishVolumeRequest;
import io.volumekit.core.csi.NodeUnstageVolumeRequest;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.csi.hostpath.CrashingSyscalls.SimulatedCrash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The node RPCs killed between any two of their changes to the host, exhaustively: for every call
 * of a node lifecycle and every step k of it, the driver is "killed" before step k (a
 * {@link CrashingSyscalls}), a new driver starts on the same data directory with the real mount
 * table, and the CO carries on, either repeating the interrupted call and finishing the lifecycle,
 * or (for a publish or stage) giving up and undoing what it had done. Checked after the restart:
 * no record without its mount; after every later call: the mounts (or symlinks) at the CO's paths
 * are exactly the recorded ones, read-only where recorded so; at the end: nothing mounted, no
 * target left, nothing recorded as staged or published.
 */
class HostPathNodeRestartPropertyTest {
  private static final VolumeCapability CAP = VolumeCapability.mount("", AccessMode.SINGLE_NODE_MULTI_WRITER);
  private static final String INLINE = EphemeralVolumes.volumeHandle("pod-uid-1", "scratch");

  /** A node RPC as the kubelet sends it. */
  enum Call {
    STAGE, PUBLISH_RW, PUBLISH_RO, UNPUBLISH_RO, UNPUBLISH_RW, UNSTAGE, PUBLISH_INLINE, UNPUBLISH_INLINE;

    /** What the CO calls to undo this call, or null for calls that undo. */
    Call inverse() {
      return switch (this) {
        case STAGE -> UNSTAGE;
        case PUBLISH_RW -> UNPUBLISH_RW;
        case PUBLISH_RO -> UNPUBLISH_RO;
        case PUBLISH_INLINE -> UNPUBLISH_INLINE;
        default -> null;
      };
    }
  }

  private static final List<Call> PERSISTENT = List.of(Call.STAGE, Call.PUBLISH_RW, Call.PUBLISH_RO,
      Call.UNPUBLISH_RO, Call.UNPUBLISH_RW, Call.UNSTAGE);
  private static final List<Call> INLINE_LIFECYCLE = List.of(Call.PUBLISH_INLINE, Call.UNPUBLISH_INLINE);

  @TempDir
  Path tmp;

  @AfterEach
  void unmountEverything() throws Exception {
    Mounts.unmountAllUnder(tmp);
  }

  /** One run's paths: the data directory and the CO's staging and target paths. */
  private record Run(Path dir, HostPathConfig config, HostPathConfig.MountMode mode, String volumeId) {
    Path staging() {
      return dir.resolve("staging");
    }

    Path target(String pod) {
      return dir.resolve("pods").resolve(pod).resolve("mount");
    }

    List<Path> targets() {
      return List.of(target("rw"), target("ro"), target("inline"));
    }
  }

  @ParameterizedTest
  @EnumSource(value = HostPathConfig.MountMode.class, names = {"BIND", "SYMLINK"})
  void aPersistentVolumeLifecycleKilledAtAnyStepRecovers(HostPathConfig.MountMode mode) throws IOException {
    assertThat(exhaust(mode, PERSISTENT)).isGreaterThan(PERSISTENT.size() * 2);
  }

  @ParameterizedTest
  @EnumSource(value = HostPathConfig.MountMode.class, names = {"BIND", "SYMLINK"})
  void anInlineVolumeLifecycleKilledAtAnyStepRecovers(HostPathConfig.MountMode mode) throws IOException {
    assertThat(exhaust(mode, INLINE_LIFECYCLE)).isGreaterThan(INLINE_LIFECYCLE.size() * 2);
  }

  /** Every call, every crash step, both continuations; returns the number of crashes tried. */
  private int exhaust(HostPathConfig.MountMode mode, List<Call> lifecycle) throws IOException {
    if (mode == HostPathConfig.MountMode.BIND) {
      HostPathDriver probe = new HostPathDriver(HostPathConfig.of(tmp.resolve("probe"), "node-1"));
      assumeTrue(probe.publishMode().equals("bind"), "bind mounts not permitted here");
    }
    int crashes = 0;
    int runs = 0;
    for (int i = 0; i < lifecycle.size(); i++) {
      for (int k = 0; ; k++) {
        boolean crashed = false;
        for (boolean giveUp : lifecycle.get(i).inverse() == null ? List.of(false) : List.of(false, true)) {
          crashed = run(mode, lifecycle, i, k, giveUp, tmp.resolve("run-" + runs++));
          crashes += crashed ? 1 : 0;
        }
        if (!crashed) {
          break; // k is past the call's last step
        }
      }
    }
    return crashes;
  }

  /** One history: calls before {@code i}, call {@code i} killed before step {@code k}, restart, carry on. */
  private boolean run(HostPathConfig.MountMode mode, List<Call> lifecycle, int i, int k, boolean giveUp, Path dir)
      throws IOException {
    HostPathConfig config = HostPathConfig.of(dir.resolve("data"), "node-1").withMountMode(mode);
    CrashingSyscalls sys = new CrashingSyscalls();
    HostPathDriver d = new HostPathDriver(config, sys);
    String id = d.createVolume(CreateVolumeRequest.of("pvc", 1 << 20, CAP)).volume().volumeId();
    d.controllerPublishVolume(ControllerPublishVolumeRequest.of(id, "node-1", CAP));
    Run run = new Run(dir, config, mode, id);
    Files.createDirectories(run.staging()); // the CO's
    for (String pod : List.of("rw", "ro", "inline")) {
      Files.createDirectories(run.target(pod).getParent()); // the CO's; the target is the driver's
    }
    for (int j = 0; j < i; j++) {
      call(d, run, lifecycle.get(j));
    }
    String history = mode + " " + lifecycle.subList(0, i) + " then " + lifecycle.get(i) + " killed at step " + k
        + (giveUp ? ", undone" : ", repeated");
    sys.crashAtStep(k);
    try {
      call(d, run, lifecycle.get(i));
      return false;
    } catch (SimulatedCrash expected) {
      // the driver process is gone; what it did before step k is on the host
    }
    HostPathDriver restarted = new HostPathDriver(config);
    assertThat(host(run)).as("mounts after restart: %s (steps %s)", history, sys.log()).containsAll(records(run));
    List<Call> rest = new ArrayList<>();
    if (giveUp) {
      for (int j = i; j >= 0; j--) {
        rest.add(lifecycle.get(j).inverse());
      }
    } else {
      rest.addAll(lifecycle.subList(i, lifecycle.size()));
    }
    for (Call c : rest) {
      call(restarted, run, c);
      assertThat(host(run)).as("after %s: %s", c, history).isEqualTo(records(run));
      assertReadOnlyAsRecorded(run, history);
    }
    assertThat(MountTable.read().mountPointsUnder(dir)).as("mounts left: %s", history).isEmpty();
    for (Path target : run.targets()) {
      assertThat(Files.exists(target, LinkOption.NOFOLLOW_LINKS)).as("%s left: %s", target, history).isFalse();
    }
    List<StateRecords.Vol> vols = new StateStore(config.dataDir(), Syscalls.linux()).loadVolumes();
    assertThat(vols).as("records: %s", history).allSatisfy(v -> {
      assertThat(v.stagingPath()).isEmpty();
      assertThat(v.nodePublications()).isEmpty();
      assertThat(v.ephemeral()).isFalse();
    });
    assertThat(new HostPathDriver(config).volumePath(INLINE)).as("inline data: %s", history).doesNotExist();
    return true;
  }

  private static void call(HostPathDriver d, Run run, Call c) {
    String staging = run.staging().toString();
    switch (c) {
      case STAGE -> d.nodeStageVolume(NodeStageVolumeRequest.of(run.volumeId(), staging, CAP));
      case PUBLISH_RW -> d.nodePublishVolume(
          NodePublishVolumeRequest.of(run.volumeId(), staging, run.target("rw").toString(), CAP, false));
      case PUBLISH_RO -> d.nodePublishVolume(
          NodePublishVolumeRequest.of(run.volumeId(), staging, run.target("ro").toString(), CAP, true));
      case UNPUBLISH_RO -> d.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(run.volumeId(), run.target("ro").toString()));
      case UNPUBLISH_RW -> d.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(run.volumeId(), run.target("rw").toString()));
      case UNSTAGE -> d.nodeUnstageVolume(new NodeUnstageVolumeRequest(run.volumeId(), staging));
      case PUBLISH_INLINE -> d.nodePublishVolume(
          NodePublishVolumeRequest.of(INLINE, "", run.target("inline").toString(), CAP, false));
      case UNPUBLISH_INLINE -> d.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(INLINE, run.target("inline").toString()));
    }
  }

  /** What the host shows at the CO's paths: mount points (bind mode) or symlinks. */
  private static Set<String> host(Run run) {
    Set<String> out = new TreeSet<>();
    if (run.mode() == HostPathConfig.MountMode.BIND) {
      out.addAll(MountTable.read().mountPointsUnder(run.dir()));
    } else {
      for (Path t : run.targets()) {
        if (Files.isSymbolicLink(t)) {
          out.add(MountTable.canonical(t));
        }
      }
    }
    return out;
  }

  /** What the driver's state files say is mounted: publications, and stages that are bind mounts. */
  private static Set<String> records(Run run) {
    Set<String> out = new TreeSet<>();
    for (StateRecords.Vol v : new StateStore(run.config().dataDir(), Syscalls.linux()).loadVolumes()) {
      v.nodePublications().keySet().forEach(p -> out.add(MountTable.canonical(Path.of(p))));
      if (!v.stagingPath().isEmpty() && v.stageHow().equals("bind")) {
        out.add(MountTable.canonical(Path.of(v.stagingPath())));
      }
    }
    return out;
  }

  private static void assertReadOnlyAsRecorded(Run run, String history) {
    if (run.mode() != HostPathConfig.MountMode.BIND) {
      return; // a symlink has no read-only flag
    }
    MountTable table = MountTable.read();
    for (StateRecords.Vol v : new StateStore(run.config().dataDir(), Syscalls.linux()).loadVolumes()) {
      v.nodePublications().forEach((path, p) ->
          assertThat(table.isReadOnly(Path.of(path))).as("read-only flag of %s: %s", path, history).isEqualTo(p.readonly()));
    }
  }
}
