package io.volumekit.core.binding;

import io.volumekit.core.api.Volumes;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.store.Admission;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.storage.StorageClass;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code DefaultStorageClass} admission plugin: a new claim that has no class (neither {@code
 * spec.storageClassName} nor the beta annotation; an explicit {@code ""} counts as a class) gets
 * the default StorageClass, if one exists (docs/cases/binding.md row D1).
 */
public final class DefaultStorageClassAdmission implements Admission {

  @Override
  public ApiObject admitCreate(ApiObject object, ClusterState state, Instant now) {
    if (object instanceof PersistentVolumeClaim claim && !Volumes.hasClass(claim)) {
      return Volumes.defaultClass(state.list(StorageClass.KIND, StorageClass.class))
          .<ApiObject>map(sc -> claim.withSpec(claim.spec().withStorageClassName(Optional.of(sc.metadata().name()))))
          .orElse(object);
    }
    return object;
  }
}
