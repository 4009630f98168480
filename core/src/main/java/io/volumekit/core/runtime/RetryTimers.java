package io.volumekit.core.runtime;

import java.time.Instant;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The runtime's timers for retries and requeues: a failed effect's owner after its backoff, a key
 * whose write failed, a decision's {@code requeueAfter}. Due timers queue their (controller, key)
 * in the order of their due time, then of their creation, which keeps a run with a manual clock
 * deterministic. Unlike {@link ScheduledTimers} (periodic work), these count as work left to do:
 * {@code settle()} waits for those due within its horizon. A binary heap: adding and taking the
 * next due timer are O(log n), and a timer is never removed before it fires. Not thread-safe (the
 * runtime's monitor).
 */
final class RetryTimers {

  private record Timer(Instant due, long seq, WorkQueue.Item item) implements Comparable<Timer> {
    @Override
    public int compareTo(Timer o) {
      int c = due.compareTo(o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private long seq;

  /** Queues {@code item} when {@code due} has come. */
  void add(Instant due, WorkQueue.Item item) {
    timers.add(new Timer(due, seq++, item));
  }

  boolean isEmpty() {
    return timers.isEmpty();
  }

  int size() {
    return timers.size();
  }

  /** When the next timer is due, if any waits. */
  Optional<Instant> nextDue() {
    Timer t = timers.peek();
    return t == null ? Optional.empty() : Optional.of(t.due());
  }

  /** Hands the items of the timers due at {@code now} to {@code to}, in order, and drops them. */
  void fireDue(Instant now, Consumer<WorkQueue.Item> to) {
    while (!timers.isEmpty() && !timers.peek().due().isAfter(now)) {
      to.accept(timers.poll().item());
    }
  }

  /** Each waiting timer's due time and item, in no particular order (diagnostics). */
  void forEach(BiConsumer<Instant, WorkQueue.Item> each) {
    for (Timer t : timers) {
      each.accept(t.due(), t.item());
    }
  }
}
