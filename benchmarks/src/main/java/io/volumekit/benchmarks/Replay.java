package io.volumekit.benchmarks;

import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.ForwardingController;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Records what an engine's controllers were asked while {@link #recording} is on (each reconcile
 * with the state it saw, each watch call the runtime routed, each committed change) and replays the
 * parts on their own: the breakdowns ({@link LifecycleBreakdown}, {@link BindingBreakdown}) time
 * each part to tell what the controllers' decisions, the watches and the state updates cost apart
 * from the runtime and the store around them. Controllers are pure functions of (state, key) and
 * (state, change), so a replay repeats exactly the work that was done.
 */
final class Replay {

  /** A reconcile as the runtime made it: who, on which state, for which key. */
  record Reconcile(Controller controller, ClusterState state, ObjectKey key) {}

  /** A watch call as the runtime made it: who, on which state (after the change), for which change. */
  record Watch(Controller controller, ClusterState state, Change change) {}

  final List<Reconcile> reconciles = new ArrayList<>();
  final List<Watch> watches = new ArrayList<>();
  final List<Change> changes = new ArrayList<>();
  /** Reconciles and watch calls in the order the runtime made them. */
  final List<Object> inOrder = new ArrayList<>();
  boolean recording;
  private long queued;

  /** Wraps the engine's controllers so that their reconciles and watch calls are recorded. */
  UnaryOperator<List<Controller>> wrap() {
    return list -> {
      list.replaceAll(c -> new ForwardingController(c) {
        @Override
        public Decision reconcile(ClusterState state, ObjectKey key) {
          if (recording) {
            Reconcile r = new Reconcile(c, state, key);
            reconciles.add(r);
            inOrder.add(r);
          }
          return c.reconcile(state, key);
        }

        @Override
        public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
          if (recording) {
            Watch w = new Watch(c, state, change);
            watches.add(w);
            inOrder.add(w);
          }
          c.watch(state, change, enqueue);
        }
      });
      return list;
    };
  }

  /** For the runtime's change listener: records committed changes. */
  void changed(Change c) {
    if (recording) {
      changes.add(c);
    }
  }

  /** Replays every reconcile; returns how many decided something. */
  long reconcileAll() {
    long decided = 0;
    for (Reconcile r : reconciles) {
      decided += r.controller().reconcile(r.state(), r.key()).isEmpty() ? 0 : 1;
    }
    return decided;
  }

  /** Replays every watch call; the keys they queue are counted ({@link #queued}). */
  void watchAll() {
    for (Watch w : watches) {
      w.controller().watch(w.state(), w.change(), k -> queued++);
    }
  }

  /** Applies the recorded changes in order to {@code before}, the state before the first of them. */
  ClusterState applyAll(ClusterState before) {
    ClusterState s = before;
    long rv = before.resourceVersion();
    for (Change c : changes) {
      s = s.apply(c, ++rv);
    }
    return s;
  }

  /** Replays the reconciles and watch calls together, in the runtime's order. */
  long inOrderAll() {
    long decided = 0;
    for (Object o : inOrder) {
      if (o instanceof Reconcile r) {
        decided += r.controller().reconcile(r.state(), r.key()).isEmpty() ? 0 : 1;
      } else {
        Watch w = (Watch) o;
        w.controller().watch(w.state(), w.change(), k -> queued++);
      }
    }
    return decided;
  }

  /** Keys queued by the replayed watch calls so far. */
  long queued() {
    return queued;
  }
}
