package io.volumekit.core.runtime;

import io.volumekit.core.controller.ChangeFact;
import io.volumekit.core.controller.ChangeFacts;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Shows each committed change to the watches of the controllers whose {@link WatchedKinds} include
 * it, in registration order (so the queue receives the same keys in the same order as if every
 * controller had been asked): a controller left out declared that its watch would queue nothing
 * for such a change.
 *
 * <p>Per kind and change type an index of the controllers shown it is built once (kinds are
 * open-ended: an application may store any kind, so the index fills as kinds appear). A controller
 * shown only changes of owned objects, or only when one of some {@link ChangeFact facts} holds,
 * carries that condition in the index; the change's facts are tested lazily, at most once per
 * change for all controllers ({@link ChangeFacts}: one instance reset for each change that some
 * controller asks facts of).
 */
final class ChangeRoutes {

  /**
   * The controllers shown changes of one kind and type, with their conditions: per controller,
   * whether only owned objects are shown, and the facts of which one must hold (empty: none asked).
   * Arrays, not lists: the dispatch loop reads them per routed change, and a list's {@code get} and
   * {@code isEmpty} there were calls on three list classes (profiled: 5% of the binding settle).
   */
  private record Route(int[] controllers, boolean[] ownedOnly, ChangeFact[][] facts) {
  }

  private final Controller[] controllers;
  private final List<WatchedKinds> watched;
  private final Consumer<ObjectKey>[] enqueuers;
  /** Kind -> per change type (its ordinal), the route. */
  private final Map<String, Route[]> routes = new HashMap<>();
  /** The facts of the change being dispatched: one instance, reset per change (made when first needed). */
  private ChangeFacts facts;

  /** Routes to these controllers, whose declarations are {@code watched} and queues {@code enqueuers} (same order). */
  ChangeRoutes(Controller[] controllers, List<WatchedKinds> watched, Consumer<ObjectKey>[] enqueuers) {
    this.controllers = controllers;
    this.watched = watched;
    this.enqueuers = enqueuers;
  }

  /** Calls the watches shown the change, in the state after it. */
  void dispatch(ClusterState s, Change c) {
    Route r = route(c.kind())[c.type().ordinal()];
    int[] shown = r.controllers;
    int owned = -1; // whether the object has owner references: looked at once, if someone asks
    boolean reset = false; // the facts are of this change: reset once, if someone has facts
    for (int j = 0; j < shown.length; j++) {
      if (r.ownedOnly[j]) {
        if (owned < 0) {
          owned = c.object().metadata().ownerReferences().isEmpty() ? 0 : 1;
        }
        if (owned == 0) {
          continue;
        }
      }
      ChangeFact[] f = r.facts[j];
      if (f.length != 0) {
        if (!reset) {
          facts = facts == null ? new ChangeFacts(s, c) : facts.reset(s, c);
          reset = true;
        }
        if (!facts.holdsAny(f)) {
          continue;
        }
      }
      int i = shown[j];
      controllers[i].watch(s, c, enqueuers[i]);
    }
  }

  private Route[] route(String kind) {
    Route[] r = routes.get(kind);
    if (r == null) {
      Change.Type[] types = Change.Type.values();
      r = new Route[types.length];
      for (Change.Type t : types) {
        int[] shown = new int[controllers.length];
        boolean[] ownedOnly = new boolean[controllers.length];
        ChangeFact[][] facts = new ChangeFact[controllers.length][];
        int n = 0;
        for (int i = 0; i < controllers.length; i++) {
          WatchedKinds w = watched.get(i);
          if (w.includes(kind, t)) {
            shown[n] = i;
            ownedOnly[n] = w.ownedOnlyTypes(kind).contains(t);
            facts[n] = w.conditions(kind, t).toArray(new ChangeFact[0]);
            n++;
          }
        }
        r[t.ordinal()] = new Route(Arrays.copyOf(shown, n), Arrays.copyOf(ownedOnly, n), Arrays.copyOf(facts, n));
      }
      routes.put(kind, r);
    }
    return r;
  }
}
