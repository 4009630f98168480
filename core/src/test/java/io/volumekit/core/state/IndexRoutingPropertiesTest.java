package io.volumekit.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.volumekit.core.key.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link IndexRouting#forKind} shows a kind to exactly the indexes that declare it or every kind,
 * in index order, for any declarations: kinds asked as other instances than the declared ones,
 * kinds no index declares, kinds whose hashes collide in their low bits (so that its table of kinds
 * must grow, or give way to the map), and many kinds.
 */
class IndexRoutingPropertiesTest {

  /** Kind names: real ones, "Aa"/"BB" (equal hashes), and numbered ones. */
  private static String kind(int i) {
    return switch (i % 8) {
      case 0 -> "Aa";
      case 1 -> "BB";
      case 2 -> "PersistentVolume";
      case 3 -> "PersistentVolumeClaim";
      default -> "Kind" + i;
    };
  }

  /** An index declaring the kinds, or every kind for {@code null}. */
  private static ObjectIndex declaring(Set<String> kinds) {
    return new ObjectIndex() {
      @Override
      public ObjectIndex apply(Change change) {
        return this;
      }

      @Override
      public Optional<Set<String>> kinds() {
        return Optional.ofNullable(kinds);
      }
    };
  }

  @Test
  void routesEachKindToTheIndexesThatDeclareIt() {
    qt().withExamples(300).forAll(lists().of(lists().of(integers().between(-1, 300)).ofSizeBetween(0, 12))
        .ofSizeBetween(0, 10), integers().between(-1, 300)).checkAssert((declarations, asked) -> {
          List<Set<String>> kinds = new ArrayList<>();
          for (List<Integer> d : declarations) {
            Set<String> s = new TreeSet<>();
            boolean any = false;
            for (int k : d) {
              if (k < 0) {
                any = true;
              } else {
                s.add(kind(k));
              }
            }
            kinds.add(any ? null : s);
          }
          ObjectIndex[] indexes = kinds.stream().map(IndexRoutingPropertiesTest::declaring).toArray(ObjectIndex[]::new);
          IndexRouting routing = new IndexRouting(indexes);
          for (int k = 0; k <= 300; k += asked < 0 ? 1 : 301) {
            String kind = new String(kind(asked < 0 ? k : asked)); // not the declared instance
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < kinds.size(); i++) {
              if (kinds.get(i) == null || kinds.get(i).contains(kind)) {
                expected.add(i);
              }
            }
            assertThat(routing.forKind(kind)).as(kind).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
          }
        });
  }
}
