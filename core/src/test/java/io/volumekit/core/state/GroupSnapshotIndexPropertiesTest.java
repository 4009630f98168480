package io.volumekit.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshot;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotBuilder;
import io.volumekit.model.meta.ObjectMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link GroupSnapshotIndex} answers exactly what a listing of every VolumeGroupSnapshot filtered
 * on "no bound content" answers (per namespace and overall, in the listing's order), after any
 * sequence of creates, binds, unbinds and removals in several namespaces.
 */
class GroupSnapshotIndexPropertiesTest {

  private static final String[] NAMESPACES = {"default", "other", "default-2"};

  @Test
  void indexAgreesWithAListing() {
    qt().withExamples(200).forAll(lists().of(integers().between(0, 99_999)).ofSizeBetween(1, 60)).checkAssert(steps -> {
      ClusterState s = ClusterState.empty();
      for (int step : steps) {
        s = apply(s, step);
        GroupSnapshotIndex index = s.index(GroupSnapshotIndex.class);
        List<ObjectKey> all = new ArrayList<>();
        for (String ns : NAMESPACES) {
          List<ObjectKey> scan = new ArrayList<>();
          for (VolumeGroupSnapshot g : s.list(VolumeGroupSnapshot.KIND, VolumeGroupSnapshot.class)) {
            if (g.metadata().namespaceOrEmpty().equals(ns) && g.status().boundVolumeGroupSnapshotContentName().isEmpty()) {
              scan.add(ObjectKey.of(g));
            }
          }
          assertThat(index.unbound(ns)).containsExactlyElementsOf(scan);
        }
        for (VolumeGroupSnapshot g : s.list(VolumeGroupSnapshot.KIND, VolumeGroupSnapshot.class)) {
          if (g.status().boundVolumeGroupSnapshotContentName().isEmpty()) {
            all.add(ObjectKey.of(g));
          }
        }
        assertThat(index.unbound()).containsExactlyElementsOf(all);
      }
    });
  }

  /** One change decoded from the integer: a group snapshot bound or not, or its removal. */
  private static ClusterState apply(ClusterState s, int step) {
    String ns = NAMESPACES[step % NAMESPACES.length];
    String name = "group-" + (step / 3) % 4;
    int r = step / 12;
    if (r % 4 == 0) {
      return s.remove(ObjectKey.namespaced(VolumeGroupSnapshot.KIND, ns, name));
    }
    VolumeGroupSnapshot g = VolumeGroupSnapshotBuilder.builder().metadata(ObjectMeta.named(ns, name)).build();
    if (r % 4 == 1) {
      g = g.withStatus(g.status().withBoundVolumeGroupSnapshotContentName(Optional.of("content-" + name)));
    }
    return s.put(g);
  }
}
