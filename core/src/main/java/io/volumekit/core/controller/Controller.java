package io.volumekit.core.controller;

import io.volumekit.core.Controllers;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import java.util.function.Consumer;

/**
 * A level-triggered controller: a pure function from the current state and one key to a {@link
 * Decision}.
 *
 * <p>Like a Kubernetes controller's sync handler, {@link #reconcile} must decide from the state
 * alone (never from the history of events), must return {@link Decision#none()} once the state is
 * as it wants it (so the runtime reaches a fixpoint), and must not perform I/O: CSI calls are
 * {@link io.volumekit.core.effect.Effect}s whose outcomes come back as operations in the state.
 * {@link #watch} plays the role of the informer event handlers: it maps each committed change to
 * the keys this controller must reconcile; {@link #watches} says which kinds it has informers for,
 * so the runtime shows it only those changes.
 *
 * <p>The engine's own controllers are registered in {@link Controllers#defaults(java.util.Set,
 * io.volumekit.core.binding.VolumeMatcher, io.volumekit.core.podvolume.VolumeHost)} (the control-plane
 * ones in {@link Controllers#defaults(java.util.Set, io.volumekit.core.binding.VolumeMatcher)});
 * an application adds its own with {@link io.volumekit.core.VolumeKit.Builder#controller}.
 *
 * <pre>{@code
 * final class MyController implements Controller {
 *   public String name() { return "my-controller"; }
 *   public WatchedKinds watches() { return WatchedKinds.of("Pod"); } // default: every kind
 *   public void watch(ClusterState s, Change c, Consumer<ObjectKey> enqueue) {
 *     enqueue.accept(c.key()); // only Pod changes arrive here
 *   }
 *   public Decision reconcile(ClusterState s, ObjectKey key) { ... }
 * }
 * }</pre>
 */
public interface Controller {

  /** A unique, stable name (used in effect records, traces and logs), e.g. {@code binding}. */
  String name();

  /**
   * The kinds whose changes this controller's {@link #watch} is shown. Defaults to every kind;
   * declaring the kinds lets the runtime skip this controller for every other change (a change is
   * routed through an index from kind to controllers). Must be constant for the controller's
   * lifetime, and {@link #watch} must not react to a kind outside it.
   */
  default WatchedKinds watches() {
    return WatchedKinds.all();
  }

  /**
   * Called for every committed change of a kind in {@link #watches()} (after it is applied to
   * {@code state}); passes the keys to reconcile to {@code enqueue}. Must be cheap: O(log n) per
   * enqueued key.
   */
  void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue);

  /** Decides what to do for the key in the state. Pure; never throws for ordinary states. */
  Decision reconcile(ClusterState state, ObjectKey key);
}
