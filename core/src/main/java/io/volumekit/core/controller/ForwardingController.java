package io.volumekit.core.controller;

import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A controller that forwards every call to another one: the base of decorators that change one
 * part of a controller (restrict its keys to some nodes, count or check its reconciles) and keep
 * its name and watched kinds. Override only what the decorator changes. Kubernetes has no such
 * type; it is the same idea as {@link io.volumekit.core.csi.ForwardingCsiDriver} for controllers.
 */
public abstract class ForwardingController implements Controller {

  private final Controller delegate;

  /** Forwards to {@code delegate}. */
  protected ForwardingController(Controller delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The controller this one forwards to. */
  protected final Controller delegate() {
    return delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public WatchedKinds watches() {
    return delegate.watches();
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    delegate.watch(state, change, enqueue);
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    return delegate.reconcile(state, key);
  }
}
