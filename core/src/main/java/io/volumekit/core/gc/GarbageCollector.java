package io.volumekit.core.gc;

import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.OwnerIndex;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.OwnerReference;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Deletes objects whose owners are all gone (background cascading deletion).
 *
 * <p>Mirrors Kubernetes' garbage collector for {@code metadata.ownerReferences}: when an owner
 * object is removed, each dependent naming it is deleted once none of its owners exists any more
 * (an owner "exists" when an object of that kind and name, in the dependent's namespace or
 * cluster-scoped, has the referenced uid). A dependent created with only dangling owner references
 * is deleted too, and so is one whose owner references change to owners that are all gone. Deletion goes through the store, so the dependent's finalizers still apply (a
 * generic ephemeral volume's claim stays while pvc-protection holds it).
 */
public final class GarbageCollector implements Controller {

  /** The controller's name. */
  public static final String NAME = "garbage-collector";

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Every kind; additions and updates only of objects with owner references (a new dependent, or
   * one whose owners changed), deletions of anything (an owner gone).
   */
  @Override
  public WatchedKinds watches() {
    return WatchedKinds.all().ownedOnly(Change.Type.ADDED, Change.Type.MODIFIED);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    if (change.type() == Change.Type.DELETED) {
      change.before().flatMap(o -> o.metadata().uid())
          .ifPresent(uid -> state.index(OwnerIndex.class).dependentsOf(uid).forEach(enqueue));
    } else if (change.after().map(o -> !o.metadata().ownerReferences().isEmpty()).orElse(false)
        && (change.type() == Change.Type.ADDED || !change.before().orElseThrow().metadata().ownerReferences()
            .equals(change.after().orElseThrow().metadata().ownerReferences()))) {
      // A new dependent, or one whose owners changed (the StatefulSet controller hands a claim from
      // its set to its scaled-down pod): its owners may already be gone.
      enqueue.accept(change.key());
    }
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    Optional<ApiObject> found = state.get(key);
    if (found.isEmpty() || found.get().metadata().isDeleting()) {
      return Decision.none();
    }
    ApiObject o = found.get();
    if (o.metadata().ownerReferences().isEmpty()) {
      return Decision.none();
    }
    for (OwnerReference r : o.metadata().ownerReferences()) {
      if (ownerExists(state, key, r)) {
        return Decision.none();
      }
    }
    return Decision.builder().delete(key, o.metadata().uid().orElse("")).build();
  }

  private static boolean ownerExists(ClusterState state, ObjectKey dependent, OwnerReference r) {
    for (String ns : new String[] {dependent.namespace(), ""}) {
      Optional<ApiObject> owner = state.get(new ObjectKey(r.kind(), ns, r.name()));
      if (owner.isPresent() && owner.get().metadata().uid().orElse("").equals(r.uid())) {
        return true;
      }
    }
    return false;
  }
}
