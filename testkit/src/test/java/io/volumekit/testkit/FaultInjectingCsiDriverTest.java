package io.volumekit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.ControllerPublishVolumeRequest;
import io.volumekit.core.csi.ControllerUnpublishVolumeRequest;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.csi.NodeUnstageVolumeRequest;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.runtime.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaultInjectingCsiDriverTest {

  private final ManualClock clock = new ManualClock();

  private FaultInjectingCsiDriver driver(long seed, FaultPlan plan) {
    return new FaultInjectingCsiDriver(new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults().withClock(clock)),
        seed, plan, Optional.of(clock));
  }

  private static CreateVolumeRequest create(String name) {
    return CreateVolumeRequest.of(name, 1L << 30, VolumeCapability.mount("ext4", AccessMode.SINGLE_NODE_WRITER));
  }

  private static FaultPlan only(double transientRate, double finalRate, double after, double before) {
    return new FaultPlan(transientRate, finalRate, after, before, 0, Duration.ZERO);
  }

  /** Calls CreateVolume until it succeeds, returning the codes seen before. */
  private static List<CsiCode> createUntilOk(FaultInjectingCsiDriver d, String name, int max) {
    List<CsiCode> codes = new ArrayList<>();
    for (int i = 0; i < max; i++) {
      try {
        d.createVolume(create(name));
        return codes;
      } catch (CsiException e) {
        codes.add(e.code());
      }
    }
    throw new AssertionError("no success in " + max + " calls: " + codes);
  }

  @Test
  void withoutFaultsEveryCallReachesTheDriver() {
    FaultInjectingCsiDriver d = driver(1, FaultPlan.none());
    String id = d.createVolume(create("a")).volume().volumeId();
    assertThat(d.backingVolumes()).containsExactly(id);
    assertThat(d.createdVolumes()).containsEntry(id, "a");
    d.deleteVolume(new DeleteVolumeRequest(id, null));
    assertThat(d.backingVolumes()).isEmpty();
    assertThat(d.deletedVolumes()).containsExactly(id);
    assertThat(d.injectedFaults()).isZero();
  }

  @Test
  void aTimeoutAfterTheWorkLeavesTheVolumeCreated() {
    FaultInjectingCsiDriver d = driver(1, only(0, 0, 1, 0));
    assertThatThrownBy(() -> d.createVolume(create("a")))
        .isInstanceOfSatisfying(CsiException.class, e -> assertThat(e.code()).isEqualTo(CsiCode.DEADLINE_EXCEEDED));
    assertThat(d.backingVolumes()).hasSize(1);
    d.quiet();
    // The repeat finds the same volume (idempotent by name).
    assertThat(d.createVolume(create("a")).volume().volumeId()).isEqualTo(d.backingVolumes().iterator().next());
  }

  @Test
  void workKeptInProgressCompletesBeforeTheNextCallForTheSameVolumeOnly() {
    // Find a seed whose first call keeps the work in progress (timeout before the work, kept).
    for (long seed = 1; seed < 100; seed++) {
      FaultInjectingCsiDriver d = driver(seed, only(0, 0, 0, 1));
      assertThatThrownBy(() -> d.createVolume(create("a"))).isInstanceOf(CsiException.class);
      if (d.inProgressCount() == 0) {
        assertThat(d.backingVolumes()).isEmpty(); // the work was lost
        continue;
      }
      assertThat(d.backingVolumes()).isEmpty();
      d.quiet();
      d.createVolume(create("b")); // another volume: the pending work stays pending
      assertThat(d.inProgressCount()).isEqualTo(1);
      d.createVolume(create("a")); // same volume: the pending work completes first
      assertThat(d.inProgressCount()).isZero();
      assertThat(d.backingVolumes()).hasSize(2);
      return;
    }
    throw new AssertionError("no seed kept work in progress");
  }

  @Test
  void noFinalErrorIsInjectedWhileTheCallerMayNotKnowWhatHappened() {
    for (long seed = 1; seed < 200; seed++) {
      FaultInjectingCsiDriver d = driver(seed, only(0.2, 0.4, 0.2, 0.2));
      boolean told = false; // whether the caller saw a success since the volume exists
      for (int i = 0; i < 20; i++) {
        boolean workDoneUnheard = (!d.backingVolumes().isEmpty() && !told) || d.inProgressCount() > 0;
        try {
          d.createVolume(create("a"));
          told = true;
        } catch (CsiException e) {
          if (workDoneUnheard) {
            assertThat(e.code().mayBeInProgress()).as("seed %d call %d: %s", seed, i, e.code()).isTrue();
          }
        }
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameFaultsAndOtherVolumesDoNotDisturbThem() {
    FaultPlan plan = only(0.2, 0.1, 0.1, 0.1);
    FaultInjectingCsiDriver a = driver(7, plan);
    FaultInjectingCsiDriver b = driver(7, plan);
    List<CsiCode> first = createUntilOk(a, "x", 50);
    createUntilOk(b, "unrelated", 50);
    assertThat(createUntilOk(b, "x", 50)).isEqualTo(first);
  }

  @Test
  void aRestartRefusesCallsWhileDownAndKeepsOrLosesInFlightWork() {
    FaultInjectingCsiDriver d = driver(1, FaultPlan.none());
    d.restart(true, Duration.ofSeconds(5));
    assertThatThrownBy(() -> d.createVolume(create("a")))
        .isInstanceOfSatisfying(CsiException.class, e -> assertThat(e.code()).isEqualTo(CsiCode.UNAVAILABLE));
    clock.advance(Duration.ofSeconds(5));
    d.createVolume(create("a"));
    assertThat(d.backingVolumes()).hasSize(1);

    for (boolean keep : new boolean[] {true, false}) {
      for (long seed = 1; seed < 100; seed++) {
        FaultInjectingCsiDriver e = driver(seed, only(0, 0, 0, 1));
        assertThatThrownBy(() -> e.createVolume(create("v"))).isInstanceOf(CsiException.class);
        if (e.inProgressCount() == 1) {
          e.restart(keep, Duration.ZERO);
          assertThat(e.inProgressCount()).isZero();
          assertThat(e.backingVolumes()).hasSize(keep ? 1 : 0);
          break;
        }
      }
    }
  }

  @Test
  void aLostNodeAnswersNothingAndADestroyedNodeLosesItsMounts() {
    FaultInjectingCsiDriver d = driver(1, FaultPlan.none());
    String id = d.createVolume(create("a")).volume().volumeId();
    FaultInjectingCsiDriver n1 = d.forNode("n1");
    d.controllerPublishVolume(ControllerPublishVolumeRequest.of(id, "n1",
        VolumeCapability.mount("ext4", AccessMode.SINGLE_NODE_WRITER)));
    n1.nodeStageVolume(NodeStageVolumeRequest.of(id, "/stage", VolumeCapability.mount("ext4", AccessMode.SINGLE_NODE_WRITER)));
    assertThat(d.nodeStages()).containsEntry(id, com.google.common.collect.ImmutableSet.of("n1"));
    assertThat(d.controllerPublications()).containsEntry(id, com.google.common.collect.ImmutableSet.of("n1"));

    d.nodeReachable("n1", false);
    assertThatThrownBy(() -> n1.nodeUnstageVolume(new NodeUnstageVolumeRequest(id, "/stage")))
        .isInstanceOfSatisfying(CsiException.class, e -> assertThat(e.code()).isEqualTo(CsiCode.UNAVAILABLE));
    // The driver refuses to detach while the volume is staged on the node.
    assertThatThrownBy(() -> d.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(id, "n1")))
        .isInstanceOfSatisfying(CsiException.class, e -> assertThat(e.code()).isEqualTo(CsiCode.FAILED_PRECONDITION));

    d.destroyNode("n1");
    assertThat(d.nodeStages()).isEmpty();
    d.controllerUnpublishVolume(ControllerUnpublishVolumeRequest.of(id, "n1"));
    assertThat(d.controllerPublications()).isEmpty();
    d.quiet();
    assertThatThrownBy(() -> n1.nodeUnstageVolume(new NodeUnstageVolumeRequest(id, "/stage")))
        .as("a destroyed machine stays down when faults stop").isInstanceOf(CsiException.class);
    d.nodeReachable("n1", true);
    n1.nodeUnstageVolume(new NodeUnstageVolumeRequest(id, "/stage")); // idempotent: nothing staged
  }

  @Test
  void aSlowCallMovesTheClock() {
    FaultInjectingCsiDriver d = driver(1, new FaultPlan(0, 0, 0, 0, 1.0, Duration.ofSeconds(10)));
    var before = clock.instant();
    d.createVolume(create("a"));
    assertThat(clock.instant()).isAfter(before);
    assertThat(Duration.between(before, clock.instant())).isLessThanOrEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aPlanRejectsRatesOutOfRange() {
    assertThatThrownBy(() -> only(0.6, 0.6, 0, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 1");
    assertThatThrownBy(() -> only(-0.1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("transientErrorRate");
  }
}
