package io.volumekit.core.store;

import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.meta.ApiObject;
import java.util.List;
import java.util.Optional;

/**
 * Where the cluster state lives, with the API server's write semantics.
 *
 * <ul>
 *   <li>create assigns {@code uid}, {@code resourceVersion}, {@code generation} and {@code
 *       creationTimestamp}, and a name from {@code generateName};
 *   <li>update checks {@code resourceVersion} when the object carries one (a stale update is a
 *       {@link ConflictException}) and keeps server-managed metadata;
 *   <li>delete sets {@code deletionTimestamp} while finalizers remain; the object goes away when
 *       the last finalizer is removed;
 *   <li>every committed change is reported once by {@link #drainChanges()}.
 * </ul>
 *
 * <p>Implementations are not thread-safe; the runtime serialises access. The default is {@link
 * InMemoryStore}; a durable one (the CLI's) implements the same interface.
 */
public interface Store {

  /** The current snapshot. */
  ClusterState state();

  /** The stored object, if any. */
  default Optional<ApiObject> get(ObjectKey key) {
    return state().get(key);
  }

  /** Creates the object and returns it as stored. */
  ApiObject create(ApiObject object);

  /** Replaces the object and returns it as stored (unchanged and not re-versioned if equal). */
  ApiObject update(ApiObject object);

  /**
   * Requests deletion. Returns the object as it now is (with {@code deletionTimestamp}) or empty
   * if it was removed.
   *
   * @param uid when present, the delete only happens if the stored object has this uid
   */
  Optional<ApiObject> delete(ObjectKey key, Optional<String> uid);

  /** Records an operation (an effect in flight or its outcome). */
  void recordOperation(Operation operation);

  /** Forgets the operation with the id. */
  void forgetOperation(EffectId id);

  /** The changes committed since the last call, in order. */
  List<Change> drainChanges();
}
