package io.volumekit.core.modify;

import com.google.common.collect.ImmutableList;
import io.volumekit.model.core.ModifyVolumeStatus;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimCondition;
import io.volumekit.model.core.PersistentVolumeClaimConditionBuilder;
import io.volumekit.model.core.PersistentVolumeClaimStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The claim status writes of the modify controller: {@code status.modifyVolumeStatus}, {@code
 * status.currentVolumeAttributesClassName} and the {@code ModifyingVolume} / {@code
 * ModifyVolumeError} conditions, as the external-resizer's {@code modify_status.go} writes them.
 */
final class ModifyStatus {

  /** {@code modifyVolumeStatus.status}: the class cannot be applied yet (e.g. it does not exist). */
  static final String PENDING = "Pending";
  /** {@code modifyVolumeStatus.status}: ControllerModifyVolume is being called. */
  static final String IN_PROGRESS = "InProgress";
  /** {@code modifyVolumeStatus.status}: the driver refused the parameters (INVALID_ARGUMENT). */
  static final String INFEASIBLE = "Infeasible";

  /** Condition type while a modification is under way. */
  static final String MODIFYING_VOLUME = "ModifyingVolume";
  /** Condition type after a failed ControllerModifyVolume. */
  static final String MODIFY_VOLUME_ERROR = "ModifyVolumeError";

  private ModifyStatus() {}

  /** The claim with {@code modifyVolumeStatus} {target, status} and the matching ModifyingVolume condition. */
  static PersistentVolumeClaim mark(PersistentVolumeClaim claim, String target, String status, Optional<String> error) {
    PersistentVolumeClaimStatus s = claim.status()
        .withModifyVolumeStatus(Optional.of(new ModifyVolumeStatus(Optional.of(target), status)));
    // Pending keeps the conditions as they are; the other two set ModifyingVolume.
    if (status.equals(IN_PROGRESS)) {
      s = s.withConditions(merge(s.conditions(), condition(MODIFYING_VOLUME, "ModifyVolume operation in progress.")));
    } else if (status.equals(INFEASIBLE)) {
      // Kubernetes' wording, without a separator before the error.
      s = s.withConditions(merge(s.conditions(),
          condition(MODIFYING_VOLUME, "ModifyVolume failed with error" + error.orElse("") + ". Waiting for retry.")));
    }
    return claim.withStatus(s);
  }

  /** The claim with a ModifyVolumeError condition for the failure. */
  static PersistentVolumeClaim error(PersistentVolumeClaim claim, String error) {
    return claim.withStatus(claim.status().withConditions(merge(claim.status().conditions(),
        condition(MODIFY_VOLUME_ERROR, "ModifyVolume failed with error: " + error + ". Waiting for retry."))));
  }

  /** The claim after a finished modification: current class set, modify status and conditions cleared. */
  static PersistentVolumeClaim completed(PersistentVolumeClaim claim, String target) {
    return claim.withStatus(claim.status()
        .withModifyVolumeStatus(Optional.empty())
        .withCurrentVolumeAttributesClassName(Optional.of(target))
        .withConditions(withoutModifyConditions(claim.status().conditions())));
  }

  private static PersistentVolumeClaimCondition condition(String type, String message) {
    return PersistentVolumeClaimConditionBuilder.builder().type(type).status("True").message(Optional.of(message)).build();
  }

  /** The conditions with {@code c} replacing one of its type (Kubernetes' MergeModifyVolumeConditionsOfPVC). */
  private static ImmutableList<PersistentVolumeClaimCondition> merge(
      List<PersistentVolumeClaimCondition> conditions, PersistentVolumeClaimCondition c) {
    List<PersistentVolumeClaimCondition> out = new ArrayList<>();
    boolean replaced = false;
    for (PersistentVolumeClaimCondition old : conditions) {
      if (old.type().equals(c.type())) {
        out.add(c);
        replaced = true;
      } else {
        out.add(old);
      }
    }
    if (!replaced) {
      out.add(c);
    }
    return ImmutableList.copyOf(out);
  }

  private static ImmutableList<PersistentVolumeClaimCondition> withoutModifyConditions(
      List<PersistentVolumeClaimCondition> conditions) {
    return conditions.stream()
        .filter(c -> !c.type().equals(MODIFYING_VOLUME) && !c.type().equals(MODIFY_VOLUME_ERROR))
        .collect(ImmutableList.toImmutableList());
  }
}
