package io.volumekit.core.podvolume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.common.hash.Hashing;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.storage.VolumeAttachment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The remembered attachment names are the names Kubernetes computes, {@code csi-<sha256(handle +
 * driver + node)>}, whatever was asked before (equal strings in other instances, triples whose
 * concatenations are equal, more triples than the memo has slots).
 */
class AttachmentNamesTest {

  private static String expected(String handle, String driver, String node) {
    return "csi-" + Hashing.sha256().hashString(handle + driver + node, StandardCharsets.UTF_8);
  }

  @Test
  void namesAreTheHashOfTheConcatenation() {
    // Kubernetes' own example shape: a handle, a driver and a node, no separators.
    assertThat(PodVolumeSupport.attachmentName("vol-1", "hostpath.csi.k8s.io", "node-1"))
        .isEqualTo(expected("vol-1", "hostpath.csi.k8s.io", "node-1"));
    assertThat(PodVolumeSupport.attachmentKey("vol-1", "hostpath.csi.k8s.io", "node-1"))
        .isEqualTo(ObjectKey.cluster(VolumeAttachment.KIND, expected("vol-1", "hostpath.csi.k8s.io", "node-1")));
  }

  @Test
  void rememberedNamesMatchTheComputedOnes() {
    qt().withFixedSeed(77L).withExamples(40)
        .forAll(lists().of(integers().between(0, 1_000_000)).ofSizeBetween(1, 3 * AttachmentNames.KEYS.slots()))
        .checkAssert(asks -> {
          for (int a : asks) {
            // new String: equal contents in other instances; "ab"+"c" and "a"+"bc" concatenate alike
            String handle = new String((a % 3 == 0 ? "vol-" : "vol") + (a % 5_000));
            String driver = new String((a % 3 == 0 ? "" : "-") + "d" + (a / 5_000) % 3);
            String node = new String("node-" + (a / 15_000) % 4);
            assertThat(PodVolumeSupport.attachmentName(handle, driver, node)).isEqualTo(expected(handle, driver, node));
            assertThat(PodVolumeSupport.attachmentKey(handle, driver, node).name()).isEqualTo(expected(handle, driver, node));
          }
        });
  }
}
