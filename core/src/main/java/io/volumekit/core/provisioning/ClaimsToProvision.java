package io.volumekit.core.provisioning;

import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.migration.CsiMigration;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.storage.StorageClass;
import java.util.Optional;

/**
 * Which claim changes the {@link ProvisioningController} syncs: the claims external-provisioner's
 * {@code shouldProvision} would look at (or that own an operation), and not those whose sync
 * provably decides nothing because their volume is already provisioned.
 */
final class ClaimsToProvision {

  private ClaimsToProvision() {}

  /**
   * Whether a sync of the claim can decide anything: it may need provisioning (no volumeName, a
   * class, the binder's storage-provisioner annotation) or it owns an operation.
   */
  static boolean concerns(ClusterState state, ObjectKey key, Optional<PersistentVolumeClaim> claim) {
    boolean mayProvision = claim
        .filter(c -> c.volumeName().isEmpty() && !Volumes.storageClass(c).isEmpty())
        .filter(c -> c.metadata().annotations().containsKey(Annotations.STORAGE_PROVISIONER)
            || c.metadata().annotations().containsKey(Annotations.BETA_STORAGE_PROVISIONER))
        .isPresent();
    // (no operation at all: the id, a new string, is not built)
    return mayProvision
        || (!state.operations().isEmpty() && state.operation(ProvisioningController.provisionId(key)).isPresent());
  }

  /**
   * Whether a sync of the claim provably decides nothing because its volume exists: no operation
   * of the claim, and the PV {@code pvc-<uid>} is there, so {@link ProvisioningController}'s
   * provision stops at "already provisioned" (row 11-7), its only earlier non-empty answer being a
   * failed translation of an in-tree class (excluded). Skips the sync the provisioner's own PV creation would queue.
   */
  static boolean provisionedAlready(ClusterState state, ObjectKey key, CsiMigration migration) {
    Optional<PersistentVolumeClaim> claim = state.get(key, PersistentVolumeClaim.class);
    if (claim.isEmpty() || claim.get().metadata().uid().isEmpty()
        || state.operation(ProvisioningController.provisionId(key)).isPresent()) {
      return false;
    }
    boolean inTreeClass = state.get(Volumes.classKey(Volumes.storageClass(claim.get())), StorageClass.class)
        .flatMap(sc -> migration.driverForProvisioner(sc.provisioner())).isPresent();
    return !inTreeClass && state.contains(Volumes.volumeKey(Volumes.provisionedVolumeName(claim.get())));
  }
}
