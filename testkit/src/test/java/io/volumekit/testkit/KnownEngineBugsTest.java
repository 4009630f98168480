package io.volumekit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import io.volumekit.model.core.AccessModes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Engine bugs the simulator found, as minimal histories (shrunk from the seeds named below) run
 * with every invariant and no exception. A new one is disabled until the engine is fixed, with a
 * matching {@code ignoring(...)} in {@link SimulationTest#invariants()}; once fixed, both go and
 * the history stays here as a regression test. All four below are fixed.
 */
class KnownEngineBugsTest {

  private static final ImmutableList<String> RWO = ImmutableList.of(AccessModes.READ_WRITE_ONCE);
  private static final ImmutableList<String> RWO_ROX =
      ImmutableList.of(AccessModes.READ_WRITE_ONCE, AccessModes.READ_ONLY_MANY);

  private static void assertNoViolation(long seed, List<Step> history) {
    Simulation sim = Simulation.builder().build();
    SimulationResult r = sim.run(seed, history);
    assertThat(r.violation()).as(() -> sim.report(r, r)).isEmpty();
  }

  /**
   * Fixed (binding): a claim pre-bound to a PV that does not exist stays Pending and now gets one
   * FailedBinding event; Kubernetes only logs it, but volumekit explains every Pending object (seed 4).
   */
  @Test
  void aClaimPreBoundToAMissingVolumeSaysWhyItIsPending() {
    assertNoViolation(4, List.of(
        new Step.CreateClaim("c0", Optional.of("fast"), 5L << 30, RWO, "pv0")));
  }

  /**
   * Fixed (kubelet volume manager): a pod placed on a node whose claim is not bound gets a
   * FailedMount event saying the claim is not bound (seed 1).
   */
  @Test
  void aPodWaitingForAnUnboundClaimSaysWhy() {
    assertNoViolation(1, List.of(
        new Step.CreateClaim("c2", Optional.empty(), 2L << 30, RWO, ""),
        new Step.CreatePod("p0", "n2", ImmutableList.of("c2")),
        new Step.AddNode("n2")));
  }

  /**
   * Fixed (attach/detach): the external-attacher refuses to attach a PV marked for deletion and
   * records attachError on the VolumeAttachment; the pod now gets a FailedAttachVolume event (seed
   * 112; 2117 in the current generator).
   */
  @Test
  void aPodWhoseVolumeCannotBeAttachedSaysWhy() {
    assertNoViolation(112, List.of(
        new Step.AddNode("n1"),
        new Step.CreateVolume("pv2", "keep", 1L << 30, RWO, "Retain"),
        new Step.CreateClaim("c0", Optional.of("keep"), 1L << 30, RWO, ""),
        new Step.DeleteVolume("pv2"),
        new Step.CreatePod("p4", "n1", ImmutableList.of("c0"))));
  }

  /**
   * Fixed (provisioning): when CreateVolume succeeds after the claim got bound to another PV, the
   * provisioner deletes the new volume instead of storing PV pvc-&lt;uid&gt;, which with Retain was left
   * pre-bound to the claim's name for a later claim of that name (seed 1169; 3001559 in the current
   * generator).
   */
  @Test
  void aVolumeProvisionedForAClaimBoundElsewhereIsNotKept() {
    assertNoViolation(1169, List.of(
        new Step.CreateClass("fast", "Delete", "Immediate", true),
        new Step.CreateClass("keep", "Retain", "Immediate", false),
        new Step.CreateClass("late", "Delete", "WaitForFirstConsumer", false),
        new Step.AddNode("n1"),
        new Step.AddNode("n2"),
        new Step.CreateVolume("pv0", "late", 2L << 30, RWO_ROX, "Delete"),
        new Step.CreateClaim("c4", Optional.of("keep"), 2L << 30, RWO, ""),
        new Step.DeleteVolume("pv1"),
        new Step.AdvanceTime(Duration.ofMillis(130_000)),
        new Step.CreateVolume("pv2", "keep", 5L << 30, RWO_ROX, "Delete"),
        new Step.AdvanceTime(Duration.ofMillis(5_000)),
        new Step.DeleteClaim("c4"),
        new Step.CreateClaim("c4", Optional.of("late"), 1L << 30, RWO, "")));
  }

  /**
   * Not fixed (scheduling): a pod waiting for a WaitForFirstConsumer claim whose provisioning keeps
   * failing (its VolumeAttributesClass does not exist) has no event of its own; the claim has
   * ProvisioningFailed. Kubernetes' scheduler reports FailedScheduling when its 10-minute bind
   * timeout expires. Ignored in {@code AttributesClassSimulationTest} (seed 144).
   */
  @Test
  @org.junit.jupiter.api.Disabled("bug 5: no pod event while its WaitForFirstConsumer claim cannot be provisioned")
  void aPodWaitingForAClaimThatCannotBeProvisionedSaysWhy() {
    assertNoViolation(144, List.of(
        new Step.CreateClass("late", "Delete", "WaitForFirstConsumer", false),
        new Step.AddNode("n0"),
        new Step.CreateClaim("c1", Optional.of("late"), 1L << 30, ImmutableList.of(AccessModes.READ_ONLY_MANY), ""),
        new Step.SetClaimAttributesClass("c1", "gold"),
        new Step.CreatePod("p0", "", ImmutableList.of("c1"), "")));
  }
}
