package io.volumekit.core.runtime;

import static io.volumekit.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.provisioning.ProvisioningController;
import io.volumekit.model.core.PersistentVolumeClaim;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runtime: effects in flight, asynchronous outcomes, backoff. */
class RuntimeTest {

  @Test
  void neverStartsAnEffectTwiceWhileItIsInFlight() {
    ArrayDeque<Runnable> pending = new ArrayDeque<>();
    List<String> trace = new ArrayList<>();
    VolumeKit kit = VolumeKit.builder().clock(new ManualClock()).seed(3).executor(pending::add)
        .driver(DRIVER, new InMemoryCsiDriver()).trace(trace::add).build();
    kit.apply(sc("fast"));
    kit.apply(withClass(pvc("c1", "1Gi"), "fast"));
    kit.runtime().runUntilIdle();
    assertThat(pending).hasSize(1);
    Operation op = kit.state().operation(ProvisioningController.provisionId(pvcKey("c1"))).orElseThrow();
    assertThat(op.inFlight()).isTrue();
    // More reasons to reconcile the claim while CreateVolume runs: no second call.
    PersistentVolumeClaim c = kit.get(PersistentVolumeClaim.class, NS, "c1").orElseThrow();
    kit.apply(c.withMetadata(c.metadata().withLabels(com.google.common.collect.ImmutableMap.of("touched", "1"))));
    kit.runtime().runUntilIdle();
    assertThat(pending).hasSize(1);
    assertThat(trace).filteredOn(l -> l.contains("effect start")).hasSize(1);
    // The call completes on "another thread"; its outcome is fed back.
    pending.poll().run();
    SettleResult r = kit.settle(Duration.ZERO);
    assertThat(r.quiescent()).isTrue();
    assertThat(kit.get(PersistentVolumeClaim.class, NS, "c1").orElseThrow().phase()).isEqualTo("Bound");
    assertThat(kit.state().operations()).isEmpty();
  }

  @Test
  void backoffStartsAtHalfASecondAndDoublesToTheCap() {
    assertThat(Backoff.delay(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(Backoff.delay(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Backoff.delay(3)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Backoff.delay(8)).isEqualTo(Duration.ofSeconds(64));
    assertThat(Backoff.delay(9)).isEqualTo(Duration.ofSeconds(122));
    assertThat(Backoff.delay(50)).isEqualTo(Duration.ofSeconds(122));
    assertThat(Backoff.delay(1, false)).isEqualTo(Duration.ofSeconds(122));
  }

  @Test
  void settleReportsRetriesBeyondTheHorizon() {
    io.volumekit.core.Scenario s = io.volumekit.core.Scenario.withFaults();
    for (int i = 0; i < 40; i++) {
      s.faults.createFailures.add(io.volumekit.core.csi.CsiCode.INTERNAL);
    }
    s.apply(sc("fast"), withClass(pvc("c1", "1Gi"), "fast"));
    SettleResult r = s.kit.settle(Duration.ofSeconds(10));
    assertThat(r.quiescent()).isFalse();
    assertThat(r.pendingTimers()).isEqualTo(1);
    assertThat(r.elapsed()).isLessThanOrEqualTo(Duration.ofSeconds(10));
    s.assertPending("c1");
  }

  @Test
  void watchesSeeTheOperationsADecisionForgetsGoneWithItsWrites() {
    // The provisioner's decision after CreateVolume: create the PV, forget the operation. A watch
    // shown the PV's creation sees the state after the whole decision, the operation included.
    List<Boolean> operationSeen = new ArrayList<>();
    io.volumekit.core.controller.Controller observer = new io.volumekit.core.controller.Controller() {
      @Override
      public String name() {
        return "observer";
      }

      @Override
      public io.volumekit.core.controller.WatchedKinds watches() {
        return io.volumekit.core.controller.WatchedKinds.of(io.volumekit.model.core.PersistentVolume.KIND);
      }

      @Override
      public void watch(io.volumekit.core.state.ClusterState state, io.volumekit.core.key.Change change,
          java.util.function.Consumer<io.volumekit.core.key.ObjectKey> enqueue) {
        if (change.type() == io.volumekit.core.key.Change.Type.ADDED) {
          operationSeen.add(state.operation(ProvisioningController.provisionId(pvcKey("c1"))).isPresent());
        }
      }

      @Override
      public io.volumekit.core.controller.Decision reconcile(io.volumekit.core.state.ClusterState state,
          io.volumekit.core.key.ObjectKey key) {
        return io.volumekit.core.controller.Decision.none();
      }
    };
    VolumeKit kit = VolumeKit.builder().deterministic(1).driver(DRIVER, new InMemoryCsiDriver()).controller(observer)
        .build();
    kit.apply(sc("fast"));
    kit.apply(withClass(pvc("c1", "1Gi"), "fast"));
    kit.settle();
    assertThat(kit.get(PersistentVolumeClaim.class, NS, "c1").orElseThrow().phase()).isEqualTo("Bound");
    assertThat(operationSeen).containsExactly(false);
    assertThat(kit.state().operations()).isEmpty();
  }
}
