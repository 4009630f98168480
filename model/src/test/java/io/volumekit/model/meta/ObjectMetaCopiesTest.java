package io.volumekit.model.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ObjectMeta#withAnnotation} and {@link ObjectMeta#withoutAnnotation} give the annotations,
 * in order, that a {@code LinkedHashMap} gives for the same puts and removes (a key set again
 * keeps its place, a new key goes last), and leave the rest of the metadata as it was; {@link
 * ObjectMeta#withFinalizer} and {@link ObjectMeta#withoutFinalizer} give the finalizers of a list
 * (added last if missing, every occurrence removed).
 */
class ObjectMetaCopiesTest {

  @Test
  void behaveAsALinkedHashMap() {
    qt().withFixedSeed(1207L).withExamples(500)
        .forAll(lists().of(integers().between(0, 999)).ofSizeBetween(0, 40))
        .checkAssert(ops -> {
          ObjectMeta meta = ObjectMeta.named("ns", "o").withLabels(ImmutableMap.of("l", "v"));
          Map<String, String> model = new LinkedHashMap<>();
          for (int op : ops) {
            String key = "k" + (op % 7);
            if (op % 3 == 2) {
              meta = meta.withoutAnnotation(key);
              model.remove(key);
            } else {
              meta = meta.withAnnotation(key, "v" + op);
              model.put(key, "v" + op);
            }
            assertThat(entries(meta.annotations())).isEqualTo(entries(model));
            assertThat(meta.labels()).isEqualTo(ImmutableMap.of("l", "v"));
            assertThat(meta.name()).isEqualTo("o");
          }
        });
  }

  @Test
  void finalizersBehaveAsAList() {
    qt().withFixedSeed(1208L).withExamples(500)
        .forAll(lists().of(integers().between(0, 999)).ofSizeBetween(0, 40))
        .checkAssert(ops -> {
          // a duplicate to start with (not what the API makes, but what a stored object may hold)
          ObjectMeta meta = ObjectMeta.named("o").withFinalizers(com.google.common.collect.ImmutableList.of("f1", "x", "f1"));
          List<String> model = new ArrayList<>(List.of("f1", "x", "f1"));
          for (int op : ops) {
            String f = "f" + (op % 5);
            if (op % 2 == 0) {
              meta = meta.withoutFinalizer(f);
              model.removeIf(f::equals);
            } else {
              meta = meta.withFinalizer(f);
              if (!model.contains(f)) {
                model.add(f);
              }
            }
            assertThat(meta.finalizers()).isEqualTo(model);
            assertThat(meta.name()).isEqualTo("o");
          }
        });
  }

  private static List<Map.Entry<String, String>> entries(Map<String, String> m) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(Map.entry(k, v)));
    return out;
  }
}
