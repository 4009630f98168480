package io.volumekit.core.controller;

import io.volumekit.core.api.Volumes;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.PodIndex;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ApiObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link ChangeFact}s of one committed change, in the state its watches see: each fact is
 * tested at most once, when first asked, and its answer is kept for the other controllers (the
 * first 64 facts created; later ones are tested on each question). Not shared between threads:
 * the runtime keeps one for its dispatch loop and {@link #reset resets} it for each change (no
 * allocation per change); a fact must not keep it.
 */
public final class ChangeFacts {

  private ClusterState state;
  private Change change;
  private ApiObject before;
  private ApiObject after;
  /** Bit {@code id}: the fact was tested; its answer is the same bit of {@link #holding}. */
  private long known;
  private long holding;
  private Optional<ObjectKey> claimKey;
  private Optional<PersistentVolumeClaim> claim;
  /** The pods of {@link #claimPods()}, or {@code null} until asked. */
  private List<Pod> claimPods;
  /** Whether the pods-by-claim index named some pod for the claims (found in the state or not). */
  private boolean claimIndexed;

  /** The facts of the change, read in the state after it. */
  public ChangeFacts(ClusterState state, Change change) {
    reset(state, change);
  }

  /** These facts, forgotten, now of another change (read in the state after it); returns this. */
  public ChangeFacts reset(ClusterState state, Change change) {
    this.state = Objects.requireNonNull(state, "state");
    this.change = Objects.requireNonNull(change, "change");
    this.before = change.before().orElse(null);
    this.after = change.after().orElse(null);
    known = 0;
    holding = 0;
    claimKey = null;
    claim = null;
    claimPods = null;
    claimIndexed = false;
    return this;
  }

  /** The state the watches are shown (after the change). */
  public ClusterState state() {
    return state;
  }

  /** The change. */
  public Change change() {
    return change;
  }

  /** Whether the fact holds for this change (tested once). */
  public boolean holds(ChangeFact fact) {
    int id = fact.id();
    if (id >= Long.SIZE) {
      return fact.test(this);
    }
    long bit = 1L << id;
    if ((known & bit) == 0) {
      if (fact.test(this)) {
        holding |= bit;
      }
      known |= bit;
    }
    return (holding & bit) != 0;
  }

  /** Whether one of the facts holds (asked in order, up to the first that does). */
  public boolean holdsAny(List<ChangeFact> facts) {
    for (int i = 0; i < facts.size(); i++) { // the runtime asks this per routed change: no iterator
      if (holds(facts.get(i))) {
        return true;
      }
    }
    return false;
  }

  /** Whether one of the facts holds (asked in order, up to the first that does): the runtime's form. */
  public boolean holdsAny(ChangeFact[] facts) {
    for (ChangeFact f : facts) {
      if (holds(f)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The claim the change is about: a claim's own key, or the claim a PersistentVolume's claimRef
   * names after the change; empty for other kinds and for a deleted volume.
   */
  public Optional<ObjectKey> claimKey() {
    if (claimKey == null) {
      if (change.kind().equals(PersistentVolumeClaim.KIND)) {
        claimKey = Optional.of(change.key());
      } else if (after instanceof PersistentVolume pv) {
        claimKey = Volumes.claimRefKey(pv);
      } else {
        claimKey = Optional.empty();
      }
    }
    return claimKey;
  }

  /**
   * The claim of {@link #claimKey()} as it is now: a claim change's own object after it, or the
   * volume's claim read from the state (looked up once for every controller that asks).
   */
  public Optional<PersistentVolumeClaim> claim() {
    if (claim == null) {
      if (change.kind().equals(PersistentVolumeClaim.KIND)) {
        claim = change.afterAs(PersistentVolumeClaim.class);
      } else {
        claim = claimKey().flatMap(k -> state.get(k, PersistentVolumeClaim.class));
      }
    }
    return claim;
  }

  /**
   * The pods using the claims of the change ({@link PodIndex#podsUsing}, read from the state once
   * for every fact that asks): a claim's own key, or the claims a PersistentVolume's claimRef names
   * before and after the change. Empty for other kinds.
   */
  public List<Pod> claimPods() {
    if (claimPods == null) {
      claimPods = List.of();
      if (change.kind().equals(PersistentVolumeClaim.KIND)) {
        addPods(Optional.of(change.key()));
      } else if (change.kind().equals(PersistentVolume.KIND)) {
        Optional<ObjectKey> b = before instanceof PersistentVolume pv ? Volumes.claimRefKey(pv) : Optional.empty();
        Optional<ObjectKey> a = claimKey(); // the claimRef after the change, read once for both
        addPods(b);
        if (!a.equals(b)) {
          addPods(a);
        }
      }
    }
    return claimPods;
  }

  /**
   * Whether one of the {@link #claimPods()} is placed on a node ({@code placed}) or is not yet
   * ({@code !placed}): a loop, no stream (the claim facts ask this for every claim or volume change).
   */
  public boolean anyClaimPod(boolean placed) {
    List<Pod> pods = claimPods();
    for (int i = 0; i < pods.size(); i++) {
      if (pods.get(i).nodeName().isPresent() == placed) {
        return true;
      }
    }
    return false;
  }

  /** Whether the pods-by-claim index names some pod for the claims of {@link #claimPods()}. */
  boolean claimIndexed() {
    claimPods();
    return claimIndexed;
  }

  private void addPods(Optional<ObjectKey> claim) {
    if (claim.isEmpty()) {
      return;
    }
    for (ObjectKey k : state.index(PodIndex.class).podsUsing(claim.get())) {
      claimIndexed = true;
      Optional<Pod> p = state.get(k, Pod.class);
      if (p.isPresent()) {
        if (claimPods.isEmpty()) {
          claimPods = new ArrayList<>(2);
        }
        claimPods.add(p.get());
      }
    }
  }

  /** The object before the change, or {@code null} if it was added. */
  ApiObject b() {
    return before;
  }

  /** The object after the change, or {@code null} if it was deleted. */
  ApiObject a() {
    return after;
  }
}
