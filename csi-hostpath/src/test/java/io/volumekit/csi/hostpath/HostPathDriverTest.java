package io.volumekit.csi.hostpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.ControllerGetVolumeRequest;
import io.volumekit.core.csi.ControllerPublishVolumeRequest;
import io.volumekit.core.csi.ControllerUnpublishVolumeRequest;
import io.volumekit.core.csi.CreateSnapshotRequest;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.CsiNodeRegistration;
import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.csi.GetCapacityRequest;
import io.volumekit.core.csi.ListSnapshotsRequest;
import io.volumekit.core.csi.ListVolumesRequest;
import io.volumekit.core.csi.NodeGetVolumeStatsRequest;
import io.volumekit.core.csi.NodeGetVolumeStatsResponse;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.csi.NodeUnpublishVolumeRequest;
import io.volumekit.core.csi.NodeUnstageVolumeRequest;
import io.volumekit.core.csi.Topology;
import io.volumekit.core.csi.TopologyRequirement;
import io.volumekit.core.csi.ValidateVolumeCapabilitiesRequest;
import io.volumekit.core.csi.Volume;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.csi.VolumeContentSource;
import io.volumekit.core.csi.VolumeUsage;
import io.volumekit.csi.client.CsiEndpoint;
import io.volumekit.csi.client.GrpcCsiDriver;
import io.volumekit.csi.client.server.CsiGrpcServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPathDriverTest {
  private static final long MIB = 1L << 20;
  private static final VolumeCapability RWO = VolumeCapability.mount("", AccessMode.SINGLE_NODE_WRITER);

  @TempDir
  Path tmp;

  private HostPathDriver driver(HostPathConfig config) {
    return new HostPathDriver(config);
  }

  private HostPathConfig config() {
    return HostPathConfig.of(tmp.resolve("data"), "node-1");
  }

  /** Controller-publishes, stages and publishes {@code v}; returns the target path. */
  private Path publish(HostPathDriver d, Volume v, boolean readonly) throws IOException {
    d.controllerPublishVolume(ControllerPublishVolumeRequest.of(v.volumeId(), "node-1", RWO));
    Path staging = Files.createDirectories(tmp.resolve("staging").resolve(v.volumeId()));
    d.nodeStageVolume(NodeStageVolumeRequest.of(v.volumeId(), staging.toString(), RWO));
    Path target = Files.createDirectories(tmp.resolve("pods").resolve(v.volumeId() + (readonly ? "-ro" : ""))).resolve("mount");
    d.nodePublishVolume(NodePublishVolumeRequest.of(v.volumeId(), staging.toString(), target.toString(), RWO, readonly));
    return target;
  }

  private void unpublish(HostPathDriver d, Volume v, Path target) {
    d.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(v.volumeId(), target.toString()));
    d.nodeUnstageVolume(new NodeUnstageVolumeRequest(v.volumeId(), tmp.resolve("staging").resolve(v.volumeId()).toString()));
    d.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(v.volumeId(), "node-1"));
  }

  @Test
  void modifiedMutableParametersAreKeptAcrossARestartAndUnknownKeysChangeNothing() {
    HostPathConfig c = config().withMutableParameterKeys(java.util.Set.of("iops", "throughput"));
    HostPathDriver d = driver(c);
    assertThat(d.controllerGetCapabilities().capabilities()).contains(io.volumekit.core.csi.ControllerCapability.MODIFY_VOLUME);
    CreateVolumeRequest r = CreateVolumeRequest.of("pvc-m", 1 << 20, RWO);
    Volume v = d.createVolume(new CreateVolumeRequest(r.name(), r.capacityRange(), r.volumeCapabilities(), r.parameters(),
        r.secrets(), r.volumeContentSource(), r.accessibilityRequirements(),
        com.google.common.collect.ImmutableMap.of("iops", "100"))).volume();
    d.controllerModifyVolume(io.volumekit.core.csi.ControllerModifyVolumeRequest.of(v.volumeId(), Map.of("throughput", "50")));
    assertThatThrownBy(() -> d.controllerModifyVolume(io.volumekit.core.csi.ControllerModifyVolumeRequest.of(v.volumeId(),
        Map.of("iops", "999", "burst", "on"))))
        .isInstanceOf(io.volumekit.core.csi.CsiException.class)
        .hasMessageContaining("\"burst\" is not supported");
    HostPathDriver restarted = driver(c);
    assertThat(restarted.mutableParameters(v.volumeId())).contains(Map.of("iops", "100", "throughput", "50"));
  }

  @Test
  void withoutConfiguredKeysThereIsNoModifyVolume() {
    HostPathDriver d = driver(config());
    assertThat(d.controllerGetCapabilities().capabilities())
        .doesNotContain(io.volumekit.core.csi.ControllerCapability.MODIFY_VOLUME);
    Volume v = d.createVolume(CreateVolumeRequest.of("pvc-n", 1 << 20, RWO)).volume();
    assertThatThrownBy(() -> d.controllerModifyVolume(io.volumekit.core.csi.ControllerModifyVolumeRequest.of(v.volumeId(),
        Map.of("iops", "1")))).isInstanceOf(io.volumekit.core.csi.CsiException.class)
        .satisfies(e -> assertThat(((io.volumekit.core.csi.CsiException) e).code())
            .isEqualTo(io.volumekit.core.csi.CsiCode.UNIMPLEMENTED));
  }

  @Test
  void aRestartedDriverKnowsItsVolumesPublicationsAndSnapshots() throws IOException {
    HostPathDriver first = driver(config());
    CreateVolumeRequest create = CreateVolumeRequest.of("pvc-a", 10 * MIB, RWO);
    Volume v = first.createVolume(create).volume();
    first.controllerPublishVolume(ControllerPublishVolumeRequest.of(v.volumeId(), "node-1", RWO));
    first.createSnapshot(CreateSnapshotRequest.of(v.volumeId(), "snap-a"));
    long available = first.getCapacity(GetCapacityRequest.all()).availableCapacity();

    HostPathDriver second = driver(config());
    assertThat(second.createVolume(create).volume()).isEqualTo(v);
    assertThat(second.listVolumes(ListVolumesRequest.firstPage(0)).entries()).hasSize(1);
    assertThat(second.controllerGetVolume(new ControllerGetVolumeRequest(v.volumeId())).status().publishedNodeIds())
        .containsExactly("node-1");
    assertThat(second.listSnapshots(ListSnapshotsRequest.firstPage(0)).entries()).hasSize(1);
    assertThat(second.getCapacity(GetCapacityRequest.all()).availableCapacity()).isEqualTo(available);
    CsiException inUse = catchThrowableOfType(CsiException.class,
        () -> second.deleteVolume(DeleteVolumeRequest.of(v.volumeId())));
    assertThat(inUse.code()).isEqualTo(CsiCode.FAILED_PRECONDITION);
  }

  @Test
  void leftoversOfAnInterruptedCreateAreRemovedAtStart() throws IOException {
    HostPathDriver first = driver(config());
    Volume v = first.createVolume(CreateVolumeRequest.of("kept", MIB, RWO)).volume();
    Path orphan = Files.createDirectories(tmp.resolve("data/volumes/vol-orphan"));
    Path partial = Files.writeString(tmp.resolve("data/state/volumes/vol-x.json.tmp"), "{");
    HostPathDriver second = driver(config());
    assertThat(orphan).doesNotExist();
    assertThat(partial).doesNotExist();
    assertThat(second.volumePath(v.volumeId())).isDirectory();
  }

  @Test
  void publishedVolumeShowsTheVolumeDirectoryAndUnpublishRemovesTheTarget() throws IOException {
    HostPathDriver d = driver(config());
    Volume v = d.createVolume(CreateVolumeRequest.of("pvc-b", 10 * MIB, RWO)).volume();
    Path target = publish(d, v, false);
    Files.writeString(target.resolve("hello.txt"), "hello");
    assertThat(d.volumePath(v.volumeId()).resolve("hello.txt")).hasContent("hello");
    if (d.publishMode().equals("bind")) {
      assertThat(MountTable.read().isMountPoint(target)).isTrue();
    }
    unpublish(d, v, target);
    assertThat(target).doesNotExist();
    assertThat(d.volumePath(v.volumeId()).resolve("hello.txt")).hasContent("hello");
    d.deleteVolume(DeleteVolumeRequest.of(v.volumeId()));
    assertThat(d.volumePath(v.volumeId())).doesNotExist();
  }

  @Test
  void readOnlyPublicationRefusesWritesWithBindMounts() throws IOException {
    HostPathDriver d = driver(config());
    assumeTrue(d.publishMode().equals("bind"), "bind mounts not permitted here");
    Volume v = d.createVolume(CreateVolumeRequest.of("pvc-ro", 10 * MIB, RWO)).volume();
    Files.writeString(d.volumePath(v.volumeId()).resolve("data.txt"), "x");
    Path target = publish(d, v, true);
    assertThat(target.resolve("data.txt")).hasContent("x");
    FileSystemException e = catchThrowableOfType(FileSystemException.class,
        () -> Files.writeString(target.resolve("new.txt"), "y"));
    assertThat(e).isNotNull().isNotInstanceOf(AccessDeniedException.class);
    assertThat(e.getMessage()).containsIgnoringCase("read-only");
    unpublish(d, v, target);
  }

  @Test
  void aLostMountIsReportedAbnormalAndRepublishRestoresIt() throws Exception {
    HostPathDriver d = driver(config());
    assumeTrue(d.publishMode().equals("bind"), "bind mounts not permitted here");
    Volume v = d.createVolume(CreateVolumeRequest.of("pvc-c", 10 * MIB, RWO)).volume();
    Path target = publish(d, v, false);
    assertThat(new ProcessBuilder("umount", target.toString()).start().waitFor()).isZero();
    NodeGetVolumeStatsResponse stats = d.nodeGetVolumeStats(new NodeGetVolumeStatsRequest(v.volumeId(), target.toString(), ""));
    assertThat(stats.volumeCondition()).hasValueSatisfying(c -> assertThat(c.abnormal()).isTrue());
    String staging = tmp.resolve("staging").resolve(v.volumeId()).toString();
    d.nodePublishVolume(NodePublishVolumeRequest.of(v.volumeId(), staging, target.toString(), RWO, false));
    assertThat(MountTable.read().isMountPoint(target)).isTrue();
    unpublish(d, v, target);
  }

  @Test
  void volumeStatsCountTheBytesWritten() throws IOException {
    HostPathDriver d = driver(config());
    Volume v = d.createVolume(CreateVolumeRequest.of("pvc-d", 10 * MIB, RWO)).volume();
    Path target = publish(d, v, false);
    Files.write(target.resolve("blob"), new byte[4096]);
    NodeGetVolumeStatsResponse stats = d.nodeGetVolumeStats(new NodeGetVolumeStatsRequest(v.volumeId(), target.toString(), ""));
    VolumeUsage bytes = stats.usage().stream().filter(u -> u.unit() == VolumeUsage.Unit.BYTES).findFirst().orElseThrow();
    assertThat(bytes.used()).isEqualTo(4096);
    assertThat(bytes.total()).isEqualTo(10 * MIB);
    assertThat(bytes.available()).isEqualTo(10 * MIB - 4096);
    assertThat(stats.volumeCondition()).hasValueSatisfying(c -> assertThat(c.abnormal()).isFalse());
    unpublish(d, v, target);
  }

  @Test
  void volumesFromSnapshotsAndClonesCarryTheSourceData() throws IOException {
    HostPathDriver d = driver(config());
    Volume source = d.createVolume(CreateVolumeRequest.of("pvc-src", 10 * MIB, RWO)).volume();
    Files.createDirectories(d.volumePath(source.volumeId()).resolve("dir"));
    Files.writeString(d.volumePath(source.volumeId()).resolve("dir/file.txt"), "v1");
    String snapId = d.createSnapshot(CreateSnapshotRequest.of(source.volumeId(), "snap-1")).snapshot().snapshotId();
    Files.writeString(d.volumePath(source.volumeId()).resolve("dir/file.txt"), "v2");

    Volume restored = d.createVolume(CreateVolumeRequest.of("pvc-restored", 10 * MIB, RWO)
        .withContentSource(VolumeContentSource.snapshot(snapId))).volume();
    Volume clone = d.createVolume(CreateVolumeRequest.of("pvc-clone", 10 * MIB, RWO)
        .withContentSource(VolumeContentSource.volume(source.volumeId()))).volume();
    assertThat(d.volumePath(restored.volumeId()).resolve("dir/file.txt")).hasContent("v1");
    assertThat(d.volumePath(clone.volumeId()).resolve("dir/file.txt")).hasContent("v2");
    d.deleteVolume(DeleteVolumeRequest.of(source.volumeId()));
    assertThat(d.volumePath(restored.volumeId()).resolve("dir/file.txt")).hasContent("v1");
  }

  @Test
  void blockVolumesAreLoopDeviceBackingFilesWhereTheHostAllowsAndRefusedSayingWhyElsewhere() throws IOException {
    HostPathDriver d = driver(config());
    VolumeCapability block = VolumeCapability.block(AccessMode.SINGLE_NODE_WRITER);
    Volume fs = d.createVolume(CreateVolumeRequest.of("pvc-fs", MIB, RWO)).volume();
    CsiException clone = catchThrowableOfType(CsiException.class, () -> d.createVolume(
        CreateVolumeRequest.of("pvc-clone", MIB, block).withContentSource(VolumeContentSource.volume(fs.volumeId()))));
    assertThat(clone.code()).isEqualTo(CsiCode.INVALID_ARGUMENT);
    java.util.Optional<String> why = BlockDevices.unavailable();
    if (why.isPresent()) {
      CsiException e = catchThrowableOfType(CsiException.class,
          () -> d.createVolume(CreateVolumeRequest.of("pvc-block", MIB, block)));
      assertThat(e.code()).isEqualTo(CsiCode.INVALID_ARGUMENT);
      assertThat(e.getMessage()).contains(why.get());
      assertThat(d.validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest.of(fs.volumeId(), List.of(block)))
          .confirmed()).isEmpty();
      return;
    }
    Volume v = d.createVolume(CreateVolumeRequest.of("pvc-block", MIB, block)).volume();
    Path backing = d.volumePath(v.volumeId()).resolve(BlockDevices.BACKING_FILE);
    assertThat(Files.size(backing)).isEqualTo(MIB);
    assertThat(d.validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest.of(v.volumeId(), List.of(block)))
        .confirmed()).isPresent();
    d.controllerPublishVolume(ControllerPublishVolumeRequest.of(v.volumeId(), "node-1", block));
    CsiException asMount = catchThrowableOfType(CsiException.class, () -> d.nodeStageVolume(
        NodeStageVolumeRequest.of(v.volumeId(), tmp.resolve("staging").toString(), RWO)));
    assertThat(asMount.code()).isEqualTo(CsiCode.INVALID_ARGUMENT);
    assertThat(asMount.getMessage()).contains("is a block volume and cannot be used with mount access");
  }

  @Test
  void capacityIsAccountedAndExhausted() {
    HostPathDriver d = driver(config().withCapacityBytes(100 * MIB));
    Volume a = d.createVolume(CreateVolumeRequest.of("a", 60 * MIB, RWO)).volume();
    assertThat(d.getCapacity(GetCapacityRequest.all()).availableCapacity()).isEqualTo(40 * MIB);
    CsiException e = catchThrowableOfType(CsiException.class, () -> d.createVolume(CreateVolumeRequest.of("b", 60 * MIB, RWO)));
    assertThat(e.code()).isEqualTo(CsiCode.RESOURCE_EXHAUSTED);
    CsiException tooBig = catchThrowableOfType(CsiException.class,
        () -> d.createVolume(CreateVolumeRequest.of("c", 200 * MIB, RWO)));
    assertThat(tooBig.code()).isEqualTo(CsiCode.OUT_OF_RANGE);
    d.deleteVolume(DeleteVolumeRequest.of(a.volumeId()));
    assertThat(d.getCapacity(GetCapacityRequest.all()).availableCapacity()).isEqualTo(100 * MIB);
  }

  @Test
  void volumesAreCreatedOnlyWhereTheTopologyAllows() {
    HostPathDriver d = driver(config());
    Topology elsewhere = Topology.of(HostPathDriver.TOPOLOGY_KEY, "node-2");
    Topology here = Topology.of(HostPathDriver.TOPOLOGY_KEY, "node-1");
    CsiException e = catchThrowableOfType(CsiException.class, () -> d.createVolume(CreateVolumeRequest.of("t1", MIB, RWO)
        .withAccessibilityRequirements(TopologyRequirement.of(List.of(elsewhere), List.of(elsewhere)))));
    assertThat(e.code()).isEqualTo(CsiCode.RESOURCE_EXHAUSTED);
    Volume v = d.createVolume(CreateVolumeRequest.of("t2", MIB, RWO)
        .withAccessibilityRequirements(TopologyRequirement.of(List.of(elsewhere, here), List.of()))).volume();
    assertThat(v.accessibleTopology()).containsExactly(here);
  }

  @Test
  void theAttachLimitIsEnforcedAndReportedToRegistration() {
    HostPathDriver d = driver(config().withMaxVolumesPerNode(1));
    Volume a = d.createVolume(CreateVolumeRequest.of("a", MIB, RWO)).volume();
    Volume b = d.createVolume(CreateVolumeRequest.of("b", MIB, RWO)).volume();
    d.controllerPublishVolume(ControllerPublishVolumeRequest.of(a.volumeId(), "node-1", RWO));
    CsiException e = catchThrowableOfType(CsiException.class,
        () -> d.controllerPublishVolume(ControllerPublishVolumeRequest.of(b.volumeId(), "node-1", RWO)));
    assertThat(e.code()).isEqualTo(CsiCode.RESOURCE_EXHAUSTED);

    CsiNodeRegistration reg = CsiNodeRegistration.register("node-1", d);
    assertThat(reg.driverName()).isEqualTo(HostPathDriver.DRIVER_NAME);
    assertThat(reg.nodeId()).isEqualTo("node-1");
    assertThat(reg.topologyKeys()).containsExactly(HostPathDriver.TOPOLOGY_KEY);
    assertThat(reg.allocatableCount()).contains(1);
  }

  @Test
  void theClientReconnectsWhenTheDriverProcessRestartsOnTheSameDataDir() throws Exception {
    CsiEndpoint socket = CsiEndpoint.unix(tmp.resolve("csi.sock"));
    try (GrpcCsiDriver client = GrpcCsiDriver.connect(socket.toString())) {
      CsiGrpcServer first = CsiGrpcServer.start(driver(config()), socket);
      Volume v = client.createVolume(CreateVolumeRequest.of("pvc-r", MIB, RWO)).volume();
      first.close();
      awaitTrue(() -> client.connectionsLost() >= 1);
      try (CsiGrpcServer second = CsiGrpcServer.start(driver(config()), socket)) {
        assertThat(client.createVolume(CreateVolumeRequest.of("pvc-r", MIB, RWO)).volume()).isEqualTo(v);
        assertThat(client.info().name()).isEqualTo(HostPathDriver.DRIVER_NAME);
      }
    }
  }

  @Test
  void parsesCommandLine() {
    assertThat(HostPathMain.parse(new String[] {"--endpoint", "unix:///x.sock", "--nodeid=n1", "--data-dir", "/d"}))
        .containsEntry("endpoint", "unix:///x.sock").containsEntry("nodeid", "n1").containsEntry("data-dir", "/d");
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> HostPathMain.parse(new String[] {"--bogus", "1"})))
        .isNotNull();
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
