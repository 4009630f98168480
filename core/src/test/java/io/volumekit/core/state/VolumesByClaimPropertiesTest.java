package io.volumekit.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link VolumesByClaim} behaves as a map of sorted sets under any sequence of additions and
 * removals, including claims whose hashes collide (in whole, and in their first five-bit groups),
 * and every older version stays what it was.
 */
class VolumesByClaimPropertiesTest {

  /**
   * Claim names: "Aa" and "BB" have equal hashes, so every pair of namespaces below collides in
   * whole; the numbered names fill the trie several levels deep.
   */
  private static String[] claim(int i) {
    String[] namespaces = {"Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa"};
    return new String[] {namespaces[i % namespaces.length], i % 3 == 0 ? "AaBB" : "claim-" + (i % 400)};
  }

  @Test
  void agreesWithAMapOfSortedSets() {
    qt().withExamples(50).forAll(lists().of(integers().between(0, 99_999)).ofSizeBetween(1, 80)).checkAssert(steps -> {
      VolumesByClaim map = VolumesByClaim.EMPTY;
      Map<List<String>, TreeSet<String>> model = new HashMap<>();
      List<VolumesByClaim> versions = new ArrayList<>();
      List<Map<List<String>, Set<String>>> contents = new ArrayList<>();
      for (int step : steps) {
        int run = step % 10 == 0 ? 300 : 1; // many claims at once: deep tries, then emptied again
        for (int k = 0; k < run; k++) {
          String[] c = claim(step / 4 + k * 13);
          String volume = "pv-" + (step / 8 + k) % 3;
          List<String> key = List.of(c[0], c[1]);
          if (step % 2 == 0) {
            map = map.plus(c[0], c[1], volume);
            model.computeIfAbsent(key, x -> new TreeSet<>()).add(volume);
          } else {
            map = map.minus(c[0], c[1], volume);
            if (model.containsKey(key)) {
              model.get(key).remove(volume);
              if (model.get(key).isEmpty()) {
                model.remove(key);
              }
            }
          }
        }
        Map<List<String>, Set<String>> snapshot = new HashMap<>();
        for (int i = 0; i < 1_200; i += 7) {
          String[] c = claim(i);
          Set<String> expected = model.getOrDefault(List.of(c[0], c[1]), new TreeSet<>());
          assertThat(map.get(c[0], c[1])).containsExactlyElementsOf(expected);
          snapshot.put(List.of(c[0], c[1]), Set.copyOf(expected));
        }
        versions.add(map);
        contents.add(snapshot);
      }
      for (int v = 0; v < versions.size(); v++) {
        for (Map.Entry<List<String>, Set<String>> e : contents.get(v).entrySet()) {
          assertThat(versions.get(v).get(e.getKey().get(0), e.getKey().get(1))).containsExactlyInAnyOrderElementsOf(e.getValue());
        }
      }
    });
  }

  @Test
  void unchangedMapsAreTheSameInstance() {
    VolumesByClaim m = VolumesByClaim.EMPTY.plus("ns", "c", "pv-1");
    assertThat(m.plus("ns", "c", "pv-1")).isSameAs(m);
    assertThat(m.minus("ns", "c", "pv-2")).isSameAs(m);
    assertThat(m.minus("ns", "d", "pv-1")).isSameAs(m);
    assertThat(m.plus("ns", "c", "pv-0").get("ns", "c")).containsExactly("pv-0", "pv-1");
    assertThat(m.minus("ns", "c", "pv-1").get("ns", "c")).isEmpty();
  }
}
