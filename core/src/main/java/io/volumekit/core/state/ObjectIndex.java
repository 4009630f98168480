package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.core.effect.Operation;
import java.util.Optional;
import java.util.Set;

/**
 * A secondary index kept inside {@link ClusterState}, updated on every change.
 *
 * <p>Implementations are immutable and persistent: {@link #apply(Change)} returns a new index that
 * shares structure with the old one, in O(log n) for the change, so a snapshot of the state stays
 * valid after later updates. {@link ClusterState} shows an index only the changes of the kinds it
 * declares ({@link #kinds()}); an index also ignores kinds it does not cover by returning {@code
 * this}, and returns {@code this} when none of the fields it indexes changed.
 * Indexes play the role of the informer indexers of Kubernetes controllers (e.g. the PV
 * controller's {@code persistentVolumeOrderedIndex}).
 *
 * <p>To add one: implement this interface with a public no-argument {@code empty()} factory, and
 * list its empty instance in {@link Indexes#defaults()}; read it with {@link
 * ClusterState#index(Class)}.
 */
public interface ObjectIndex {

  /** The index after the change. Must not fail: a malformed object is simply not indexed. */
  ObjectIndex apply(Change change);

  /**
   * The kinds whose changes {@link #apply} looks at, or empty for every kind (the default). The
   * state asks once, when it is created, and then calls {@code apply} for those kinds only: most
   * writes concern one or two of the indexes, and a write should not pay for the others.
   */
  default Optional<Set<String>> kinds() {
    return Optional.empty();
  }

  /**
   * Whether {@link #applyOperation} can change this index (false by default). The state asks once
   * and shows recorded operations only to the indexes that answer true.
   */
  default boolean indexesOperations() {
    return false;
  }

  /**
   * The index after an operation was recorded, replaced or forgotten ({@code before} and {@code
   * after} are the operation with that id before and after). Most indexes cover objects only and
   * keep the default, which returns {@code this}; one that overrides it must also answer true to
   * {@link #indexesOperations()}. Must not fail.
   */
  default ObjectIndex applyOperation(Optional<Operation> before, Optional<Operation> after) {
    return this;
  }
}
