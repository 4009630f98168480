package io.volumekit.core.key;

import io.volumekit.model.meta.ApiObject;
import java.util.Objects;
import java.util.Optional;

/**
 * One committed change of one object: its state before and after (absent = did not exist).
 *
 * <p>The equivalent of a Kubernetes watch event (ADDED, MODIFIED, DELETED) carrying both versions,
 * as an informer's update handler sees them. Controllers use it to decide which keys to reconcile;
 * indexes use it to update themselves.
 */
public record Change(ObjectKey key, Optional<ApiObject> before, Optional<ApiObject> after) {

  /** The kind of watch event this change is. */
  public enum Type {
    ADDED,
    MODIFIED,
    DELETED
  }

  public Change {
    Objects.requireNonNull(key, "key");
    before = before == null ? Optional.empty() : before;
    after = after == null ? Optional.empty() : after;
    if (before.isEmpty() && after.isEmpty()) {
      throw new IllegalArgumentException("a change needs a before or an after state: " + key);
    }
  }

  /** ADDED, MODIFIED or DELETED. */
  public Type type() {
    if (before.isEmpty()) {
      return Type.ADDED;
    }
    return after.isEmpty() ? Type.DELETED : Type.MODIFIED;
  }

  /** The object after the change, or before it for a deletion: the one a watcher is shown. */
  public ApiObject object() {
    return after.orElseGet(before::get);
  }

  /** The kind of the changed object. */
  public String kind() {
    return key.kind();
  }

  /** The state after the change, or before it if the object went away, cast to the given type. */
  public <T extends ApiObject> Optional<T> beforeAs(Class<T> type) {
    return before.filter(type::isInstance).map(type::cast);
  }

  /** The state after the change, cast to the given type. */
  public <T extends ApiObject> Optional<T> afterAs(Class<T> type) {
    return after.filter(type::isInstance).map(type::cast);
  }
}
