package io.volumekit.core.state;

import static io.volumekit.core.Fixtures.RWO;
import static io.volumekit.core.Fixtures.RWX;
import static io.volumekit.core.Fixtures.pv;
import static io.volumekit.core.Fixtures.preBound;
import static io.volumekit.core.Fixtures.withClass;
import static io.volumekit.core.Fixtures.withLabels;
import static io.volumekit.core.Fixtures.withModes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Volumes;
import io.volumekit.model.core.PersistentVolume;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link VolumeIndex} agrees with a scan of the stored volumes after any sequence of writes and
 * removals: each bucket lists exactly the available volumes of its class, volume mode and access
 * modes in (capacity, name) order, each entry holding the very instance the state stores (the
 * matchers read it instead of looking it up), and {@code volumesReferencing} is exactly the
 * volumes whose claimRef names the claim.
 */
class VolumeIndexPropertiesTest {

  private static final String[] CLAIMS = {"c-1", "c-2"};

  /** A volume chosen by the step's digits: name, size, class, modes, claimRef, phase, deletion, labels. */
  private static PersistentVolume volume(int step) {
    int d = step;
    String name = "pv-" + d % 6;
    d /= 6;
    PersistentVolume v = pv(name, (1 + d % 3) + "Gi");
    d /= 3;
    if (d % 3 == 1) {
      v = withClass(v, "fast");
    } else if (d % 3 == 2) {
      v = v.withMetadata(v.metadata().withAnnotation(Annotations.BETA_STORAGE_CLASS, "fast"));
    }
    d /= 3;
    v = d % 3 == 0 ? v : d % 3 == 1 ? withModes(v, RWX) : withModes(v, RWO, RWX);
    d /= 3;
    int ref = d % 5; // none (more often) or one of the claims, with or without uid
    v = ref < 2 ? v : preBound(v, CLAIMS[ref % 2], ref == 4 ? "uid" : "");
    d /= 5;
    String phase = d % 4 == 3 ? "Bound" : d % 4 == 2 ? "Released" : "Available";
    v = v.withStatus(v.status().withPhase(Optional.of(phase)));
    d /= 4;
    if (d % 7 == 0) {
      v = v.withMetadata(v.metadata().withDeletionTimestamp(Optional.of(Instant.EPOCH)));
    }
    d /= 7;
    return d % 2 == 0 ? v : withLabels(v, "zone", "z" + d % 3);
  }

  @Test
  void indexAgreesWithAScanOfTheVolumes() {
    qt().withExamples(400).forAll(lists().of(integers().between(0, Integer.MAX_VALUE)).ofSizeBetween(1, 40)).checkAssert(steps -> {
      ClusterState s = ClusterState.empty();
      for (int step : steps) {
        s = step % 9 == 0 ? s.remove(Volumes.volumeKey("pv-" + (step / 9) % 6)) : s.put(volume(step / 9));
        check(s);
      }
    });
  }

  private static void check(ClusterState s) {
    VolumeIndex index = s.index(VolumeIndex.class);
    List<PersistentVolume> volumes = s.list(PersistentVolume.KIND, PersistentVolume.class);
    int available = 0;
    for (String cls : List.of("", "fast")) {
      for (String modes : List.of("RWO", "RWX", "RWO,RWX")) {
        VolumeIndex.Bucket b = new VolumeIndex.Bucket(cls, "Filesystem", modes);
        List<PersistentVolume> expected = new ArrayList<>();
        for (PersistentVolume v : volumes) {
          if (b.equals(VolumeIndex.bucketOf(v).orElse(null))) {
            expected.add(v);
          }
        }
        expected.sort(Comparator.comparingLong(Volumes::capacityBytes).thenComparing(v -> v.metadata().name()));
        available += expected.size();
        List<PersistentVolume> listed = new ArrayList<>();
        for (VolumeIndex.Entry e : index.atLeast(b, 0)) {
          assertThat(e.bytes()).isEqualTo(Volumes.capacityBytes(e.volume()));
          assertThat(e.name()).isEqualTo(e.volume().metadata().name());
          listed.add(e.volume());
        }
        assertThat(listed).usingElementComparator((x, y) -> x == y ? 0 : 1).containsExactlyElementsOf(expected);
        List<PersistentVolume> big = new ArrayList<>();
        index.atLeast(b, Volumes.capacityBytes(pv("x", "2Gi"))).forEach(e -> big.add(e.volume()));
        assertThat(big).containsExactlyElementsOf(
            expected.stream().filter(v -> Volumes.capacityBytes(v) >= (2L << 30)).toList());
      }
    }
    assertThat(index.availableCount()).isEqualTo(available);
    for (String claim : CLAIMS) {
      TreeSet<String> expected = new TreeSet<>();
      for (PersistentVolume v : volumes) {
        v.spec().claimRef().filter(r -> r.nameOrEmpty().equals(claim) && r.namespaceOrEmpty().equals("default"))
            .ifPresent(r -> expected.add(v.metadata().name()));
      }
      assertThat(index.volumesReferencing("default", claim)).containsExactlyElementsOf(expected);
    }
  }
}
