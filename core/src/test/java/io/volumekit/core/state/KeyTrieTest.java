package io.volumekit.core.state;

import static io.volumekit.core.Fixtures.pv;
import static io.volumekit.core.Fixtures.pvc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.meta.ApiObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyTrie} against a plain map: random puts and removes, including keys whose hashes are
 * equal (names made of "Aa" and "BB", which Java's String hash cannot tell apart) and keys that
 * differ only in kind or namespace; every older snapshot must still answer as it did.
 */
class KeyTrieTest {

  private static final List<String> NAMES = new ArrayList<>();

  static {
    for (String a : List.of("Aa", "BB")) {
      for (String b : List.of("Aa", "BB")) {
        for (String c : List.of("Aa", "BB")) {
          NAMES.add(a + b + c);
        }
      }
    }
    for (int i = 0; i < 200; i++) {
      NAMES.add("pv-" + i);
    }
  }

  private static final List<ObjectKey> KEYS = new ArrayList<>();

  static {
    for (int i = 0; i < 3 * NAMES.size(); i++) {
      KEYS.add(ObjectKey.of(object(i, 0)));
    }
  }

  /** Object {@code i % pool}: a PV, or a claim in one of two namespaces, of one of the names. */
  private static ApiObject object(int i, int version) {
    String name = NAMES.get(i % NAMES.size());
    int kind = (i / NAMES.size()) % 3;
    String size = (1 + version % 5) + "Gi";
    if (kind == 0) {
      return pv(name, size);
    }
    ApiObject c = pvc(name, size);
    return kind == 1 ? c : c.withMetadata(c.metadata().withNamespace(java.util.Optional.of("other")));
  }

  @Test
  void answersAsAMapAndKeepsOldSnapshots() {
    qt().withFixedSeed(0x7121EL).withExamples(150)
        .forAll(lists().of(integers().between(0, 3 * 208 * 4 - 1)).ofSizeBetween(0, 300))
        .checkAssert(ops -> {
          KeyTrie trie = KeyTrie.EMPTY;
          Map<ObjectKey, ApiObject> model = new HashMap<>();
          List<KeyTrie> tries = new ArrayList<>();
          List<Map<ObjectKey, ApiObject>> models = new ArrayList<>();
          int version = 0;
          for (int op : ops) {
            ApiObject o = object(op / 4, version++);
            ObjectKey k = ObjectKey.of(o);
            if (op % 4 == 0) {
              trie = trie.minus(k);
              model.remove(k);
            } else {
              trie = trie.plus(o);
              model.put(k, o);
            }
            tries.add(trie);
            models.add(new HashMap<>(model));
            assertThat(trie.checkLayout()).isEqualTo(model.size());
          }
          List<String> wrong = new ArrayList<>();
          for (int s = 0; s < tries.size(); s++) {
            for (ObjectKey k : KEYS) {
              if (tries.get(s).get(k) != models.get(s).get(k)) {
                wrong.add("snapshot " + s + ", key " + k);
              }
            }
          }
          assertThat(wrong).isEmpty();
          // removing everything leaves an empty trie
          for (ObjectKey k : model.keySet()) {
            trie = trie.minus(k);
          }
          for (ObjectKey k : model.keySet()) {
            assertThat(trie.get(k)).isNull();
          }
          assertThat(trie.checkLayout()).isZero();
        });
  }

  /**
   * Thousands of keys, so that nodes below the root fill up and switch to the dense layout, and
   * then empty again and switch back: grows to a random size, removes a random part, grows again,
   * then removes everything; after every step the layout rules hold and every key answers as in a
   * map, and the snapshots taken between the phases still answer as they did.
   */
  @Test
  void nodesSwitchLayoutAsTheyFillAndEmpty() {
    qt().withFixedSeed(0xDE45EL).withExamples(12)
        .forAll(integers().between(1, 6000), integers().between(0, 100), integers().between(1, 1 << 30))
        .checkAssert((n, removedPercent, seed) -> {
          java.util.Random random = new java.util.Random(seed);
          List<ApiObject> pool = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            pool.add(pv("pv-" + seed + "-" + i, "1Gi"));
          }
          KeyTrie trie = KeyTrie.EMPTY;
          Map<ObjectKey, ApiObject> model = new HashMap<>();
          List<KeyTrie> tries = new ArrayList<>();
          List<Map<ObjectKey, ApiObject>> models = new ArrayList<>();
          for (int phase = 0; phase < 4; phase++) {
            java.util.Collections.shuffle(pool, random);
            for (int i = 0; i < pool.size(); i++) {
              ApiObject o = pool.get(i);
              ObjectKey k = ObjectKey.of(o);
              boolean remove = phase == 3 || (phase == 1 && i * 100 < pool.size() * removedPercent);
              if (remove) {
                trie = trie.minus(k);
                model.remove(k);
              } else if (phase != 1) {
                trie = trie.plus(o);
                model.put(k, o);
              }
              if (i % 97 == 0) {
                assertThat(trie.checkLayout()).isEqualTo(model.size());
              }
            }
            assertThat(trie.checkLayout()).isEqualTo(model.size());
            tries.add(trie);
            models.add(new HashMap<>(model));
          }
          for (int s = 0; s < tries.size(); s++) {
            for (ApiObject o : pool) {
              ObjectKey k = ObjectKey.of(o);
              assertThat(tries.get(s).get(k)).isSameAs(models.get(s).get(k));
            }
          }
          assertThat(models.get(3)).isEmpty();
        });
  }

  /**
   * {@link KeyTrie#replace} against {@link KeyTrie#plus}: over random histories (colliding names
   * included), replacing the stored instance of a key by a new version gives a trie that answers
   * every key as the put of that version does and keeps the layout; replacing an instance that is
   * not the stored one (an older version, or a key not stored) answers {@code null}. Fails if
   * replace matched slots by key instead of identity, or copied a wrong path.
   */
  @Test
  void replaceIsPutOfTheStoredInstance() {
    qt().withFixedSeed(0x5E9L).withExamples(150)
        .forAll(lists().of(integers().between(0, 3 * 208 * 4 - 1)).ofSizeBetween(0, 300))
        .checkAssert(ops -> {
          KeyTrie trie = KeyTrie.EMPTY;
          Map<ObjectKey, ApiObject> model = new HashMap<>();
          int version = 0;
          for (int op : ops) {
            ApiObject o = object(op / 4, version++);
            ObjectKey k = ObjectKey.of(o);
            ApiObject stored = model.get(k);
            if (op % 4 == 0 || stored == null) {
              assertThat(trie.replace(object(op / 4, version), o, trie.hashOf(k))).isNull();
              trie = trie.plus(o);
              model.put(k, o);
            } else {
              KeyTrie replaced = trie.replace(stored, o, trie.hashOf(k));
              KeyTrie put = trie.plus(o);
              assertThat(replaced).isNotNull();
              assertThat(replaced.checkLayout()).isEqualTo(model.size());
              for (ObjectKey key : KEYS) {
                assertThat(replaced.get(key)).isSameAs(put.get(key));
              }
              assertThat(trie.get(k)).isSameAs(stored); // the older snapshot is untouched
              trie = replaced;
              model.put(k, o);
            }
          }
        });
  }

  /** The reordering of the hash's chunks is its own inverse (so a bijection: no new collisions). */
  @Test
  void localityOrderIsABijection() {
    qt().withFixedSeed(0x10CAL).withExamples(20_000).forAll(integers().all()).checkAssert(h -> {
      int p = HashTrie.localityOrder(h);
      assertThat(HashTrie.localityOrder(p)).isEqualTo(h);
      assertThat(p >>> 20).isEqualTo(h >>> 20);
      assertThat(p & 31).isEqualTo((h >>> 15) & 31);
      assertThat((p >>> 15) & 31).isEqualTo(h & 31);
    });
  }

  /**
   * Keys of names made in sequence share the trie's path down to its fourth level: 10,000 claims
   * {@code claim-0000000} to {@code claim-0009999} fall under at most 1,000 distinct paths
   * of three levels (their hashes' first 15 bits as the trie reads them), where the hash without
   * the reordering spreads them over thousands (every consecutive pair parts at the root).
   */
  @Test
  void namesMadeInSequenceShareTheirPath() {
    java.util.Set<Integer> paths = new java.util.HashSet<>();
    java.util.Set<Integer> plain = new java.util.HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ObjectKey k = ObjectKey.namespaced("PersistentVolumeClaim", "default", String.format("claim-%07d", i));
      int h = KeyTrie.EMPTY.hashOf(k);
      paths.add(h & 0x7FFF);
      plain.add(HashTrie.localityOrder(h) & 0x7FFF);
    }
    assertThat(paths.size()).isLessThanOrEqualTo(1_000); // the ten names of each last digit share one
    assertThat(plain.size()).isGreaterThan(5_000);
  }

  @Test
  void collidingNamesReallyCollide() {
    assertThat(NAMES.get(0).hashCode()).isEqualTo(NAMES.get(7).hashCode());
    assertThat(NAMES.get(0)).isNotEqualTo(NAMES.get(7));
  }
}
