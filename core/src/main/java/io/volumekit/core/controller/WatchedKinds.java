package io.volumekit.core.controller;

import com.google.common.collect.ImmutableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The kinds of object whose changes a {@link Controller} wants to see: either every kind (the
 * default, {@link #all()}) or a fixed set ({@link #of}).
 *
 * <p>This is the equivalent of the informers a Kubernetes controller starts: a controller only
 * receives the watch events of the resources it has informers for. The runtime uses it to route
 * each committed change only to the controllers that watch its kind (an index from kind to
 * controllers, built once), instead of showing every change to every controller's {@code watch}.
 * A controller that declares a set must handle in {@code watch} no kind outside it; a controller
 * that declares nothing sees everything, as before.
 */
public final class WatchedKinds {

  private static final WatchedKinds ALL = new WatchedKinds(Optional.empty());

  private final Optional<ImmutableSet<String>> kinds;

  private WatchedKinds(Optional<ImmutableSet<String>> kinds) {
    this.kinds = kinds;
  }

  /** Every kind, including kinds registered later (the safe default). */
  public static WatchedKinds all() {
    return ALL;
  }

  /** Exactly these kinds (e.g. {@code WatchedKinds.of(Pod.KIND, PersistentVolumeClaim.KIND)}). */
  public static WatchedKinds of(String... kinds) {
    return of(Set.of(kinds));
  }

  /** Exactly these kinds. */
  public static WatchedKinds of(Set<String> kinds) {
    for (String k : kinds) {
      Objects.requireNonNull(k, "kind");
    }
    return new WatchedKinds(Optional.of(ImmutableSet.copyOf(kinds)));
  }

  /** Whether changes of the kind are shown to the controller. */
  public boolean includes(String kind) {
    return kinds.isEmpty() || kinds.get().contains(kind);
  }

  /** The declared kinds, or empty for every kind. */
  public Optional<ImmutableSet<String>> kinds() {
    return kinds;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WatchedKinds w && w.kinds.equals(kinds);
  }

  @Override
  public int hashCode() {
    return kinds.hashCode();
  }

  @Override
  public String toString() {
    return kinds.map(k -> "WatchedKinds" + k).orElse("WatchedKinds[all]");
  }
}
