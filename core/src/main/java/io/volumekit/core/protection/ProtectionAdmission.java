package io.volumekit.core.protection;

import io.volumekit.core.api.Finalizers;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.store.Admission;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Secret;
import io.volumekit.model.meta.ApiObject;
import java.time.Instant;

/**
 * The {@code StorageObjectInUseProtection} admission plugin: every new claim gets {@code
 * kubernetes.io/pvc-protection} and every new PV {@code kubernetes.io/pv-protection}
 * (docs/cases/protection.md row 5.1). Every new Secret gets volumekit's {@code
 * volumekit.io/secret-protection} ({@link SecretProtectionController}): at creation, because a
 * finalizer cannot be added once the secret is being deleted, and a user may name a secret and
 * delete it before any controller runs.
 */
public final class ProtectionAdmission implements Admission {

  @Override
  public ApiObject admitCreate(ApiObject object, ClusterState state, Instant now) {
    if (object instanceof PersistentVolumeClaim) {
      return object.withMetadata(object.metadata().withFinalizer(Finalizers.PVC_PROTECTION));
    }
    if (object instanceof PersistentVolume) {
      return object.withMetadata(object.metadata().withFinalizer(Finalizers.PV_PROTECTION));
    }
    if (object instanceof Secret) {
      return object.withMetadata(object.metadata().withFinalizer(Finalizers.SECRET_PROTECTION));
    }
    return object;
  }
}
