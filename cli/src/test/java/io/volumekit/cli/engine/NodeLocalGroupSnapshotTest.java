package io.volumekit.cli.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.CreateVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.DeleteVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.GetVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.Topology;
import io.volumekit.core.csi.TopologyRequirement;
import io.volumekit.core.csi.Volume;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.csi.VolumeGroupSnapshot;
import io.volumekit.csi.hostpath.HostPathConfig;
import io.volumekit.csi.hostpath.HostPathDriver;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Volume group snapshots through the node-local controller side over real hostpath instances. */
class NodeLocalGroupSnapshotTest {
  private static final VolumeCapability RWO = VolumeCapability.mount("", AccessMode.SINGLE_NODE_WRITER);

  @TempDir
  Path root;

  private final Map<String, HostPathDriver> instances = new ConcurrentHashMap<>();
  private NodeLocalDriver driver;

  @BeforeEach
  void setUp() {
    driver = new NodeLocalDriver(root, HostPathDriver.TOPOLOGY_KEY, node -> instances.computeIfAbsent(node,
        n -> new HostPathDriver(HostPathConfig.of(root.resolve(n), n).withMountMode(HostPathConfig.MountMode.SYMLINK))),
        "node-a");
  }

  private Volume volumeOn(String node, String name) {
    Topology t = new Topology(ImmutableMap.of(HostPathDriver.TOPOLOGY_KEY, node));
    return driver.createVolume(CreateVolumeRequest.of(name, 1 << 20, RWO)
        .withAccessibilityRequirements(new TopologyRequirement(ImmutableList.of(t), ImmutableList.of(t)))).volume();
  }

  @Test
  void aGroupIsCutFoundAndDeletedOnTheNodeOfItsVolumes() {
    volumeOn("node-a", "elsewhere");
    Volume a = volumeOn("node-b", "a");
    Volume b = volumeOn("node-b", "b");
    VolumeGroupSnapshot g = driver.createVolumeGroupSnapshot(
        CreateVolumeGroupSnapshotRequest.of("group", a.volumeId(), b.volumeId())).groupSnapshot();
    assertThat(instances.get("node-b").getVolumeGroupSnapshot(
        GetVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), g.snapshotIds())).groupSnapshot()).isEqualTo(g);
    assertThat(driver.getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), g.snapshotIds()))
        .groupSnapshot()).isEqualTo(g);

    driver.deleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), g.snapshotIds()));
    CsiException gone = catchThrowableOfType(CsiException.class, () -> instances.get("node-b")
        .getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), g.snapshotIds())));
    assertThat(gone.code()).isEqualTo(CsiCode.NOT_FOUND);
    assertThatCode(() -> driver.deleteVolumeGroupSnapshot(
        DeleteVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), g.snapshotIds()))).doesNotThrowAnyException();
  }

  @Test
  void volumesOnDifferentNodesAreRefused() {
    Volume a = volumeOn("node-a", "a");
    Volume b = volumeOn("node-b", "b");
    CsiException e = catchThrowableOfType(CsiException.class, () -> driver.createVolumeGroupSnapshot(
        CreateVolumeGroupSnapshotRequest.of("group", a.volumeId(), b.volumeId())));
    assertThat(e.code()).isEqualTo(CsiCode.INVALID_ARGUMENT);
    assertThat(e.getMessage()).contains("node-a", "node-b");
  }
}
