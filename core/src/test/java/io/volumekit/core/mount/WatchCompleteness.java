package io.volumekit.core.mount;

import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.ForwardingController;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.storage.VolumeAttachment;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Checks, for every change a wrapped controller's watch is shown in a running engine, that the
 * watch leaves out no key the change can give work: for every key of the controller's kind that
 * the watch did not queue, a reconcile that decided nothing in the state just before the change
 * still decides nothing just after it. (A key whose reconcile had work before the change is queued
 * already, so the watch need not queue it again.) The state before is the state after with only
 * that change undone.
 */
final class WatchCompleteness {

  /** Skipped keys whose reconcile was empty before the change (the meaningful checks), per controller. */
  final Map<String, long[]> checked = new TreeMap<>();
  final List<String> violations = new ArrayList<>();
  private final Set<String> names;
  /** The keys to check for a change (in the state after it), or {@code null} for every key of the controller's kinds. */
  private final java.util.function.BiFunction<ClusterState, Change, Set<ObjectKey>> candidates;

  WatchCompleteness(Set<String> controllers) {
    this(controllers, null);
  }

  /**
   * Checks only the candidate keys of each change: for a watch that filters another's keys, the
   * keys that other would queue (so that only what the filter leaves out is checked).
   */
  WatchCompleteness(Set<String> controllers, java.util.function.BiFunction<ClusterState, Change, Set<ObjectKey>> candidates) {
    this.names = controllers;
    this.candidates = candidates;
  }

  /**
   * The controller, key and decision of the last reconcile: its writes are the changes dispatched
   * next. That key was taken off the queue, so only a watch can queue it again.
   */
  private String lastController = "";
  private ObjectKey lastKey;
  private Set<ObjectKey> lastWrites = Set.of();
  private List<io.volumekit.core.controller.EventRecord> lastEvents = List.of();

  /** Wraps the named controllers of an engine's list (and notes every controller's reconciles). */
  UnaryOperator<List<Controller>> wrap() {
    return list -> {
      list.replaceAll(c -> wrapped(c, names.contains(c.name())));
      return list;
    };
  }

  /**
   * Replays a node-side history ({@link NodeSidePropertiesTest.Run}) on an engine whose controllers
   * this check wraps: each op through {@code step}, then the engine settles and cleans up.
   */
  void replayNodeSide(long seed, List<Long> ops, java.util.function.BiConsumer<NodeSidePropertiesTest.Run, Long> step) {
    NodeSidePropertiesTest.Run r = new NodeSidePropertiesTest.Run(seed,
        b -> b.controllers(wrap()).effectListener(completions()));
    for (long op : ops) {
      step.accept(r, op);
    }
    r.k.kit.settle();
    r.cleanUp();
  }

  /**
   * Notes the owners of finished effects as queued: the runtime queues an effect's owner when its
   * outcome is recorded (at once on success, after the backoff on failure), so a controller's own
   * write need not queue its key again for the work that outcome brings.
   */
  io.volumekit.core.runtime.EffectListener completions() {
    return new io.volumekit.core.runtime.EffectListener() {
      @Override
      public void started(io.volumekit.core.effect.Effect effect, int attempt) {}

      @Override
      public void finished(io.volumekit.core.effect.Effect effect, io.volumekit.core.runtime.EffectOutcome outcome) {
        queuedSince.add(effect.controller() + " " + effect.owner());
      }
    };
  }

  /** Keys queued (controller and key) by the changes of the last reconcile. */
  private final Set<String> queuedSince = new java.util.HashSet<>();

  /** Own keys skipped by some change of the last reconcile's writes, with their controller. */
  private final Map<ObjectKey, Controller> ownSkipped = new java.util.LinkedHashMap<>();
  private final Map<ObjectKey, List<io.volumekit.core.controller.EventRecord>> ownEvents = new java.util.HashMap<>();

  /**
   * Before the next reconcile (whose state has the last decision applied: its writes, forgotten
   * operations and started effects): a key whose reconcile made changes that none of its watch's
   * calls queued again must have nothing left to do.
   */
  private void checkOwnKeys(ClusterState now) {
    ownSkipped.forEach((k, c) -> {
      if (!queuedSince.contains(c.name() + " " + k)) {
        checked.computeIfAbsent(c.name(), n -> new long[1])[0]++;
        Decision d = c.reconcile(now, k);
        // Only the same events again (the attach/detach controller's Multi-Attach report) is not work
        // left: a controller reports them on each sync, and no watch queues a sync to repeat them.
        boolean sameEvents = d.writes().isEmpty() && onlyScheduled(now, d) && d.forget().isEmpty()
            && d.acknowledge().isEmpty() && d.scheduled().isEmpty() && d.handoffs().isEmpty() && d.enqueue().isEmpty()
            && d.requeueAfter().isEmpty()
            && ownEvents.get(k).containsAll(d.events());
        if (!idle(now, d) && !sameEvents) {
          violations.add(c.name() + " did not queue " + k + " after its own writes, but it decides " + d);
        }
      }
    });
    ownSkipped.clear();
    ownEvents.clear();
    queuedSince.clear();
  }

  private Decision noted(Controller c, ObjectKey key, Decision d) {
    lastController = c.name();
    lastKey = key;
    lastWrites = new java.util.HashSet<>();
    d.writes().forEach(w -> lastWrites.add(w.key()));
    lastEvents = d.events();
    return d;
  }

  /** The controller, noting its reconciles, and checking its watch if {@code checked}. */
  private Controller wrapped(Controller c, boolean checked) {
    return new ForwardingController(c) {
      @Override
      public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
        c.watch(state, change, k -> {
          queuedSince.add(c.name() + " " + k);
          enqueue.accept(k);
        });
        if (checked) {
          check(c, state, change);
        }
      }

      @Override
      public Decision reconcile(ClusterState state, ObjectKey key) {
        checkOwnKeys(state);
        return noted(c, key, c.reconcile(state, key));
      }
    };
  }

  /**
   * The runtime shows a watch the state after every write of a decision; the check compares the
   * two states that differ by this change alone (the runtime's state with the object as it was and
   * as it is after the change), and asks the watch about that change in the latter.
   */
  private void check(Controller c, ClusterState state, Change change) {
    ClusterState before = change.before().isPresent() ? state.put(change.before().get()) : state.remove(change.key());
    ClusterState after = change.after().isPresent() ? state.put(change.after().get()) : state.remove(change.key());
    Set<ObjectKey> queued = new LinkedHashSet<>();
    c.watch(after, change, queued::add);
    for (ObjectKey k : candidates != null ? candidates.apply(after, change) : universe(c.name(), before, after)) {
      if (queued.contains(k)) {
        continue;
      }
      Decision was = c.reconcile(before, k);
      if (!idle(before, was)) {
        if (c.name().equals(lastController) && k.equals(lastKey) && lastWrites.contains(change.key())) {
          // The key whose reconcile made this change was taken off the queue: checked before the
          // next reconcile, unless another change of the same decision queues it.
          ownSkipped.put(k, c);
          ownEvents.put(k, lastEvents);
        }
        continue; // its work is queued already
      }
      checked.computeIfAbsent(c.name(), n -> new long[1])[0]++;
      Decision now = c.reconcile(after, k);
      if (!idle(after, now)) {
        violations.add(c.name() + " skipped " + k + " on " + change.type() + " " + change.key() + " but now decides "
            + now + "\n  before: " + change.before() + "\n  after: " + change.after());
      }
    }
  }

  /**
   * Whether the decision has no work: it is empty, or it only asks again for effects whose
   * operations are scheduled ({@code PeriodicEffect}: a controller cannot tell whether their time
   * has come, so it asks on every reconcile). Such an effect is not due (the runtime then only
   * keeps the timer it has), or its timer has fired and queued its owner already.
   */
  static boolean idle(ClusterState state, Decision d) {
    return d.isEmpty() || (d.writes().isEmpty() && d.events().isEmpty() && d.forget().isEmpty()
        && d.acknowledge().isEmpty() && d.scheduled().isEmpty() && d.handoffs().isEmpty() && d.enqueue().isEmpty()
        && d.requeueAfter().isEmpty() && onlyScheduled(state, d));
  }

  /** Whether each effect of the decision is one whose operation is scheduled (see {@link #idle}). */
  private static boolean onlyScheduled(ClusterState state, Decision d) {
    for (io.volumekit.core.effect.Effect e : d.effects()) {
      if (!state.operation(e.id()).filter(io.volumekit.core.effect.Operation::scheduled).isPresent()) {
        return false;
      }
    }
    return true;
  }

  /** The keys the controller reconciles that exist in either state. */
  private static Set<ObjectKey> universe(String controller, ClusterState before, ClusterState after) {
    Set<ObjectKey> out = new TreeSet<>();
    for (ClusterState s : List.of(before, after)) {
      switch (controller) {
        case PodVolumeController.NAME, "default-scheduler" -> keys(s, Pod.KIND, out);
        case DeviceStagingController.NAME -> {
          for (ApiObject n : s.list(Node.KIND)) {
            for (ApiObject pv : s.list(PersistentVolume.KIND)) {
              out.add(new NodeVolumeKey.Device(n.metadata().name(), pv.metadata().name()).objectKey());
            }
          }
        }
        case "csi-attacher" -> {
          keys(s, VolumeAttachment.KIND, out);
          keys(s, PersistentVolume.KIND, out);
        }
        case "provisioning", "pvc-protection" -> keys(s, PersistentVolumeClaim.KIND, out);
        default -> keys(s, PersistentVolume.KIND, out); // attach/detach, reclaim, pv-protection
      }
    }
    return out;
  }

  private static void keys(ClusterState s, String kind, Set<ObjectKey> out) {
    for (ApiObject o : s.list(kind)) {
      out.add(ObjectKey.of(o));
    }
  }
}
