package io.volumekit.core.csi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.common.collect.ImmutableSortedSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    InMemoryCsiDriver d = new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults().withRejectOutOfOrderUnpublish(true));
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
    assertThat(d.orderingViolations()).containsExactly(new InMemoryCsiDriver.OrderingViolation(
        v.volumeId(), "node-1", Optional.of("/stage"), ImmutableSortedSet.of("/t"), true));
  }

  /** A driver that detaches out of order, as real attachable drivers do. */
  private static InMemoryCsiDriver lenient() {
    return new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults().withRejectOutOfOrderUnpublish(false));
  }

  @Test
  void byDefaultOutOfOrderUnpublishIsRefused() {
    InMemoryCsiDriver d = new InMemoryCsiDriver();
    assertThat(d.config().rejectOutOfOrderUnpublish()).isTrue();
    Volume v = inUseOnNode1(d);
    assertThat(codeOf(() -> d.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(v.volumeId(), "node-1"))))
        .isEqualTo(CsiCode.FAILED_PRECONDITION);
    assertThat(d.orderingViolations()).singleElement().satisfies(o -> assertThat(o.rejected()).isTrue());
  }

  /** Node-1 has the volume staged and published at two targets; returns the volume. */
  private static Volume inUseOnNode1(InMemoryCsiDriver node1) {
    Volume v = node1.createVolume(CreateVolumeRequest.of("v", MIB, RWX)).volume();
    node1.controllerPublishVolume(ControllerPublishVolumeRequest.of(v.volumeId(), "node-1", RWX));
    node1.nodeStageVolume(NodeStageVolumeRequest.of(v.volumeId(), "/stage", RWX));
    node1.nodePublishVolume(NodePublishVolumeRequest.of(v.volumeId(), "/stage", "/t2", RWX, false));
    node1.nodePublishVolume(NodePublishVolumeRequest.of(v.volumeId(), "/stage", "/t1", RWX, false));
    return v;
  }

  private static Set<String> attachedNodes(InMemoryCsiDriver d, String volumeId) {
    return Set.copyOf(d.controllerGetVolume(new ControllerGetVolumeRequest(volumeId)).status().publishedNodeIds());
  }

  @Test
  void forcedUnpublishIsAcceptedRecordedAndDropsTheNodesStageAndPublications() {
    InMemoryCsiDriver node1 = lenient();
    InMemoryCsiDriver node2 = node1.forNode("node-2");
    Volume v = inUseOnNode1(node1);
    String id = v.volumeId();

    // node-1 is shut down: the CO force-detaches without NodeUnpublish/NodeUnstage.
    node2.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(id, "node-1"));

    assertThat(node1.orderingViolations()).as("seen from every node's view").isEqualTo(node2.orderingViolations())
        .containsExactly(new InMemoryCsiDriver.OrderingViolation(
            id, "node-1", Optional.of("/stage"), ImmutableSortedSet.of("/t1", "/t2"), false));
    assertThat(node1.orderingViolations().get(0).describe())
        .isEqualTo(id + " on node-1: staged at /stage, published at [/t1, /t2] (detached)");
    assertThat(attachedNodes(node1, id)).isEmpty();
    // The detached disk is no longer usable on node-1: its stage and publications are gone.
    assertThat(codeOf(() -> node1.nodeGetVolumeStats(new NodeGetVolumeStatsRequest(id, "/t1", ""))))
        .isEqualTo(CsiCode.NOT_FOUND);
    assertThat(codeOf(() -> node1.nodeGetVolumeStats(new NodeGetVolumeStatsRequest(id, "/stage", ""))))
        .isEqualTo(CsiCode.NOT_FOUND);
    assertThat(codeOf(() -> node1.nodePublishVolume(NodePublishVolumeRequest.of(id, "/stage", "/t3", RWX, false))))
        .as("publish needs a stage again").isEqualTo(CsiCode.FAILED_PRECONDITION);
    assertThat(codeOf(() -> node1.nodeStageVolume(NodeStageVolumeRequest.of(id, "/stage", RWX))))
        .as("stage needs an attachment again").isEqualTo(CsiCode.FAILED_PRECONDITION);

    // The volume moves to node-2 ...
    node2.controllerPublishVolume(ControllerPublishVolumeRequest.of(id, "node-2", RWX));
    node2.nodeStageVolume(NodeStageVolumeRequest.of(id, "/stage", RWX));
    node2.nodePublishVolume(NodePublishVolumeRequest.of(id, "/stage", "/t1", RWX, false));
    // ... and node-1 comes back: its kubelet cleans up what the force-deleted pods left, idempotently.
    node1.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(id, "/t1"));
    node1.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(id, "/t2"));
    node1.nodeUnstageVolume(new NodeUnstageVolumeRequest(id, "/stage"));
    node1.nodeUnstageVolume(new NodeUnstageVolumeRequest(id, "/stage"));
    assertThat(node2.nodeGetVolumeStats(new NodeGetVolumeStatsRequest(id, "/t1", "")).usage())
        .as("node-2's publication is untouched").isNotEmpty();
    assertThat(attachedNodes(node1, id)).containsExactly("node-2");

    // In-order teardown on node-2 is not a violation.
    node2.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(id, "/t1"));
    node2.nodeUnstageVolume(new NodeUnstageVolumeRequest(id, "/stage"));
    node2.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(id, "node-2"));
    node2.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(id, "node-2"));
    node1.deleteVolume(DeleteVolumeRequest.of(id));
    assertThat(node1.orderingViolations()).hasSize(1);
  }

  @Test
  void strictModeRefusesOutOfOrderUnpublishAndKeepsEverything() {
    InMemoryCsiDriver node1 = new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults().withRejectOutOfOrderUnpublish(true));
    Volume v = inUseOnNode1(node1);
    String id = v.volumeId();
    CsiException e = catchThrowableOfType(CsiException.class,
        () -> node1.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(id, "node-1")));
    assertThat(e.code()).isEqualTo(CsiCode.FAILED_PRECONDITION);
    assertThat(e.getMessage()).contains("node-1");
    assertThat(node1.orderingViolations()).containsExactly(new InMemoryCsiDriver.OrderingViolation(
        id, "node-1", Optional.of("/stage"), ImmutableSortedSet.of("/t1", "/t2"), true));
    assertThat(node1.orderingViolations().get(0).describe()).endsWith("(refused)");
    assertThat(attachedNodes(node1, id)).containsExactly("node-1");
    assertThat(node1.nodeGetVolumeStats(new NodeGetVolumeStatsRequest(id, "/t2", "")).usage()).isNotEmpty();
    assertThat(codeOf(() -> node1.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(id, ""))))
        .as("also for every node at once").isEqualTo(CsiCode.FAILED_PRECONDITION);
    assertThat(node1.orderingViolations()).as("each refused attempt is recorded").hasSize(2);

    node1.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(id, "/t1"));
    node1.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(id, "/t2"));
    node1.nodeUnstageVolume(new NodeUnstageVolumeRequest(id, "/stage"));
    node1.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(id, "node-1"));
    assertThat(attachedNodes(node1, id)).isEmpty();
    assertThat(node1.orderingViolations()).hasSize(2);
  }

  @Test
  void unpublishFromEveryNodeDropsEachNodesRecordsAndRecordsOneViolationPerNode() {
    InMemoryCsiDriver node1 = lenient();
    InMemoryCsiDriver node2 = node1.forNode("node-2");
    node1.forNode("node-3");
    Volume v = inUseOnNode1(node1);
    String id = v.volumeId();
    node1.controllerPublishVolume(ControllerPublishVolumeRequest.of(id, "node-2", RWX));
    node2.nodeStageVolume(NodeStageVolumeRequest.of(id, "/s2", RWX));
    node1.controllerPublishVolume(ControllerPublishVolumeRequest.of(id, "node-3", RWX)); // attached, not staged

    node1.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(id, ""));

    assertThat(node1.orderingViolations()).extracting(InMemoryCsiDriver.OrderingViolation::describe)
        .containsExactlyInAnyOrder(id + " on node-1: staged at /stage, published at [/t1, /t2] (detached)",
            id + " on node-2: staged at /s2 (detached)");
    assertThat(attachedNodes(node1, id)).isEmpty();
    assertThat(codeOf(() -> node2.nodeGetVolumeStats(new NodeGetVolumeStatsRequest(id, "/s2", ""))))
        .isEqualTo(CsiCode.NOT_FOUND);
    node2.nodeUnstageVolume(new NodeUnstageVolumeRequest(id, "/s2"));
    node1.deleteVolume(DeleteVolumeRequest.of(id));
  }

  @Test
  void unpublishFromANodeTheVolumeIsNotAttachedToIsNoViolation() {
    InMemoryCsiDriver node1 = lenient();
    node1.forNode("node-2");
    Volume v = inUseOnNode1(node1);
    node1.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(v.volumeId(), "node-2"));
    assertThat(node1.orderingViolations()).isEmpty();
    assertThat(attachedNodes(node1, v.volumeId())).containsExactly("node-1");
    assertThat(node1.nodeGetVolumeStats(new NodeGetVolumeStatsRequest(v.volumeId(), "/t1", "")).usage()).isNotEmpty();
  }

  private static boolean at(InMemoryCsiDriver view, String id, String path) {
    try {
      view.nodeGetVolumeStats(new NodeGetVolumeStatsRequest(id, path, ""));
      return true;
    } catch (CsiException e) {
      return false;
    }
  }

  /**
   * Random node and controller calls, in and out of order, over two volumes and three nodes
   * (lenient driver): a volume is only ever staged or published on a node it is attached
   * to, and exactly the ControllerUnpublish calls that found the volume staged or published on
   * their node are recorded, with what was there.
   */
  @Test
  void nothingIsUsableOnADetachedNodeAndEveryOutOfOrderDetachIsRecorded() {
    java.util.concurrent.atomic.AtomicInteger recorded = new java.util.concurrent.atomic.AtomicInteger();
    qt().withExamples(200).forAll(lists().of(integers().between(0, 6 * 2 * 3 - 1)).ofSizeBetween(1, 60)).check(ops -> {
      InMemoryCsiDriver d = lenient();
      List<InMemoryCsiDriver> nodes = List.of(d, d.forNode("node-2"), d.forNode("node-3"));
      List<String> ids = List.of(d.createVolume(CreateVolumeRequest.of("a", MIB, RWX)).volume().volumeId(),
          d.createVolume(CreateVolumeRequest.of("b", MIB, RWX)).volume().volumeId());
      List<InMemoryCsiDriver.OrderingViolation> expected = new ArrayList<>();
      for (int op : ops) {
        String id = ids.get(op / 6 % 2);
        InMemoryCsiDriver n = nodes.get(op / 12 % 3);
        boolean staged = at(n, id, "/stage");
        boolean published = at(n, id, "/t");
        try {
          switch (op % 6) {
            case 0 -> d.controllerPublishVolume(ControllerPublishVolumeRequest.of(id, n.nodeId(), RWX));
            case 1 -> n.nodeStageVolume(NodeStageVolumeRequest.of(id, "/stage", RWX));
            case 2 -> n.nodePublishVolume(NodePublishVolumeRequest.of(id, "/stage", "/t", RWX, false));
            case 3 -> n.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(id, "/t"));
            case 4 -> n.nodeUnstageVolume(new NodeUnstageVolumeRequest(id, "/stage"));
            default -> {
              d.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(id, n.nodeId()));
              if (staged || published) {
                expected.add(new InMemoryCsiDriver.OrderingViolation(id, n.nodeId(),
                    staged ? Optional.of("/stage") : Optional.empty(),
                    published ? ImmutableSortedSet.of("/t") : ImmutableSortedSet.of(), false));
              }
            }
          }
        } catch (CsiException e) {
          if (e.code() != CsiCode.FAILED_PRECONDITION) {
            return false;
          }
        }
        for (String v : ids) {
          Set<String> attached = attachedNodes(d, v);
          for (InMemoryCsiDriver node : nodes) {
            if ((at(node, v, "/stage") || at(node, v, "/t")) && !attached.contains(node.nodeId())) {
              return false;
            }
          }
        }
        if (!d.orderingViolations().equals(expected)) {
          return false;
        }
      }
      recorded.addAndGet(expected.size());
      return true;
    });
    assertThat(recorded.get()).as("the generator reaches out-of-order detaches").isPositive();
  }

  @Test
  void orderingViolationNormalizesAndIsImmutable() {
    InMemoryCsiDriver.OrderingViolation o = new InMemoryCsiDriver.OrderingViolation("v", "n", null, null, false);
    assertThat(o.stagingTargetPath()).isEmpty();
    assertThat(o.targetPaths()).isEmpty();
    InMemoryCsiDriver d = new InMemoryCsiDriver();
    assertThat(d.orderingViolations()).isInstanceOf(com.google.common.collect.ImmutableList.class);
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
