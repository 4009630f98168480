package io.volumekit.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.volumekit.core.key.ObjectKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runtime's work queue behaves as the insertion-ordered set it replaced: FIFO, a pair queued
 * while it waits keeps its place, a pair taken or removed can be queued again at the end.
 */
class WorkQueueTest {

  @Test
  void aPairQueuedWhileWaitingKeepsItsPlace() {
    WorkQueue q = new WorkQueue();
    ObjectKey a = ObjectKey.cluster("PersistentVolume", "a");
    ObjectKey b = ObjectKey.cluster("PersistentVolume", "b");
    q.add(0, a);
    q.add(1, a);
    q.add(0, b);
    q.add(0, new ObjectKey("PersistentVolume", "", "a")); // equal key, other instance
    assertThat(q.size()).isEqualTo(3);
    assertThat(q.poll().toString()).isEqualTo("0:" + a);
    q.add(0, a); // taken, so queued again at the end
    assertThat(List.of(q.poll().toString(), q.poll().toString(), q.poll().toString()))
        .containsExactly("1:" + a, "0:" + b, "0:" + a);
    assertThat(q.poll()).isNull();
    assertThat(q.isEmpty()).isTrue();
  }

  /**
   * Random adds, polls, removals and adds of a taken item (enough keys to grow the table, to
   * rebuild it without the items taken, and to make probe chains wrap around its end) give the same
   * order as a LinkedHashSet of (controller, key) pairs.
   */
  @Test
  void behavesAsAnInsertionOrderedSet() {
    qt().withFixedSeed(20261207L).withExamples(300)
        .forAll(lists().of(integers().between(0, 9_999)).ofSizeBetween(1, 400))
        .checkAssert(steps -> {
          WorkQueue q = new WorkQueue();
          LinkedHashSet<String> model = new LinkedHashSet<>();
          WorkQueue.Item polled = null; // the last item taken, added back as the runtime does
          for (int step : steps) {
            int op = step % 10;
            int controller = (step / 10) % 3;
            ObjectKey key = ObjectKey.namespaced("Pod", "default", "p" + (step / 30) % 97);
            String pair = controller + ":" + key;
            if (op == 5 && polled != null) {
              q.add(polled);
              model.add(polled.toString());
            } else if (op < 6) {
              q.add(controller, key);
              model.add(pair);
            } else if (op < 9) {
              WorkQueue.Item head = q.poll();
              Iterator<String> it = model.iterator();
              if (it.hasNext()) {
                assertThat(head).isNotNull();
                assertThat(head.toString()).isEqualTo(it.next());
                it.remove();
                polled = head;
              } else {
                assertThat(head).isNull();
              }
            } else {
              assertThat(q.remove(new WorkQueue.Item(controller, key))).isEqualTo(model.remove(pair));
            }
            assertThat(q.size()).isEqualTo(model.size());
          }
          List<String> rest = new ArrayList<>();
          for (WorkQueue.Item i; (i = q.poll()) != null; ) {
            rest.add(i.toString());
          }
          assertThat(rest).containsExactlyElementsOf(model);
        });
  }

  /**
   * Taken items stay in the table only until it would be half full: a queue that never holds more
   * than one item keeps its first table, however many distinct pairs pass through it.
   */
  @Test
  void takenItemsDoNotGrowTheTable() {
    WorkQueue q = new WorkQueue();
    int first = q.capacity();
    for (int n = 0; n < 100_000; n++) {
      q.add(0, ObjectKey.namespaced("Pod", "default", "p" + n));
      assertThat(q.poll().key.name()).isEqualTo("p" + n);
    }
    assertThat(q.capacity()).isEqualTo(first);
    assertThat(q.isEmpty()).isTrue();
  }
}
