package io.volumekit.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.volumekit.core.Fixtures;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Secret;
import io.volumekit.model.core.SecretReference;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link VolumeSecretIndex} answers exactly what a scan of every PV answers, after any sequence of
 * creates, updates (references and deletion-secret annotations changing) and removals of PVs.
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
