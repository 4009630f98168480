package io.volumekit.core.protection;

import io.volumekit.core.controller.ChangeFact;
import io.volumekit.core.api.Finalizers;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolume;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Keeps a bound PersistentVolume: the {@code kubernetes.io/pv-protection} finalizer is removed from
 * a deleted PV only when its phase is not {@code Bound} ({@code pv_protection_controller.go},
 * docs/cases/protection.md row 5.3). PVs not being deleted get the finalizer if they lack it.
 */
public final class PvProtectionController implements Controller {

  /** The controller's name. */
  public static final String NAME = "pv-protection";

  @Override
  public String name() {
    return NAME;
  }

  private static final ChangeFact UNPROTECTED = ChangeFact.deletingOrWithout(Finalizers.PV_PROTECTION);

  @Override
  public WatchedKinds watches() {
    // Only a volume being deleted or without its finalizer has work.
    return WatchedKinds.of(PersistentVolume.KIND).only(PersistentVolume.KIND, Change.Type.ADDED, Change.Type.MODIFIED)
        .when(PersistentVolume.KIND, UNPROTECTED);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    if (change.kind().equals(PersistentVolume.KIND)) {
      change.after()
          .filter(o -> o.metadata().isDeleting() || !o.metadata().hasFinalizer(Finalizers.PV_PROTECTION))
          .ifPresent(o -> enqueue.accept(change.key()));
    }
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    Optional<PersistentVolume> found = state.get(key, PersistentVolume.class);
    if (found.isEmpty()) {
      return Decision.none();
    }
    PersistentVolume pv = found.get();
    var meta = pv.metadata();
    if (!meta.isDeleting()) {
      if (!meta.hasFinalizer(Finalizers.PV_PROTECTION)) {
        return Decision.update(pv.withMetadata(meta.withFinalizer(Finalizers.PV_PROTECTION)));
      }
      return Decision.none();
    }
    if (meta.hasFinalizer(Finalizers.PV_PROTECTION) && !pv.isBound()) {
      return Decision.update(pv.withMetadata(meta.withoutFinalizer(Finalizers.PV_PROTECTION)));
    }
    return Decision.none();
  }
}
