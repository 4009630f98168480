package io.volumekit.core.expansion;

import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.Fixtures.withClass;
import static io.volumekit.core.mount.NodeKit.claim;
import static io.volumekit.core.mount.NodeKit.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.store.ForbiddenException;
import io.volumekit.core.store.InvalidException;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimCondition;
import io.volumekit.model.core.Pod;
import io.volumekit.model.quantity.Quantity;
import io.volumekit.model.validation.InvalidObjectException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Volume expansion end to end on a deterministic engine (docs/cases/expansion.md): admission,
 * the external-resizer, the kubelet's node step, failures and recovery (KEP-1790).
 */
class ExpansionTableTest {

  static final long GI = 1L << 30;

  /** A bound 1Gi claim "data" of class "fast" (expansion allowed unless said), with pod "app" if asked. */
  static ExpansionKit bound(ExpansionKit k, boolean allowExpansion, boolean withPod) {
    k.apply(sc("fast").withAllowVolumeExpansion(Optional.of(allowExpansion)), withClass(pvc("data", "1Gi"), "fast"));
    if (withPod) {
      k.apply(pod("app", "node-1", claim("data")));
    }
    k.settle();
    assertThat(k.pvc("data").isBound()).isTrue();
    return k;
  }

  static List<String> conditions(PersistentVolumeClaim c) {
    return c.status().conditions().stream().map(PersistentVolumeClaimCondition::type).toList();
  }

  @Test
  void A1_growingAClaimWhoseClassDoesNotAllowExpansionIsForbidden() {
    ExpansionKit k = bound(new ExpansionKit(), false, false);
    assertThatThrownBy(() -> k.resize("data", "5Gi"))
        .isInstanceOf(ForbiddenException.class)
        .hasMessage("persistentvolumeclaims \"data\" is forbidden: only dynamically provisioned pvc can be resized"
            + " and the storageclass that provisions the pvc must support resize");
    assertThat(k.pvc("data").requestedStorage()).contains(Quantity.parse("1Gi"));
  }

  @Test
  void A2_growingAPendingClaimIsRefusedByValidation() {
    ExpansionKit k = new ExpansionKit();
    k.apply(sc("fast").withAllowVolumeExpansion(Optional.of(true)).withVolumeBindingMode(Optional.of("WaitForFirstConsumer")),
        withClass(pvc("data", "1Gi"), "fast")).settle();
    assertThat(k.pvc("data").isBound()).isFalse();
    assertThatThrownBy(() -> k.resize("data", "5Gi"))
        .isInstanceOfAny(InvalidException.class, InvalidObjectException.class)
        .hasMessageContaining("spec: Forbidden: spec is immutable after creation");
  }

  @Test
  void A3_shrinkingBelowThePreviousRequestIsRefused() {
    ExpansionKit k = bound(new ExpansionKit(), true, false);
    k.resize("data", "2Gi").settle();
    assertThatThrownBy(() -> k.resize("data", "1Gi"))
        .hasMessageContaining("spec.resources.requests.storage: Forbidden: field can not be less than status.capacity");
  }

  @Test
  void C1_onlineExpansionOfAMountedVolumeGrowsPvAndClaim() {
    ExpansionKit k = bound(new ExpansionKit(), true, true);
    k.resize("data", "5Gi").settle();
    PersistentVolumeClaim c = k.pvc("data");
    assertThat(c.status().capacity().get("storage")).isEqualTo(Quantity.parse("5Gi"));
    assertThat(c.status().allocatedResources().get("storage")).isEqualTo(Quantity.parse("5Gi"));
    assertThat(c.status().allocatedResourceStatuses()).isEmpty();
    assertThat(conditions(c)).isEmpty();
    assertThat(k.pvOf("data").capacityStorage()).contains(Quantity.parse("5Gi"));
    String pv = k.pvOf("data").metadata().name();
    assertThat(k.claimEvents("data")).contains(
        "ExternalExpanding: waiting for an external controller to expand this PVC",
        "Resizing: External resizer is resizing volume " + pv,
        "FileSystemResizeRequired: Require file system resize of volume on node",
        "FileSystemResizeSuccessful: MountVolume.NodeExpandVolume succeeded for volume \"" + pv + "\" node-1");
    assertThat(k.podEvents("app")).contains(
        "FileSystemResizeSuccessful: MountVolume.NodeExpandVolume succeeded for volume \"" + pv + "\" node-1");
    assertThat(k.calls).hasSize(2);
    assertThat(k.calls.get(0)).isEqualTo("ControllerExpandVolume " + 5 * GI);
    assertThat(k.calls.get(1)).startsWith("NodeExpandVolume " + 5 * GI + " ").endsWith("/mount");
    assertThat(k.memory.getCapacity(new io.volumekit.core.csi.GetCapacityRequest(com.google.common.collect.ImmutableList.of(), com.google.common.collect.ImmutableMap.of(),
        Optional.empty())).availableCapacity()).isEqualTo(95 * GI);
  }

  @Test
  void C2_withoutAPodTheNodeStepWaitsForOne() {
    ExpansionKit k = bound(new ExpansionKit(), true, false);
    k.resize("data", "5Gi").settle();
    PersistentVolumeClaim c = k.pvc("data");
    assertThat(c.status().capacity().get("storage")).isEqualTo(Quantity.parse("1Gi"));
    assertThat(c.status().allocatedResourceStatuses()).containsEntry("storage", "NodeResizePending");
    assertThat(conditions(c)).containsExactly("Resizing", "FileSystemResizePending");
    assertThat(c.status().conditions().get(1).message()).contains(ClaimResize.FS_RESIZE_PENDING_MESSAGE);
    assertThat(c.status().conditions().get(1).lastTransitionTime()).isPresent();
    assertThat(k.pvOf("data").capacityStorage()).contains(Quantity.parse("5Gi"));

    k.apply(pod("app", "node-1", claim("data"))).settle();
    assertThat(k.pvc("data").status().capacity().get("storage")).isEqualTo(Quantity.parse("5Gi"));
    assertThat(conditions(k.pvc("data"))).isEmpty();
  }

  @Test
  void C3_aNodePluginWithoutExpandVolumeFinishesWithoutANodeCall() {
    ExpansionKit k = bound(new ExpansionKit(false, true), true, false);
    k.resize("data", "5Gi").settle();
    assertThat(k.pvc("data").status().capacity().get("storage")).isEqualTo(Quantity.parse("5Gi"));
    assertThat(k.calls).containsExactly("ControllerExpandVolume " + 5 * GI);
  }

  @Test
  void C4_anInfeasibleSizeIsReportedAndTheUserMayAskForLess() {
    ExpansionKit k = bound(new ExpansionKit(), true, true);
    k.resize("data", "200Gi").settle();
    PersistentVolumeClaim c = k.pvc("data");
    String pv = k.pvOf("data").metadata().name();
    assertThat(c.status().allocatedResourceStatuses()).containsEntry("storage", "ControllerResizeInfeasible");
    assertThat(c.status().allocatedResources().get("storage")).isEqualTo(Quantity.parse("200Gi"));
    assertThat(conditions(c)).contains("Resizing", "ControllerResizeError");
    assertThat(c.status().capacity().get("storage")).isEqualTo(Quantity.parse("1Gi"));
    assertThat(k.claimEvents("data")).anyMatch(e -> e.startsWith("VolumeResizeFailed: resize volume \"" + pv
        + "\" by resizer \"" + io.volumekit.core.Fixtures.DRIVER + "\" failed: "));
    assertThat(k.pvOf("data").capacityStorage()).contains(Quantity.parse("1Gi"));

    // recovery: any value above the capacity is accepted now, and the resizer retries with it
    k.resize("data", "3Gi").settle();
    c = k.pvc("data");
    assertThat(c.status().capacity().get("storage")).isEqualTo(Quantity.parse("3Gi"));
    assertThat(c.status().allocatedResources().get("storage")).isEqualTo(Quantity.parse("3Gi"));
    assertThat(c.status().allocatedResourceStatuses()).isEmpty();
    assertThat(conditions(c)).isEmpty();
    assertThat(k.calls).contains("ControllerExpandVolume " + 3 * GI);
  }

  @Test
  void C5_anUnavailableDriverIsRetriedWithTheSameSize() {
    ExpansionKit k = bound(new ExpansionKit(), true, true);
    k.fail("ControllerExpandVolume", CsiCode.UNAVAILABLE);
    k.resize("data", "5Gi").settle();
    assertThat(k.pvc("data").status().capacity().get("storage")).isEqualTo(Quantity.parse("5Gi"));
    assertThat(k.calls.subList(0, 2)).containsExactly("ControllerExpandVolume " + 5 * GI, "ControllerExpandVolume " + 5 * GI);
    assertThat(k.claimEvents("data").stream().filter(e -> e.startsWith("VolumeResizeFailed"))).hasSize(1);
  }

  @Test
  void C6_anOfflineOnlyDriverWaitsUntilNoPodUsesTheClaim() {
    ExpansionKit k = bound(new ExpansionKit(true, false), true, true);
    k.resize("data", "5Gi").settle();
    assertThat(k.calls).isEmpty();
    assertThat(k.claimEvents("data")).contains("VolumeResizeFailed: Unable to expand default/data because CSI driver "
        + io.volumekit.core.Fixtures.DRIVER + " only supports offline expansion and volume is currently in-use");

    k.kit.delete(ObjectKey.namespaced(Pod.KIND, ExpansionKit.NS, "app"));
    k.settle();
    assertThat(k.calls).containsExactly("ControllerExpandVolume " + 5 * GI);
    assertThat(k.pvc("data").status().allocatedResourceStatuses()).containsEntry("storage", "NodeResizePending");

    k.apply(pod("app2", "node-1", claim("data"))).settle();
    assertThat(k.pvc("data").status().capacity().get("storage")).isEqualTo(Quantity.parse("5Gi"));
  }

  @Test
  void C7_aFailedNodeExpansionIsReportedAndRetried() {
    ExpansionKit k = bound(new ExpansionKit(), true, true);
    k.fail("NodeExpandVolume", CsiCode.INTERNAL);
    k.resize("data", "5Gi").settle();
    String pv = k.pvOf("data").metadata().name();
    assertThat(k.podEvents("app")).contains(
        "FileSystemResizeFailed: MountVolume.NodeExpandVolume failed for volume \"" + pv + "\" : rpc error: code = Internal desc = injected INTERNAL");
    assertThat(k.pvc("data").status().capacity().get("storage")).isEqualTo(Quantity.parse("5Gi"));
    assertThat(k.calls.stream().filter(c -> c.startsWith("NodeExpandVolume"))).hasSize(2);
  }

  @Test
  void C8_anInfeasibleNodeExpansionHandsTheClaimBackToTheResizer() {
    ExpansionKit k = bound(new ExpansionKit(), true, true);
    k.fail("NodeExpandVolume", CsiCode.INVALID_ARGUMENT);
    k.resize("data", "5Gi").settle();
    PersistentVolumeClaim c = k.pvc("data");
    assertThat(c.status().allocatedResourceStatuses()).containsEntry("storage", "NodeResizeInfeasible");
    assertThat(conditions(c)).contains("NodeResizeError");
    assertThat(c.status().capacity().get("storage")).isEqualTo(Quantity.parse("1Gi"));
  }
}
