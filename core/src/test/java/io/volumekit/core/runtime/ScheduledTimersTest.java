package io.volumekit.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.volumekit.core.effect.EffectId;
import io.volumekit.core.key.ObjectKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The runtime's timers for scheduled operations: one per (due, owner) pair, kept while an
 * operation waits on it, fired in (due, creation) order.
 */
class ScheduledTimersTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static WorkQueue.Item item(int i) {
    return new WorkQueue.Item(i % 2, ObjectKey.namespaced("Pod", "default", "p" + i));
  }

  private static EffectId id(int i) {
    return EffectId.of("stats/" + i);
  }

  @Test
  void aTimerGoesWithTheLastOperationWaitingOnIt() {
    ScheduledTimers t = new ScheduledTimers();
    t.arm(T0.plusSeconds(60), item(1), id(1));
    t.arm(T0.plusSeconds(60), item(1), id(1)); // asked again on the owner's next reconcile
    t.arm(T0.plusSeconds(60), item(1), id(2)); // another operation of the same owner, same time
    assertThat(t.size()).isEqualTo(1);
    t.forgotten(id(1));
    assertThat(t.size()).isEqualTo(1);
    t.forgotten(id(2));
    assertThat(t.isEmpty()).isTrue();
    assertThat(t.nextDue()).isNull();
    List<WorkQueue.Item> fired = new ArrayList<>();
    t.fireDue(T0.plusSeconds(3600), fired::add);
    assertThat(fired).isEmpty();
  }

  @Test
  void aFiredTimerQueuesItsOwnerOnceAndForgetsItsOperations() {
    ScheduledTimers t = new ScheduledTimers();
    t.arm(T0.plusSeconds(60), item(1), id(1));
    t.arm(T0.plusSeconds(60), item(1), id(2));
    t.arm(T0.plusSeconds(30), item(2), id(3));
    List<WorkQueue.Item> fired = new ArrayList<>();
    t.fireDue(T0.plusSeconds(59), fired::add);
    assertThat(fired).containsExactly(item(2));
    t.fireDue(T0.plusSeconds(60), fired::add);
    assertThat(fired).containsExactly(item(2), item(1));
    // re-armed for the same time after it fired: a new timer, which forgetting the old waits leaves alone
    t.arm(T0.plusSeconds(60), item(1), id(4));
    t.forgotten(id(1));
    assertThat(t.size()).isEqualTo(1);
  }

  /**
   * Random arms, forgets and firings give the timers of a simple model: a list of (due, owner)
   * slots in creation order, each with the set of operations waiting on it, a slot removed when
   * its set is empty; fired in (due, creation) order.
   */
  @Test
  void behavesAsTheListOfSlotsWithTheirWaitingOperations() {
    qt().withFixedSeed(20261207L).withExamples(400)
        .forAll(lists().of(integers().between(0, 99_999)).ofSizeBetween(1, 200))
        .checkAssert(steps -> {
          ScheduledTimers t = new ScheduledTimers();
          Model m = new Model();
          for (int step : steps) {
            int op = step % 10;
            int due = (step / 10) % 5;
            int owner = (step / 50) % 4;
            int id = (step / 200) % 8;
            if (op < 5) {
              t.arm(T0.plusSeconds(due), item(owner), id(id));
              m.arm(due, owner, id);
            } else if (op < 8) {
              t.forgotten(id(id));
              m.forgotten(id);
            } else {
              List<WorkQueue.Item> fired = new ArrayList<>();
              t.fireDue(T0.plusSeconds(due), fired::add);
              assertThat(fired).isEqualTo(m.fireDue(due).stream().map(ScheduledTimersTest::item).toList());
            }
            assertThat(t.size()).isEqualTo(m.slots.size());
            assertThat(t.nextDue()).isEqualTo(m.slots.stream().mapToInt(s -> s.due).min().stream()
                .mapToObj(T0::plusSeconds).findFirst().orElse(null));
          }
        });
  }

  /** The model: slots in creation order. */
  private static final class Model {
    private static final class Slot {
      final int due;
      final int owner;
      final long created;
      final Set<Integer> waiting = new HashSet<>();

      Slot(int due, int owner, long created) {
        this.due = due;
        this.owner = owner;
        this.created = created;
      }
    }

    final List<Slot> slots = new ArrayList<>();
    private long created;

    void arm(int due, int owner, int id) {
      Slot target = slots.stream().filter(s -> s.due == due && s.owner == owner).findFirst().orElse(null);
      if (target == null) {
        target = new Slot(due, owner, created++);
        slots.add(target);
      }
      if (target.waiting.contains(id)) {
        return;
      }
      forgotten(id);
      target.waiting.add(id);
    }

    void forgotten(int id) {
      for (Slot s : slots) {
        if (s.waiting.remove(id)) {
          if (s.waiting.isEmpty()) {
            slots.remove(s);
          }
          return;
        }
      }
    }

    List<Integer> fireDue(int now) {
      List<Slot> due = slots.stream().filter(s -> s.due <= now)
          .sorted(Comparator.<Slot>comparingInt(s -> s.due).thenComparingLong(s -> s.created)).toList();
      slots.removeAll(due);
      return due.stream().map(s -> s.owner).toList();
    }
  }
}
