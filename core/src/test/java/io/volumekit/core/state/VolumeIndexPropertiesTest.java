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
import static org.quicktheories.generators.SourceDSL.longs;

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

  /** {@code knownShortName} is {@code shortName} for the known modes and null for any other string. */
  @Test
  void knownShortNameTellsKnownModes() {
    for (String m : io.volumekit.model.core.AccessModes.ALL) {
      assertThat(VolumeIndex.knownShortName(m)).isEqualTo(io.volumekit.model.core.AccessModes.shortName(m));
      assertThat(VolumeIndex.knownShortName(new String(m))).isNotNull(); // not by identity with the constant
    }
    for (String m : List.of("RWO", "ReadWriteonce", "", "Foo")) {
      assertThat(VolumeIndex.knownShortName(m)).isNull();
    }
  }

  /** Characters that make the packed prefix of an entry tie, differ, or not apply (above 255). */
  private static final char[] ALPHABET = {'\0', '-', '0', 'a', 'b', '\u00e9', '\u0101'};

  private static String name(long digits) {
    StringBuilder b = new StringBuilder();
    long d = digits;
    int length = (int) (d % 21);
    d /= 21;
    for (int i = 0; i < length; i++) {
      b.append(i < 14 && d % 3 != 0 ? 'p' : ALPHABET[(int) (d % ALPHABET.length)]);
      d = d / 3 + i * 7919L;
    }
    return b.toString();
  }

  @Test
  void entriesAreOrderedByCapacityThenName() {
    qt().withExamples(20_000).forAll(longs().between(0, Long.MAX_VALUE), longs().between(0, Long.MAX_VALUE), integers().between(0, 1))
        .checkAssert((x, y, sameSize) -> {
          String a = name(x);
          String b = name(y);
          VolumeIndex.Entry ea = new VolumeIndex.Entry(5, a, null);
          VolumeIndex.Entry eb = new VolumeIndex.Entry(sameSize == 1 ? 5 : 6, b, null);
          int expected = sameSize == 1 ? Integer.signum(a.compareTo(b)) : -1;
          assertThat(Integer.signum(ea.compareTo(eb))).as("%s vs %s", a, b).isEqualTo(expected);
          assertThat(Integer.signum(eb.compareTo(ea))).isEqualTo(-expected);
          assertThat(ea.equals(eb)).isEqualTo(expected == 0);
        });
  }

  /**
   * {@link VolumeIndex#smallestAvailable} against a scan: among the available volumes of the class
   * whose bucket offers every requested mode, with enough capacity and accepted by the predicate,
   * the first by (number of the bucket's modes, the bucket's modes, capacity, name); for every
   * class, request and size, with a predicate that accepts all or refuses the label zone=z1.
   */
  private static void checkSmallestAvailable(VolumeIndex index, List<PersistentVolume> volumes) {
    List<List<String>> requests = List.of(List.of(), List.of(RWO), List.of(RWX), List.of(RWO, RWX));
    List<java.util.function.Predicate<PersistentVolume>> filters = List.of(
        v -> true, v -> !"z1".equals(v.metadata().labels().get("zone")));
    for (String cls : List.of("", "fast", "none")) {
      for (List<String> requested : requests) {
        for (long gi = 0; gi <= 4; gi += 2) {
          long bytes = gi << 30;
          for (java.util.function.Predicate<PersistentVolume> accepts : filters) {
            PersistentVolume expected = null;
            Comparator<PersistentVolume> order = Comparator
                .comparingInt((PersistentVolume v) -> v.spec().accessModes().size())
                .thenComparing(v -> VolumeIndex.bucketOf(v).get().accessModes())
                .thenComparingLong(Volumes::capacityBytes)
                .thenComparing(v -> v.metadata().name());
            for (PersistentVolume v : volumes) {
              Optional<VolumeIndex.Bucket> b = VolumeIndex.bucketOf(v);
              if (b.isPresent() && b.get().storageClass().equals(cls) && b.get().volumeMode().equals("Filesystem")
                  && v.spec().accessModes().containsAll(requested) && Volumes.capacityBytes(v) >= bytes
                  && accepts.test(v) && (expected == null || order.compare(v, expected) < 0)) {
                expected = v;
              }
            }
            assertThat(index.smallestAvailable(cls, "Filesystem", requested, bytes, accepts))
                .as("%s %s %d", cls, requested, gi).isSameAs(expected);
          }
        }
      }
    }
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
    checkSmallestAvailable(index, volumes);
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
