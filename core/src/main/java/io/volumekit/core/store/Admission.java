package io.volumekit.core.store;

import io.volumekit.core.state.ClusterState;
import io.volumekit.model.meta.ApiObject;
import java.time.Instant;

/**
 * A hook the store runs on every create and update before storing: Kubernetes' mutating
 * admission plugins and registry strategies (defaults, finalizers added on create, status fields
 * the server stamps, validation).
 *
 * <p>Return the object to store (possibly changed), or throw an {@link InvalidException} to
 * refuse the request. Hooks ignore kinds they do not handle by returning the object unchanged.
 */
public interface Admission {

  /** Admits a new object (metadata already has name, uid and creationTimestamp). */
  default ApiObject admitCreate(ApiObject object, ClusterState state, Instant now) {
    return object;
  }

  /** Admits a replacement of {@code old} (server-managed metadata already carried over). */
  default ApiObject admitUpdate(ApiObject object, ApiObject old, ClusterState state, Instant now) {
    return object;
  }

  /**
   * Whether the change bumps {@code metadata.generation} (a spec change): true only when the two
   * objects differ, as the store then skips its no-op comparison of them. The default answers
   * false; {@link VolumeStrategy} compares the specs of the kinds with a status.
   */
  default boolean specChanged(ApiObject object, ApiObject old) {
    return false;
  }
}
