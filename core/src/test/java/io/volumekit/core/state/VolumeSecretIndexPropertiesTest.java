package io.volumekit.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.volumekit.core.Fixtures;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.SnapshotterSecrets;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Secret;
import io.volumekit.model.core.SecretReference;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import io.volumekit.model.snapshot.VolumeSnapshotContentBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContentSourceBuilder;
import io.volumekit.model.snapshot.VolumeSnapshotContentSpecBuilder;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link VolumeSecretIndex} answers exactly what a scan of every PV (and every VolumeSnapshotContent)
 * answers, after any sequence of creates, updates (references, deletion-secret annotations, policy
 * and snapshot handle changing) and removals.
 */
class VolumeSecretIndexPropertiesTest {

  private static final String[] SECRETS = {"s0", "s1", "s2"};

  @Test
  void indexAgreesWithAScan() {
    qt().withExamples(200).forAll(lists().of(integers().between(0, 99_999)).ofSizeBetween(1, 60)).checkAssert(steps -> {
      ClusterState s = ClusterState.empty();
      for (int step : steps) {
        s = apply(s, step);
        for (String name : SECRETS) {
          for (String ns : new String[] {"default", "other", ""}) {
            ObjectKey secret = ObjectKey.namespaced(Secret.KIND, ns, name);
            Set<ObjectKey> scan = new TreeSet<>();
            for (PersistentVolume pv : s.list(PersistentVolume.KIND, PersistentVolume.class)) {
              if (VolumeSecretIndex.secretsOf(pv).contains(secret)) {
                scan.add(ObjectKey.of(pv));
              }
            }
            assertThat(s.index(VolumeSecretIndex.class).volumesUsing(secret)).containsExactlyElementsOf(scan);
          }
        }
      }
    });
  }

  /** The same for VolumeSnapshotContents: the index agrees with {@link SnapshotterSecrets#neededBy} over every content. */
  @Test
  void contentIndexAgreesWithAScan() {
    qt().withExamples(200).forAll(lists().of(integers().between(0, 99_999)).ofSizeBetween(1, 60)).checkAssert(steps -> {
      ClusterState s = ClusterState.empty();
      for (int step : steps) {
        s = applyContent(s, step);
        for (String name : SECRETS) {
          ObjectKey secret = ObjectKey.namespaced(Secret.KIND, "default", name);
          Set<ObjectKey> scan = new TreeSet<>();
          for (VolumeSnapshotContent c : s.list(VolumeSnapshotContent.KIND, VolumeSnapshotContent.class)) {
            if (SnapshotterSecrets.neededBy(c).filter(secret::equals).isPresent()) {
              scan.add(ObjectKey.of(c));
            }
          }
          assertThat(s.index(VolumeSecretIndex.class).contentsUsing(secret)).containsExactlyElementsOf(scan);
          assertThat(s.index(VolumeSecretIndex.class).volumesUsing(secret)).isEmpty();
        }
      }
    });
  }

  /** A content (policy, cut or not, deletion secret or none) or its removal, decoded from the integer. */
  private static ClusterState applyContent(ClusterState s, int step) {
    String name = "content-" + step % 4;
    int r = step / 4;
    if (r % 5 == 0) {
      return s.remove(ObjectKey.cluster(VolumeSnapshotContent.KIND, name));
    }
    ObjectMeta meta = ObjectMeta.named(name);
    int d = (r / 5) % 4;
    if (d > 0) {
      meta = meta.withAnnotation(SnapshotterSecrets.DELETION_SECRET_NAME, SECRETS[d - 1])
          .withAnnotation(SnapshotterSecrets.DELETION_SECRET_NAMESPACE, "default");
    }
    VolumeSnapshotContent c = VolumeSnapshotContentBuilder.builder()
        .metadata(meta)
        .spec(VolumeSnapshotContentSpecBuilder.builder()
            .deletionPolicy((r / 20) % 2 == 0 ? "Delete" : "Retain")
            .driver("d")
            .source(VolumeSnapshotContentSourceBuilder.builder().volumeHandle(Optional.of("vol-1")).build())
            .build())
        .build();
    if ((r / 40) % 2 == 0) {
      c = c.withStatus(c.status().withSnapshotHandle(Optional.of("snap-" + name)));
    }
    return s.put(c);
  }

  /** One random change, decoded from the integer: a PV with some references, or its removal. */
  private static ClusterState apply(ClusterState s, int step) {
    String name = "pv-" + step % 4;
    if ((step / 4) % 5 == 0) {
      return s.remove(ObjectKey.cluster(PersistentVolume.KIND, name));
    }
    PersistentVolume pv = Fixtures.csiPv(name, "1Gi", "vol-" + name);
    CSIPersistentVolumeSource c = pv.csi().orElseThrow();
    int r = step / 20;
    c = c.withNodeStageSecretRef(ref(r % 4))
        .withControllerPublishSecretRef(ref((r / 4) % 4))
        .withNodePublishSecretRef(ref((r / 16) % 4))
        .withControllerExpandSecretRef(ref((r / 64) % 4))
        .withNodeExpandSecretRef(ref((r / 256) % 4));
    pv = pv.withSpec(pv.spec().withCsi(Optional.of(c)));
    int d = (r / 1024) % 4;
    if (d > 0) {
      pv = pv.withMetadata(pv.metadata().withAnnotation(Annotations.DELETION_SECRET_NAME, SECRETS[d - 1])
          .withAnnotation(Annotations.DELETION_SECRET_NAMESPACE, d == 3 ? "other" : "default"));
    }
    return s.put(pv);
  }

  /** 0: none; 1-2: a secret in default; 3: one without a namespace (keyed in the empty namespace). */
  private static Optional<SecretReference> ref(int i) {
    return switch (i) {
      case 0 -> Optional.empty();
      case 3 -> Optional.of(new SecretReference(SECRETS[2], Optional.empty()));
      default -> Optional.of(new SecretReference(SECRETS[i - 1], Optional.of("default")));
    };
  }
}
