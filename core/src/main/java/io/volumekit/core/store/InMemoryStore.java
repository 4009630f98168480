package io.volumekit.core.store;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.meta.ApiObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
  /** The hooks an update asks ({@link WritePlan#updateHooks}), computed once. */
  private final List<Admission> updateAdmission;
  private ClusterState state;
  private final List<Change> changes = new ArrayList<>();

  /** A store starting from {@code initial}, with the given clock, id source and admission hooks. */
  public InMemoryStore(ClusterState initial, Clock clock, Ids ids, List<? extends Admission> admission) {
    this.state = Objects.requireNonNull(initial, "initial");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.admission = ImmutableList.copyOf(admission);
    this.updateAdmission = WritePlan.updateHooks(this.admission);
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

  /**
   * The version the next write gets. The state takes it in the same copy that stores the write
   * ({@link #commit}): one new snapshot per write, not two.
   */
  private long nextVersion() {
    return state.resourceVersion() + 1;
  }

  private static ApiObject withVersion(ApiObject object, long rv) {
    return object.withMetadata(object.metadata().withResourceVersion(Optional.of(Long.toString(rv))));
  }

  @Override
  public ApiObject create(ApiObject object) {
    WritePlan plan = WritePlan.create(object, state, now(), ids, admission);
    long rv = nextVersion();
    ApiObject stored = withVersion(plan.object(), rv);
    commit(new Change(ObjectKey.of(stored), Optional.empty(), Optional.of(stored)), rv);
    return stored;
  }

  @Override
  public ApiObject update(ApiObject object) {
    Objects.requireNonNull(object, "object");
    ObjectKey key = ObjectKey.of(object);
    ApiObject old = state.get(key).orElseThrow(() -> new NotFoundException(key));
    long rv = nextVersion();
    // The plan's PUT object carries rv already (WritePlan.update with a version): no second copy.
    WritePlan plan = WritePlan.update(object, old, state, now(), updateAdmission, rv);
    if (plan.action() == WritePlan.Action.PUT) {
      ApiObject stored = plan.object();
      commit(new Change(key, Optional.of(old), Optional.of(stored)), rv);
      return stored;
    }
    return apply(key, old, plan);
  }

  @Override
  public Optional<ApiObject> delete(ObjectKey key, Optional<String> uid) {
    ApiObject old = state.get(key).orElseThrow(() -> new NotFoundException(key));
    WritePlan plan = WritePlan.delete(old, uid, now());
    ApiObject out = apply(key, old, plan);
    return plan.action() == WritePlan.Action.REMOVE ? Optional.empty() : Optional.of(out);
  }

  private ApiObject apply(ObjectKey key, ApiObject old, WritePlan plan) {
    switch (plan.action()) {
      case NONE:
        return old;
      case REMOVE:
        commit(new Change(key, Optional.of(old), Optional.empty()), nextVersion());
        return plan.object();
      case PUT:
      default:
        long rv = nextVersion();
        ApiObject stored = withVersion(plan.object(), rv);
        commit(new Change(key, Optional.of(old), Optional.of(stored)), rv);
        return stored;
    }
  }

  /**
   * Stores the change with the store's counter at {@code rv} and keeps it for the watchers: the
   * same Change object serves both.
   */
  private void commit(Change change, long rv) {
    state = state.apply(change, rv);
    changes.add(change);
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
