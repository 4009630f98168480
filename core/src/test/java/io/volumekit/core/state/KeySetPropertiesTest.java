package io.volumekit.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.volumekit.core.key.ObjectKey;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link KeySet} behaves as a {@link TreeSet} of keys (key order: kind, namespace, name) under any
 * additions and removals, with names whose packed prefixes tie, differ past 16 characters, contain
 * character 0 or characters above 255, and namespaces and kinds that are equal but not the same
 * instance.
 */
class KeySetPropertiesTest {

  private static final String[] NAMES = {
    "", "a", "a\0", "claim-0000001", "claim-0000002", "claim-00000010", "claim-0000000000000001",
    "claim-0000000000000002", "\u0101b", "\u00e9", "b", "claim-000000000000000"
  };

  private static ObjectKey key(int i) {
    String kind = i % 5 == 0 ? new String("PersistentVolumeClaim") : "PersistentVolumeClaim";
    if (i % 17 == 0) {
      kind = "Pod";
    }
    String namespace = (i / 5) % 3 == 0 ? new String("default") : (i / 5) % 3 == 1 ? "default" : "other";
    return new ObjectKey(kind, namespace, NAMES[(i / 15) % NAMES.length] + (i % 2 == 0 ? "" : "x"));
  }

  @Test
  void agreesWithATreeSetOfKeys() {
    qt().withExamples(300).forAll(lists().of(integers().between(0, 9_999)).ofSizeBetween(1, 200)).checkAssert(steps -> {
      KeySet set = KeySet.EMPTY;
      TreeSet<ObjectKey> model = new TreeSet<>();
      for (int step : steps) {
        ObjectKey k = key(step / 2);
        if (step % 2 == 0) {
          set = set.plus(k);
          model.add(k);
        } else {
          set = set.minus(k);
          model.remove(k);
        }
        assertThat(set.contains(k)).isEqualTo(model.contains(k));
        assertThat(set.contains(key(step / 2 + 1))).isEqualTo(model.contains(key(step / 2 + 1)));
      }
      assertThat(set).containsExactlyElementsOf(model);
      assertThat(set.size()).isEqualTo(model.size());
    });
  }
}
