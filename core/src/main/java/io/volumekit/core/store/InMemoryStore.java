package io.volumekit.core.store;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.validation.Defaults;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.ObjectMeta;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The default {@link Store}: a {@link ClusterState} held in memory, replaced by a new snapshot on
 * each write (O(log n) per write thanks to the persistent maps inside).
 *
 * <p>Timestamps come from the injected clock, truncated to seconds as Kubernetes serialises them;
 * uids and generated names from the injected {@link Ids}.
 */
public final class InMemoryStore implements Store {

  private final Clock clock;
  private final Ids ids;
  private final ImmutableList<Admission> admission;
  private ClusterState state;
  private final List<Change> changes = new ArrayList<>();

  /** A store starting from {@code initial}, with the given clock, id source and admission hooks. */
  public InMemoryStore(ClusterState initial, Clock clock, Ids ids, List<? extends Admission> admission) {
    this.state = Objects.requireNonNull(initial, "initial");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.admission = ImmutableList.copyOf(admission);
  }

  /** An empty store with default indexes and no admission hooks. */
  public static InMemoryStore create(Clock clock, Ids ids) {
    return new InMemoryStore(ClusterState.empty(), clock, ids, List.of());
  }

  @Override
  public ClusterState state() {
    return state;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  private String nextVersion() {
    long rv = state.resourceVersion() + 1;
    state = state.withResourceVersion(rv);
    return Long.toString(rv);
  }

  @Override
  public ApiObject create(ApiObject object) {
    Objects.requireNonNull(object, "object");
    ObjectMeta meta = object.metadata();
    String name = meta.name();
    if (name.isEmpty()) {
      if (meta.generateName().isEmpty()) {
        throw new InvalidException(
            ObjectKey.of(object), List.of("metadata.name: Required value: name or generateName is required"));
      }
      do {
        name = meta.generateName().get() + ids.suffix();
      } while (state.contains(new ObjectKey(object.kind(), meta.namespaceOrEmpty(), name)));
    }
    ObjectKey key = new ObjectKey(object.kind(), meta.namespaceOrEmpty(), name);
    if (state.contains(key)) {
      throw new AlreadyExistsException(key);
    }
    Instant now = now();
    ApiObject prepared =
        object.withMetadata(
            meta.withName(name)
                .withUid(Optional.of(ids.uid()))
                .withCreationTimestamp(Optional.of(now))
                .withDeletionTimestamp(Optional.empty())
                .withGeneration(Defaults.tracksGeneration(object.kind()) ? 1 : 0)
                .withResourceVersion(Optional.empty()));
    for (Admission a : admission) {
      prepared = a.admitCreate(prepared, state, now);
    }
    ApiObject stored = prepared.withMetadata(prepared.metadata().withResourceVersion(Optional.of(nextVersion())));
    commit(key, Optional.empty(), Optional.of(stored));
    return stored;
  }

  @Override
  public ApiObject update(ApiObject object) {
    Objects.requireNonNull(object, "object");
    ObjectKey key = ObjectKey.of(object);
    ApiObject old = state.get(key).orElseThrow(() -> new NotFoundException(key));
    ObjectMeta oldMeta = old.metadata();
    ObjectMeta meta = object.metadata();
    if (meta.uid().isPresent() && !meta.uid().equals(oldMeta.uid())) {
      throw ConflictException.uidPrecondition(key, meta.uid().get(), oldMeta.uid().orElse(""));
    }
    if (meta.resourceVersion().isPresent() && !meta.resourceVersion().equals(oldMeta.resourceVersion())) {
      throw ConflictException.modified(key);
    }
    if (oldMeta.isDeleting()) {
      var added = new HashSet<>(meta.finalizers());
      added.removeAll(oldMeta.finalizers());
      if (!added.isEmpty()) {
        throw new InvalidException(key, List.of("metadata.finalizers: Forbidden: no new finalizers can be"
            + " added if the object is being deleted, found new finalizers " + added));
      }
    }
    Instant now = now();
    ApiObject prepared = object;
    if (!meta.uid().equals(oldMeta.uid())
        || !meta.creationTimestamp().equals(oldMeta.creationTimestamp())
        || !meta.deletionTimestamp().equals(oldMeta.deletionTimestamp())
        || !meta.generateName().equals(oldMeta.generateName())
        || meta.generation() != oldMeta.generation()
        || !meta.resourceVersion().equals(oldMeta.resourceVersion())) {
      // Server-managed metadata is the store's, whatever the writer sent.
      prepared =
          object.withMetadata(
              meta.withUid(oldMeta.uid())
                  .withCreationTimestamp(oldMeta.creationTimestamp())
                  .withDeletionTimestamp(oldMeta.deletionTimestamp())
                  .withGenerateName(oldMeta.generateName())
                  .withGeneration(oldMeta.generation())
                  .withResourceVersion(oldMeta.resourceVersion()));
    }
    boolean specChanged = false;
    for (Admission a : admission) {
      prepared = a.admitUpdate(prepared, old, state, now);
      specChanged |= a.specChanged(prepared, old);
    }
    if (prepared.equals(old)) {
      return old; // a no-op update: Kubernetes neither bumps the version nor notifies watchers
    }
    ObjectMeta m = prepared.metadata();
    if (specChanged) {
      m = m.withGeneration(oldMeta.generation() + 1);
    }
    if (m.isDeleting() && m.finalizers().isEmpty()) {
      state = state.remove(key);
      nextVersion();
      changes.add(new Change(key, Optional.of(old), Optional.empty()));
      return prepared.withMetadata(m);
    }
    ApiObject stored = prepared.withMetadata(m.withResourceVersion(Optional.of(nextVersion())));
    commit(key, Optional.of(old), Optional.of(stored));
    return stored;
  }

  @Override
  public Optional<ApiObject> delete(ObjectKey key, Optional<String> uid) {
    ApiObject old = state.get(key).orElseThrow(() -> new NotFoundException(key));
    if (uid.isPresent() && !uid.equals(old.metadata().uid())) {
      throw ConflictException.uidPrecondition(key, uid.get(), old.metadata().uid().orElse(""));
    }
    if (old.metadata().finalizers().isEmpty()) {
      state = state.remove(key);
      nextVersion();
      changes.add(new Change(key, Optional.of(old), Optional.empty()));
      return Optional.empty();
    }
    if (old.metadata().isDeleting()) {
      return Optional.of(old);
    }
    ApiObject stored =
        old.withMetadata(
            old.metadata()
                .withDeletionTimestamp(Optional.of(now()))
                .withResourceVersion(Optional.of(nextVersion())));
    commit(key, Optional.of(old), Optional.of(stored));
    return Optional.of(stored);
  }

  private void commit(ObjectKey key, Optional<ApiObject> before, Optional<ApiObject> after) {
    state = after.isPresent() ? state.put(after.get()) : state.remove(key);
    changes.add(new Change(key, before, after));
  }

  @Override
  public void recordOperation(Operation operation) {
    state = state.withOperation(operation);
  }

  @Override
  public void forgetOperation(EffectId id) {
    state = state.withoutOperation(id);
  }

  @Override
  public List<Change> drainChanges() {
    if (changes.isEmpty()) {
      return List.of();
    }
    List<Change> out = List.copyOf(changes);
    changes.clear();
    return out;
  }
}
