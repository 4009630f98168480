package io.volumekit.core.runtime;

import io.volumekit.core.effect.EffectId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The runtime's timers for scheduled operations (periodic kubelet work: republishes, volume
 * statistics, token refreshes): at its due time a timer queues the owner of the operations that
 * wait on it, so that the owner starts them. One timer per (due, owner) pair, however often an
 * owner asks for it (a scheduled operation's owner asks again on each reconcile until it is due).
 *
 * <p>A timer lives only while some scheduled operation waits on it: when the last one is forgotten
 * ({@link #forgotten}) or moves to another timer, the timer goes. Its firing would only have
 * reconciled an owner with nothing scheduled then (an owner is queued by the changes and outcomes
 * that give it work; a timer is there to start what was scheduled). Without this, an engine whose
 * {@link ManualClock} never moves (benchmarks, deterministic embeddings) kept one timer per pod
 * lifecycle forever, its statistics operation having been forgotten at teardown.
 *
 * <p>Timers are a sorted set by (due, creation), and two hash maps find a timer by (due, owner) and
 * by waiting operation: adding, releasing and taking the next due timer are O(log n) (a {@code
 * PriorityQueue} removes an arbitrary element in O(n)). Not thread-safe (the runtime's monitor).
 */
final class ScheduledTimers {

  /** A timer's place in time: when, and whom it queues. Equal pairs share one timer. */
  private static final class Slot {
    final Instant due;
    final WorkQueue.Item item;

    Slot(Instant due, WorkQueue.Item item) {
      this.due = due;
      this.item = item;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Slot s && due.equals(s.due) && item.equals(s.item);
    }

    @Override
    public int hashCode() {
      return 31 * due.hashCode() + item.hashCode();
    }
  }

  /** A pending timer and the operations waiting on it (usually one). */
  private static final class Pending implements Comparable<Pending> {
    final Slot slot;
    final long seq;
    final List<EffectId> waiting = new ArrayList<>(1);

    Pending(Slot slot, long seq) {
      this.slot = slot;
      this.seq = seq;
    }

    @Override
    public int compareTo(Pending o) {
      int c = slot.due.compareTo(o.slot.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final TreeSet<Pending> byDue = new TreeSet<>();
  private final Map<Slot, Pending> bySlot = new HashMap<>();
  private final Map<EffectId, Pending> byOperation = new HashMap<>();
  private long seq;

  /**
   * The operation {@code id}, owned by {@code item}, waits for {@code due}: a timer then queues
   * {@code item} (the one already pending for that pair, else a new one).
   */
  void arm(Instant due, WorkQueue.Item item, EffectId id) {
    Slot slot = new Slot(Objects.requireNonNull(due, "due"), Objects.requireNonNull(item, "item"));
    Pending p = bySlot.get(slot);
    if (p == null) {
      p = new Pending(slot, seq++);
      bySlot.put(slot, p);
      byDue.add(p);
    }
    Pending was = byOperation.put(Objects.requireNonNull(id, "id"), p);
    if (was != p) {
      p.waiting.add(id);
      if (was != null) {
        release(was, id);
      }
    }
  }

  /** The operation is forgotten: its timer goes if nothing else waits on it. */
  void forgotten(EffectId id) {
    if (byOperation.isEmpty()) {
      return; // no hashing of the id when nothing is scheduled (most forgotten operations)
    }
    Pending p = byOperation.remove(id);
    if (p != null) {
      release(p, id);
    }
  }

  private void release(Pending p, EffectId id) {
    p.waiting.remove(id);
    if (p.waiting.isEmpty()) {
      bySlot.remove(p.slot);
      byDue.remove(p);
    }
  }

  /** Whether no timer is pending. */
  boolean isEmpty() {
    return byDue.isEmpty();
  }

  /** The due time of the next timer, or {@code null} if none is pending. */
  Instant nextDue() {
    return byDue.isEmpty() ? null : byDue.first().slot.due;
  }

  /** Takes the timers due at or before {@code now}, in (due, creation) order, handing each owner to {@code fire}. */
  void fireDue(Instant now, Consumer<WorkQueue.Item> fire) {
    while (!byDue.isEmpty() && !byDue.first().slot.due.isAfter(now)) {
      Pending p = byDue.pollFirst();
      bySlot.remove(p.slot);
      for (EffectId id : p.waiting) {
        byOperation.remove(id, p);
      }
      fire.accept(p.slot.item);
    }
  }

  /** The number of pending timers. */
  int size() {
    return byDue.size();
  }
}
