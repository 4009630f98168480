package io.volumekit.core.store;

import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.validation.Defaults;
import io.volumekit.model.validation.InvalidObjectException;
import io.volumekit.model.validation.Validation;
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

  /**
   * A client's write (kubectl create, apply or replace; the API server's create and update
   * handlers): the one path every object from outside the engine takes. The object gets the
   * API server's defaults, is validated with the create rules, or with the update rules against
   * the stored object of the same key, then is {@link #create created} or {@link #update
   * updated} (admission, server-managed metadata). An object without a name is created (its
   * name from {@code generateName}).
   *
   * @return the object as stored
   * @throws InvalidObjectException with the API server's field-pathed message when validation
   *     refuses it; nothing changes then
   * @throws StoreException when the store refuses it (invalid in admission, conflict...);
   *     nothing changes then
   */
  default ApiObject write(ApiObject object) {
    ApiObject defaulted = Defaults.apply(object);
    Optional<ApiObject> existing = defaulted.metadata().name().isEmpty()
        ? Optional.empty() : get(ObjectKey.of(defaulted));
    if (existing.isPresent()) {
      Validation.checkUpdate(existing.get(), defaulted);
      return update(defaulted);
    }
    Validation.check(defaulted);
    return create(defaulted);
  }

  /**
   * Creates the object and returns it as stored: admission and server-managed metadata, no
   * defaulting or validation. Controllers' writes take this path (the engine builds their objects
   * from validated ones); clients' take {@link #write}.
   */
  ApiObject create(ApiObject object);

  /**
   * Replaces the object and returns it as stored (unchanged and not re-versioned if equal):
   * admission and server-managed metadata, no defaulting or validation (see {@link #create}).
   */
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
