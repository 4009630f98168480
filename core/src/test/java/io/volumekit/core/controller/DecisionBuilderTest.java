package io.volumekit.core.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.key.ObjectKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The builder keeps small parts as immutable lists and grows larger ones: whatever the sizes, a
 * built decision holds the elements in the order added and does not change when the builder goes
 * on.
 */
class DecisionBuilderTest {

  private static ObjectKey key(int i) {
    return ObjectKey.namespaced("Pod", "default", "p" + i);
  }

  @Test
  void partsOfEverySizeKeepTheirOrderAndAreNotSharedWithTheBuilder() {
    for (int n = 1; n <= 6; n++) {
      Decision.Builder b = Decision.builder();
      List<ObjectKey> keys = new ArrayList<>();
      List<EffectId> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        b.enqueue(key(i)).forget(EffectId.of("e" + i));
        keys.add(key(i));
        ids.add(EffectId.of("e" + i));
      }
      Decision d = b.build();
      b.enqueue(key(99)).forget(EffectId.of("late"));
      assertThat(d.enqueue()).containsExactlyElementsOf(keys);
      assertThat(d.forget()).containsExactlyElementsOf(ids);
      assertThat(d).isEqualTo(new Decision(ImmutableList.of(), ImmutableList.of(), ImmutableList.of(),
          ImmutableList.copyOf(ids), ImmutableList.of(), ImmutableList.copyOf(keys), ImmutableList.of(),
          Optional.empty()));
      assertThat(b.build().enqueue()).hasSize(n + 1).endsWith(key(99));
    }
  }

  @Test
  void andAndToBuilderConcatenateWithoutSharingState() {
    Decision one = Decision.builder().enqueue(key(1)).build();
    Decision two = Decision.builder().enqueue(key(2)).enqueue(key(3)).requeueAfter(Duration.ofSeconds(5)).build();
    Decision both = one.and(two);
    assertThat(both.enqueue()).containsExactly(key(1), key(2), key(3));
    assertThat(both.requeueAfter()).contains(Duration.ofSeconds(5));

    Decision.Builder more = two.toBuilder();
    more.enqueue(key(4));
    assertThat(more.build().enqueue()).containsExactly(key(2), key(3), key(4));
    assertThat(two.enqueue()).containsExactly(key(2), key(3));
    assertThat(Decision.builder().build()).isSameAs(Decision.none());
  }
}
