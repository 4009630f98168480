package io.volumekit.core.binding;

import static io.volumekit.core.Fixtures.pod;
import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.withClass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import io.volumekit.core.api.Annotations;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.migration.CsiMigration;
import io.volumekit.core.state.ClaimIndex;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.PodIndex;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The binder's watch of a pod change queues the claims of the pod (before, then after) that are in
 * {@link ClaimIndex#unboundClaims} of their class, each once: checked against that rule, read from
 * the index as a simple model, over random claims (absent, unbound or bind-completed, of three
 * classes) and random pods before and after.
 */
class BindingWatchPodTest {

  private static final long SEED = 0xB0D_CA1L;
  private static final String[] CLASSES = {"", "gold", "silver"};

  private final BindingWatch watch = new BindingWatch(CsiMigration.all());

  @Test
  void aPodChangeQueuesItsUnboundClaimsOnceInOrder() {
    int[] queuedSome = {0};
    qt().withFixedSeed(SEED).withExamples(400).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      ClusterState state = ClusterState.empty();
      for (int i = 0; i < 6; i++) {
        int what = r.nextInt(3); // 0 absent, 1 unbound, 2 bind-completed
        if (what == 0) {
          continue;
        }
        PersistentVolumeClaim c = withClass(pvc("c" + i, "1Gi"), CLASSES[r.nextInt(CLASSES.length)]);
        if (what == 2) {
          c = c.withMetadata(c.metadata().withAnnotation(Annotations.BIND_COMPLETED, Annotations.YES));
        }
        state = state.put(c);
      }
      Pod before = r.nextInt(4) == 0 ? null : randomPod(r);
      Pod after = before != null && r.nextInt(4) == 0 ? null : randomPod(r);
      if (after != null) {
        state = state.put(after);
      }
      Change change = new Change(ObjectKey.of(after != null ? after : before), Optional.ofNullable(before),
          Optional.ofNullable(after));

      List<ObjectKey> queued = new ArrayList<>();
      watch.watch(state, change, queued::add);

      Set<ObjectKey> claims = new LinkedHashSet<>();
      if (before != null) {
        claims.addAll(PodIndex.claimsOf(before));
      }
      if (after != null) {
        claims.addAll(PodIndex.claimsOf(after));
      }
      List<ObjectKey> expected = new ArrayList<>();
      for (ObjectKey c : claims) {
        String cls = state.get(c, PersistentVolumeClaim.class).map(io.volumekit.core.api.Volumes::storageClass).orElse("");
        if (state.index(ClaimIndex.class).unboundClaims(cls).contains(c)) {
          expected.add(c);
        }
      }
      assertThat(queued).as("seed %d", seed).containsExactlyElementsOf(expected);
      if (!expected.isEmpty()) {
        queuedSome[0]++;
      }
    });
    assertThat(queuedSome[0]).as("some changes queued claims").isGreaterThan(50);
  }

  /** A pod named "p" using some of the claims c0..c5 (in a random order), placed or not. */
  private static Pod randomPod(Random r) {
    List<String> claims = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      if (r.nextInt(3) == 0) {
        claims.add("c" + i);
      }
    }
    java.util.Collections.shuffle(claims, r);
    return pod("p", r.nextBoolean() ? "node-1" : "", claims.toArray(new String[0]));
  }
}
