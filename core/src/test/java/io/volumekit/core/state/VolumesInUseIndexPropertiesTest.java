package io.volumekit.core.state;

import io.volumekit.core.key.ObjectKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.volumekit.core.api.Annotations;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.NodeBuilder;
import io.volumekit.model.meta.ObjectMeta;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link VolumesInUseIndex} holds exactly the parsed in-use annotation of every node, and {@link
 * VolumesInUseIndex#changed} is exactly the symmetric difference of two parsed values, for any
 * annotation text (unsorted, duplicated and empty entries, names that are prefixes of others).
 */
class VolumesInUseIndexPropertiesTest {

  private static final String[] NODES = {"node-1", "node-2"};
  private static final String[] TOKENS = {"pv-1", "pv-10", "pv-2", "v-1", "pv-1x", ""};

  @Test
  void indexAgreesWithParsingTheAnnotation() {
    qt().withExamples(300).forAll(lists().of(integers().between(0, 99_999)).ofSizeBetween(1, 40)).checkAssert(steps -> {
      ClusterState s = ClusterState.empty();
      for (int step : steps) {
        String node = NODES[step % 2];
        int rest = step / 2;
        if (rest % 7 == 0) {
          s = s.remove(ObjectKey.cluster(Node.KIND, node));
        } else {
          ObjectMeta meta = ObjectMeta.named(node);
          String value = annotation(rest / 7);
          if (!value.equals("-")) {
            meta = meta.withAnnotation(Annotations.VOLUMES_IN_USE, value);
          }
          s = s.put(NodeBuilder.builder().metadata(meta).build());
        }
        for (String n : NODES) {
          Set<String> expected = s.get(ObjectKey.cluster(Node.KIND, n), Node.class)
              .map(x -> naive(VolumesInUseIndex.annotation(x))).orElse(Set.of());
          assertThat(s.index(VolumesInUseIndex.class).inUse(n)).containsExactlyElementsOf(new TreeSet<>(expected));
        }
      }
    });
  }

  @Test
  void changedIsTheSymmetricDifference() {
    qt().withExamples(1000).forAll(integers().between(0, 9_999_999), integers().between(0, 9_999_999)).checkAssert((x, y) -> {
      String a = annotation(x).replace("-", ""); // no annotation reads as ""
      String b = annotation(y).replace("-", "");
      Set<String> expected = new TreeSet<>(naive(a));
      expected.addAll(naive(b));
      Set<String> both = new TreeSet<>(naive(a));
      both.retainAll(naive(b));
      expected.removeAll(both);
      assertThat(VolumesInUseIndex.changed(a, b)).containsExactlyElementsOf(expected);
    });
  }

  /** A value decoded from the integer: up to 5 entries from a small alphabet, or "-" for no annotation. */
  private static String annotation(int code) {
    if (code % 11 == 0) {
      return "-";
    }
    int len = code % 6;
    StringBuilder sb = new StringBuilder();
    int c = code / 6;
    for (int i = 0; i < len; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(TOKENS[c % TOKENS.length]);
      c /= TOKENS.length;
    }
    return sb.toString();
  }

  private static Set<String> naive(String value) {
    Set<String> out = new TreeSet<>();
    for (String t : List.of(value.split(","))) {
      if (!t.isEmpty() && !t.equals("-")) {
        out.add(t);
      }
    }
    return out;
  }
}
