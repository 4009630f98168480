package io.volumekit.core.docs;

import static io.volumekit.core.Fixtures.pv;
import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.pvcKey;
import static io.volumekit.core.Fixtures.withVolumeName;
import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.controller.Write;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolumeClaim;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The controller sketch of docs/architecture.md compiles, decides as described, and is quoted verbatim. */
class ArchitectureSketchTest {

  private final OversizeReporter reporter = new OversizeReporter();

  @Test
  void marksABoundClaimWhoseRequestExceedsItsVolumeOnce() {
    ClusterState s = ClusterState.empty().put(pv("pv1", "1Gi")).put(withVolumeName(pvc("c1", "2Gi"), "pv1"));

    Decision d = reporter.reconcile(s, pvcKey("c1"));

    assertThat(d.writes()).singleElement().isInstanceOfSatisfying(Write.Update.class, u ->
        assertThat(u.object().metadata().annotations()).containsEntry(OversizeReporter.ANNOTATION, "true"));
    assertThat(d.events()).extracting(EventRecord::reason).containsExactly("Oversize");
    PersistentVolumeClaim marked = (PersistentVolumeClaim) ((Write.Update) d.writes().get(0)).object();
    assertThat(reporter.reconcile(s.put(marked), pvcKey("c1"))).isEqualTo(Decision.none());
  }

  @Test
  void leavesFittingAndUnboundClaimsAlone() {
    ClusterState s = ClusterState.empty().put(pv("pv1", "1Gi"))
        .put(withVolumeName(pvc("c1", "1Gi"), "pv1")).put(pvc("c2", "5Gi"));

    assertThat(reporter.reconcile(s, pvcKey("c1"))).isEqualTo(Decision.none());
    assertThat(reporter.reconcile(s, pvcKey("c2"))).isEqualTo(Decision.none());
    assertThat(reporter.reconcile(s, pvcKey("gone"))).isEqualTo(Decision.none());
  }

  @Test
  void architectureDocQuotesTheCompiledSketch() throws IOException {
    Path root = LifecycleDiagramTest.repoRoot();
    String source = Files.readString(
        root.resolve("core/src/test/java/io/volumekit/core/docs/OversizeReporter.java"), StandardCharsets.UTF_8);
    String sketch = source.substring(source.indexOf("/** Marks bound claims")).strip();
    String doc = Files.readString(root.resolve("docs/architecture.md"), StandardCharsets.UTF_8);
    assertThat(doc).as("docs/architecture.md must quote OversizeReporter verbatim").contains(sketch);
  }
}
