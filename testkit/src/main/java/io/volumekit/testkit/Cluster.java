package io.volumekit.testkit;

import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.meta.ApiObject;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What a {@link Step} of a simulated history can do to the cluster under test: the user's and the
 * administrator's actions, time passing and driver restarts.
 *
 * <p>Actions never fail the history: an action on an object that does not exist, or one the API
 * rejects (validation, conflict), is recorded in the trace and skipped, as a user retrying kubectl
 * would see an error and move on. That keeps every sub-list of a history runnable, which the
 * shrinker relies on.
 */
public interface Cluster {

  /** The current state of the engine. */
  ClusterState state();

  /** Creates the object unless one with its key exists (kubectl create). */
  void create(ApiObject object);

  /** Replaces the stored object with the key by {@code change(stored)}, if it exists. */
  void update(ObjectKey key, UnaryOperator<ApiObject> change);

  /** Requests deletion of the object with the key, if it exists (kubectl delete). */
  void delete(ObjectKey key);

  /**
   * The administrator creates a backing volume in the storage system, outside the engine (for a
   * statically provisioned PV); returns its volume id, or empty if the storage system is full.
   * Never faulty.
   */
  Optional<String> createBackingVolume(String name, long bytes);

  /** Lets virtual time pass: due retries and requeues run. */
  void advance(Duration duration);

  /** Runs the engine until nothing is left to do within its settle horizon (faults continue). */
  void settle();

  /** The fault-injecting driver every CSI call of the engine goes through. */
  FaultInjectingCsiDriver driver();
}
