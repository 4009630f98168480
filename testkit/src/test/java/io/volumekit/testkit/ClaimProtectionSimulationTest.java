package io.volumekit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.controller.Controller;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.PersistentVolumeClaim;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@code claim-protected-while-used} says what Kubernetes guarantees (docs/simulation.md): pvc-protection
 * leaves a deleted claim only when no pod uses it, and a pod that names the claim afterwards is
 * refused by the kubelet, so the claim may go (once its other finalizers are done) while such a pod
 * exists, never while a pod runs with its volume.
 */
class ClaimProtectionSimulationTest {

  private static final ImmutableList<String> RWO = ImmutableList.of(AccessModes.READ_WRITE_ONCE);

  /** A finalizer of the user's own (a backup tool's, say) that keeps a deleted claim after pvc-protection left. */
  private static final String HOLD = "example.com/hold";

  /** The user adds ({@code hold}) or removes {@link #HOLD} on a claim. */
  record Hold(String claim, boolean hold) implements Step {
    @Override
    public void run(Cluster c) {
      c.update(Step.claimKey(claim), o -> {
        PersistentVolumeClaim pvc = (PersistentVolumeClaim) o;
        return pvc.withMetadata(hold ? pvc.metadata().withFinalizer(HOLD) : pvc.metadata().withoutFinalizer(HOLD));
      });
    }

    @Override
    public String toString() {
      return (hold ? "add" : "remove") + " finalizer " + HOLD + " on claim " + claim;
    }
  }

  /**
   * A claim deleted with no pod loses pvc-protection and waits for {@link #HOLD}; a pod then placed
   * on a node names it; the user removes the hold and the claim goes.
   */
  private static final List<Step> POD_AFTER_RELEASE = List.of(
      new Step.CreateClass("fast", "Delete", "Immediate", true),
      new Step.AddNode("n0"),
      new Step.CreateClaim("c0", Optional.of("fast"), 1L << 30, RWO, ""),
      new Hold("c0", true),
      new Step.Settle(),
      new Step.DeleteClaim("c0"),
      new Step.Settle(),
      new Step.CreatePod("p0", "n0", ImmutableList.of("c0")),
      new Step.Settle(),
      new Hold("c0", false));

  private static SimulationResult run(UnaryOperator<List<Controller>> engine, List<Step> history) {
    Simulation sim = Simulation.builder().engine(engine).invariants(SimulationTest.invariants()).traceTailLines(100_000)
        .build();
    return sim.run(1, history);
  }

  /**
   * Seed 144 of snapshots, secrets and raw block volumes: claim c5, deleted with no pod, lost
   * pvc-protection and was held by a snapshot being cut; pod p0 placed on n0 named it, the kubelet
   * refused it, and the claim went when the snapshot was ready. The former invariant (no claim
   * removed while a scheduled, unfinished pod names it) reported it.
   */
  @Test
  void aClaimReleasedBeforeAPodNamedItMayGo() {
    Simulation sim = SimulationTest.simulation(
        HistoryGenerator.defaults().withSnapshots().withSecrets().withBlockVolumes(), ClaimProtectionSimulationTest.class);
    SimulationResult r = sim.run(144);
    assertThat(r.violation()).as(() -> sim.report(r, r)).isEmpty();
  }

  @Test
  void theKubeletRefusesAPodPlacedAfterTheRelease() {
    SimulationResult r = run(UnaryOperator.identity(), POD_AFTER_RELEASE);
    assertThat(r.violation()).isEmpty();
    assertThat(r.traceTail()).anyMatch(l -> l.contains("FailedMount") && l.contains("\"c0\" is being deleted"));
  }

  @Test
  void aKubeletStartingThatPodIsCaught() {
    SimulationResult r = run(BrokenEngines.kubeletIgnoringDeletedClaims(), POD_AFTER_RELEASE);
    assertThat(r.violation()).hasValueSatisfying(v -> {
      assertThat(v.invariant()).isEqualTo(Invariants.CLAIM_PROTECTED_WHILE_USED.name());
      assertThat(v.message()).contains("claim default/c0 was removed while", "pod p0 on node n0");
    });
  }

  @Test
  void aProtectionReleasingAClaimAPodUsesIsCaughtAtTheRelease() {
    SimulationResult r = run(BrokenEngines.protectionIgnoringPods(), List.of(
        new Step.CreateClass("fast", "Delete", "Immediate", true),
        new Step.AddNode("n0"),
        new Step.CreateClaim("c0", Optional.of("fast"), 1L << 30, RWO, ""),
        new Step.CreatePod("p0", "n0", ImmutableList.of("c0")),
        new Step.Settle(),
        new Hold("c0", true),
        new Step.DeleteClaim("c0")));
    assertThat(r.violation()).hasValueSatisfying(v -> assertThat(v.message())
        .contains("pvc-protection was released from claim default/c0 while pod p0 on node n0 uses it"));
  }

  @Test
  void aProtectionReleasingAPodsEphemeralClaimIsCaughtAtTheRelease() {
    SimulationResult r = run(BrokenEngines.protectionIgnoringPods(), List.of(
        new Step.CreateClass("fast", "Delete", "Immediate", true),
        new Step.AddNode("n0"),
        new Step.CreatePod("p0", "n0", ImmutableList.of(), "fast"),
        new Step.Settle(),
        new Step.DeleteClaim("p0-scratch")));
    assertThat(r.violation()).hasValueSatisfying(v -> assertThat(v.message())
        .contains("pvc-protection was released from claim default/p0-scratch while pod p0 on node n0 uses it"));
  }
}
