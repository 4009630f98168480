package io.volumekit.core.state;

import static io.volumekit.core.Fixtures.pod;
import static io.volumekit.core.Fixtures.pv;
import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.sc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.effect.RegisterPlugin;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ApiObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link ClusterState}'s objects against a sorted map: random creates, updates and removes of
 * objects of several kinds and namespaces; every snapshot (the older ones too) must answer lookups,
 * sizes and listings (by kind, by kind and namespace, everything) exactly as the map does, in key
 * order.
 */
class ClusterStatePropertiesTest {

  private static final List<String> KINDS =
      List.of(PersistentVolume.KIND, PersistentVolumeClaim.KIND, Pod.KIND, "StorageClass");

  /** Object {@code i}: one of four kinds, of one of 12 names, claims and pods in one of 3 namespaces. */
  private static ApiObject object(int i, int version) {
    String name = "o-" + (i % 12);
    String ns = List.of("a", "b", "ab").get((i / 12) % 3);
    String size = (1 + version % 5) + "Gi";
    switch ((i / 36) % 4) {
      case 0:
        return pv(name, size);
      case 1: {
        ApiObject c = pvc(name, size);
        return c.withMetadata(c.metadata().withNamespace(Optional.of(ns)));
      }
      case 2: {
        ApiObject p = pod(name, version % 2 == 0 ? "node-1" : "node-2");
        return p.withMetadata(p.metadata().withNamespace(Optional.of(ns)));
      }
      default:
        return sc(name).withMetadata(sc(name).metadata().withResourceVersion(Optional.of("" + version)));
    }
  }

  @Test
  void answersAsASortedMapAndKeepsOldSnapshots() {
    qt().withFixedSeed(0xC1A57E).withExamples(200)
        .forAll(lists().of(integers().between(0, 4 * 144 - 1)).ofSizeBetween(0, 200))
        .checkAssert(ops -> {
          ClusterState state = ClusterState.empty();
          TreeMap<ObjectKey, ApiObject> model = new TreeMap<>();
          List<ClusterState> states = new ArrayList<>();
          List<TreeMap<ObjectKey, ApiObject>> models = new ArrayList<>();
          int version = 0;
          for (int op : ops) {
            ApiObject o = object(op / 4, version++);
            ObjectKey k = ObjectKey.of(o);
            if (op % 4 == 0) {
              state = state.remove(k);
              model.remove(k);
            } else if (op % 4 == 1) {
              Optional<ApiObject> before = state.get(k);
              state = state.apply(new Change(k, before, Optional.of(o)));
              model.put(k, o);
            } else {
              state = state.put(o);
              model.put(k, o);
            }
            states.add(state);
            models.add(new TreeMap<>(model));
          }
          for (int s = 0; s < states.size(); s++) {
            assertSame(states.get(s), models.get(s));
          }
        });
  }

  private static void assertSame(ClusterState state, TreeMap<ObjectKey, ApiObject> model) {
    assertThat(state.size()).isEqualTo(model.size());
    assertThat(state.all()).hasSize(model.size()).containsExactlyElementsOf(model.values());
    for (String kind : KINDS) {
      List<ApiObject> ofKind = new ArrayList<>(
          model.subMap(ObjectKey.first(kind), true, ObjectKey.first(kind + '\0'), false).values());
      assertThat(state.list(kind)).hasSize(ofKind.size()).containsExactlyElementsOf(ofKind);
      for (String ns : List.of("", "a", "b", "ab", "c")) {
        List<ApiObject> inNs = new ArrayList<>(
            model.subMap(ObjectKey.first(kind, ns), true, ObjectKey.first(kind, ns + '\0'), false).values());
        assertThat(state.list(kind, ns)).hasSize(inNs.size()).containsExactlyElementsOf(inNs);
      }
    }
    for (int i = 0; i < 4 * 144; i++) {
      ObjectKey k = ObjectKey.of(object(i, 0));
      assertThat(state.get(k).orElse(null)).isSameAs(model.get(k));
      assertThat(state.contains(k)).isEqualTo(model.containsKey(k));
    }
  }

  /**
   * The recorded operations against a sorted map: random records (new ids and replacements) and
   * forgets; every snapshot answers {@code operation(id)} and lists its operations in id order as
   * the map does, and counts them.
   */
  @Test
  void operationsAnswerAsASortedMapAndKeepOldSnapshots() {
    qt().withFixedSeed(0x0BE4A7L).withExamples(80)
        .forAll(lists().of(integers().between(0, 3 * 300 - 1)).ofSizeBetween(0, 400))
        .checkAssert(ops -> {
          ClusterState state = ClusterState.empty();
          TreeMap<EffectId, Operation> model = new TreeMap<>();
          List<ClusterState> states = new ArrayList<>();
          List<TreeMap<EffectId, Operation>> models = new ArrayList<>();
          int attempt = 0;
          for (int op : ops) {
            EffectId id = operationId(op / 3);
            if (op % 3 == 0) {
              state = state.withoutOperation(id);
              model.remove(id);
            } else {
              Operation o = Operation.started(new RegisterPlugin(id, ObjectKey.cluster("Node", "n"), "kubelet",
                  "d", "n", "uid"), ++attempt);
              state = state.withOperation(o);
              model.put(id, o);
            }
            states.add(state);
            models.add(new TreeMap<>(model));
          }
          for (int s = 0; s < states.size(); s++) {
            ClusterState st = states.get(s);
            TreeMap<EffectId, Operation> m = models.get(s);
            assertThat(st.operations()).hasSize(m.size()).containsExactlyElementsOf(m.values());
            assertThat(st.operations().isEmpty()).isEqualTo(m.isEmpty());
            for (int i = 0; i < 300; i++) {
              EffectId id = operationId(i);
              assertThat(st.operation(id).orElse(null)).isSameAs(m.get(id));
            }
          }
        });
  }

  /** Ids sharing long prefixes, as real ones do, and some whose string hashes collide. */
  private static EffectId operationId(int i) {
    String[] colliding = {"AaAa", "AaBB", "BBAa", "BBBB"};
    return EffectId.of(i < 4 ? "stage-" + colliding[i] : "stage-pv-" + (i % 150) + "[node-" + (i / 150) + "]");
  }

  @Test
  void applyWithAVersionStoresTheChangeAndTheVersionInOneCopy() {
    ApiObject v1 = pv("pv-1", "1Gi");
    ClusterState state = ClusterState.empty().put(v1);
    ObjectKey key = ObjectKey.of(v1);
    ClusterState next = state.apply(new Change(key, Optional.of(v1), Optional.empty()), 7);
    assertThat(next.resourceVersion()).isEqualTo(7);
    assertThat(next.contains(key)).isFalse();
    assertThat(state.resourceVersion()).isZero();
    assertThat(state.apply(new Change(key, Optional.of(v1), Optional.of(v1)), 9).resourceVersion()).isEqualTo(9);
  }

  @Test
  void applyRefusesAChangeWhoseBeforeIsNotTheStoredObject() {
    ApiObject v1 = pv("pv-1", "1Gi");
    ApiObject v2 = pv("pv-1", "2Gi");
    ClusterState state = ClusterState.empty().put(v1);
    ObjectKey key = ObjectKey.of(v1);
    assertThatThrownBy(() -> state.apply(new Change(key, Optional.empty(), Optional.of(v2))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> state.apply(new Change(key, Optional.of(v2), Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(state.apply(new Change(key, Optional.of(v1), Optional.of(v2))).get(key)).containsSame(v2);
    assertThat(state.apply(new Change(key, Optional.of(v1), Optional.empty())).contains(key)).isFalse();
  }
}
