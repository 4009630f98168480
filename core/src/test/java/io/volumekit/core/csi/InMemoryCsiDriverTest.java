package io.volumekit.core.csi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryCsiDriverTest {
  private static final long MIB = 1L << 20;
  private static final VolumeCapability RWO = VolumeCapability.mount("", AccessMode.SINGLE_NODE_WRITER);
  private static final VolumeCapability RWX = VolumeCapability.mount("", AccessMode.MULTI_NODE_MULTI_WRITER);

  private static CsiCode codeOf(Runnable call) {
    CsiException e = catchThrowableOfType(CsiException.class, call::run);
    assertThat(e).as("expected a CsiException").isNotNull();
    return e.code();
  }

  @Test
  void singleNodeVolumeCannotBePublishedToASecondNode() {
    InMemoryCsiDriver node1 = new InMemoryCsiDriver();
    InMemoryCsiDriver node2 = node1.forNode("node-2");
    Volume v = node1.createVolume(CreateVolumeRequest.of("v", MIB, RWO)).volume();
    node1.controllerPublishVolume(ControllerPublishVolumeRequest.of(v.volumeId(), "node-1", RWO));
    CsiException e = catchThrowableOfType(CsiException.class,
        () -> node2.controllerPublishVolume(ControllerPublishVolumeRequest.of(v.volumeId(), "node-2", RWO)));
    assertThat(e.code()).isEqualTo(CsiCode.FAILED_PRECONDITION);
    assertThat(e.getMessage()).contains("node-1");
  }

  @Test
  void multiNodeVolumeIsPublishedToSeveralNodes() {
    InMemoryCsiDriver node1 = new InMemoryCsiDriver();
    node1.forNode("node-2");
    Volume v = node1.createVolume(CreateVolumeRequest.of("v", MIB, RWX)).volume();
    node1.controllerPublishVolume(ControllerPublishVolumeRequest.of(v.volumeId(), "node-1", RWX));
    node1.controllerPublishVolume(ControllerPublishVolumeRequest.of(v.volumeId(), "node-2", RWX));
    assertThat(node1.controllerGetVolume(new ControllerGetVolumeRequest(v.volumeId())).status().publishedNodeIds())
        .containsExactly("node-1", "node-2");
  }

  @Test
  void attachLimitIsResourceExhausted() {
    InMemoryCsiDriver d = new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults().withMaxVolumesPerNode(1));
    Volume a = d.createVolume(CreateVolumeRequest.of("a", MIB, RWO)).volume();
    Volume b = d.createVolume(CreateVolumeRequest.of("b", MIB, RWO)).volume();
    d.controllerPublishVolume(ControllerPublishVolumeRequest.of(a.volumeId(), "node-1", RWO));
    assertThat(codeOf(() -> d.controllerPublishVolume(ControllerPublishVolumeRequest.of(b.volumeId(), "node-1", RWO))))
        .isEqualTo(CsiCode.RESOURCE_EXHAUSTED);
    assertThat(d.nodeGetInfo().maxVolumesPerNode()).isEqualTo(1);
  }

  @Test
  void lifecycleOrderIsEnforced() {
    InMemoryCsiDriver d = new InMemoryCsiDriver();
    Volume v = d.createVolume(CreateVolumeRequest.of("v", MIB, RWO)).volume();
    assertThat(codeOf(() -> d.nodeStageVolume(NodeStageVolumeRequest.of(v.volumeId(), "/stage", RWO))))
        .as("stage before controller publish").isEqualTo(CsiCode.FAILED_PRECONDITION);
    d.controllerPublishVolume(ControllerPublishVolumeRequest.of(v.volumeId(), "node-1", RWO));
    assertThat(codeOf(() -> d.nodePublishVolume(NodePublishVolumeRequest.of(v.volumeId(), "/stage", "/t", RWO, false))))
        .as("publish before stage").isEqualTo(CsiCode.FAILED_PRECONDITION);
    d.nodeStageVolume(NodeStageVolumeRequest.of(v.volumeId(), "/stage", RWO));
    assertThat(codeOf(() -> d.nodeStageVolume(NodeStageVolumeRequest.of(v.volumeId(), "/other", RWO))))
        .as("second staging path").isEqualTo(CsiCode.FAILED_PRECONDITION);
    assertThat(codeOf(() -> d.nodeStageVolume(NodeStageVolumeRequest.of(v.volumeId(), "/stage",
        VolumeCapability.mount("xfs", AccessMode.SINGLE_NODE_WRITER)))))
        .as("same path, other capability").isEqualTo(CsiCode.ALREADY_EXISTS);
    d.nodePublishVolume(NodePublishVolumeRequest.of(v.volumeId(), "/stage", "/t", RWO, false));
    assertThat(codeOf(() -> d.nodeUnstageVolume(new NodeUnstageVolumeRequest(v.volumeId(), "/stage"))))
        .as("unstage while published").isEqualTo(CsiCode.FAILED_PRECONDITION);
    assertThat(codeOf(() -> d.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(v.volumeId(), "node-1"))))
        .as("detach while mounted").isEqualTo(CsiCode.FAILED_PRECONDITION);
    assertThat(codeOf(() -> d.deleteVolume(DeleteVolumeRequest.of(v.volumeId()))))
        .as("delete while in use").isEqualTo(CsiCode.FAILED_PRECONDITION);
    d.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(v.volumeId(), "/t"));
    d.nodeUnstageVolume(new NodeUnstageVolumeRequest(v.volumeId(), "/stage"));
    d.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(v.volumeId(), "node-1"));
    d.deleteVolume(DeleteVolumeRequest.of(v.volumeId()));
  }

  @Test
  void topologyPlacesVolumesOnARequestedKnownNode() {
    InMemoryCsiDriver d = new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults().withTopology(true));
    d.forNode("node-2");
    Topology n2 = Topology.of(InMemoryCsiDriver.TOPOLOGY_KEY, "node-2");
    Topology n9 = Topology.of(InMemoryCsiDriver.TOPOLOGY_KEY, "node-9");
    Volume v = d.createVolume(CreateVolumeRequest.of("v", MIB, RWO)
        .withAccessibilityRequirements(TopologyRequirement.of(List.of(n9, n2), List.of()))).volume();
    assertThat(v.accessibleTopology()).containsExactly(n2);
    assertThat(codeOf(() -> d.controllerPublishVolume(ControllerPublishVolumeRequest.of(v.volumeId(), "node-1", RWO))))
        .isEqualTo(CsiCode.FAILED_PRECONDITION);
    assertThat(codeOf(() -> d.createVolume(CreateVolumeRequest.of("w", MIB, RWO)
        .withAccessibilityRequirements(TopologyRequirement.of(List.of(n9), List.of())))))
        .isEqualTo(CsiCode.RESOURCE_EXHAUSTED);
  }

  @Test
  void snapshotsAreStampedByTheInjectedClock() {
    Instant t = Instant.parse("2026-01-02T03:04:05Z");
    InMemoryCsiDriver d = new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults()
        .withClock(Clock.fixed(t, ZoneOffset.UTC)));
    Volume v = d.createVolume(CreateVolumeRequest.of("v", MIB, RWO)).volume();
    assertThat(d.createSnapshot(CreateSnapshotRequest.of(v.volumeId(), "s")).snapshot().creationTime()).contains(t);
  }

  @Test
  void concurrentCreatesWithOneNameMakeOneVolume() throws Exception {
    InMemoryCsiDriver d = new InMemoryCsiDriver();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    Set<String> ids = ConcurrentHashMap.newKeySet();
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      futures.add(pool.submit(() -> {
        start.await();
        ids.add(d.createVolume(CreateVolumeRequest.of("same", MIB, RWO)).volume().volumeId());
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    assertThat(ids).hasSize(1);
    assertThat(d.listVolumes(ListVolumesRequest.firstPage(0)).entries()).hasSize(1);
  }

  /**
   * Random sequences of ControllerPublish/Unpublish, CreateVolume and DeleteVolume over three nodes:
   * a ReadWriteOnce volume is never published to two nodes, and used plus available capacity is the
   * pool size.
   */
  @Test
  void noVolumeIsPublishedOnTwoNodesForReadWriteOnceAndCapacityIsConserved() {
    qt().withExamples(200).forAll(lists().of(integers().between(0, 4 * 3 * 4 - 1)).ofSizeBetween(1, 40)).check(ops -> {
      long pool = 10 * MIB;
      InMemoryCsiDriver d = new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults().withCapacityBytes(pool));
      d.forNode("node-2");
      d.forNode("node-3");
      for (int op : ops) {
        int kind = op % 4;
        String name = "v" + (op / 4 % 4);
        String node = "node-" + (op / 16 % 3 + 1);
        try {
          String id = d.createVolume(CreateVolumeRequest.of(name, 3 * MIB, RWO)).volume().volumeId();
          switch (kind) {
            case 0 -> { }
            case 1 -> d.controllerPublishVolume(ControllerPublishVolumeRequest.of(id, node, RWO));
            case 2 -> d.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(id, node));
            default -> d.deleteVolume(DeleteVolumeRequest.of(id));
          }
        } catch (CsiException e) {
          if (e.code() != CsiCode.FAILED_PRECONDITION && e.code() != CsiCode.RESOURCE_EXHAUSTED) {
            return false;
          }
        }
        long sum = 0;
        for (ListVolumesResponse.Entry entry : d.listVolumes(ListVolumesRequest.firstPage(0)).entries()) {
          if (entry.status().orElseThrow().publishedNodeIds().size() > 1) {
            return false;
          }
          sum += entry.volume().capacityBytes();
        }
        if (sum + d.getCapacity(GetCapacityRequest.all()).availableCapacity() != pool) {
          return false;
        }
      }
      return true;
    });
  }
}
