package io.volumekit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.cli.kind.KindRegistry;
import io.volumekit.cli.kind.ResourceArgs;
import io.volumekit.cli.state.ObjectFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code get -w}: the watch follows the state directory's saves (a WatchService, no polling) and
 * reports each requested object that changed, appeared or was deleted, once per save.
 */
class StateWatchTest {

  @TempDir Path tmp;

  private Path state;
  private Cli cli;

  private static final String SECOND_CLAIM = """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: logs, namespace: default}
      spec:
        storageClassName: fast
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
      """;

  @BeforeEach
  void setUp() {
    state = tmp.resolve("state");
    cli = new Cli(state);
    assertThat(cli.run("apply", "-f", VerbsTest.manifest("immediate.yaml")).code()).isZero();
  }

  private StateWatch watch(String... kinds) throws Exception {
    ResourceArgs request = ResourceArgs.parse(List.of(kinds), KindRegistry.STANDARD, "get");
    StateWatch w = new StateWatch(state, request, "default", false);
    w.baseline(ObjectFile.peek(state).orElseThrow().objects());
    return w;
  }

  private static List<String> lines(List<StateWatch.Change> changes) {
    return changes.stream().map(c -> (c.deleted() ? "DELETED " : "") + c.kind().kind() + " "
        + c.object().path("metadata").path("name").asText() + " "
        + c.object().path("status").path("phase").asText()).toList();
  }

  @Test
  void reportsEachChangedAppearedAndDeletedClaimOnce() throws Exception {
    List<String> seen = new ArrayList<>();
    try (StateWatch w = watch("pvc")) {
      // Two invocations change the state after the watch started; the watch may see them as one save.
      assertThat(cli.runWithInput(SECOND_CLAIM, "apply", "-f", "-").code()).isZero();
      assertThat(cli.run("delete", "pvc", "data").code()).isZero();
      int n = w.follow(Optional.of(2), changes -> seen.addAll(lines(changes)));
      assertThat(n).isEqualTo(2);
    }
    assertThat(seen).containsExactlyInAnyOrder("PersistentVolumeClaim logs Bound", "DELETED PersistentVolumeClaim data Bound");
  }

  @Test
  void objectsOfOtherKindsAreNotReported() throws Exception {
    try (StateWatch w = watch("pvc")) {
      String slow = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: slow}\nprovisioner: x.example.com\n";
      assertThat(cli.runWithInput(slow, "apply", "-f", "-").code()).isZero();
      assertThat(w.changes()).isEmpty();
    }
    try (StateWatch w = watch("pv")) {
      assertThat(cli.runWithInput(SECOND_CLAIM, "apply", "-f", "-").code()).isZero();
      String pv = ObjectFile.peek(state).orElseThrow().objects().stream()
          .filter(o -> o.path("metadata").path("name").asText().equals("logs"))
          .findFirst().orElseThrow().path("spec").path("volumeName").asText();
      assertThat(lines(w.changes())).containsExactly("PersistentVolume " + pv + " Bound");
    }
  }

  @Test
  void getWatchListsThenPrintsOneRowPerChangeWithoutHeader() {
    Cli.Result r = cli.run("get", "pvc", "-w", "--max-changes", "0");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("NAME   STATUS   VOLUME").hasLineCount(2);
    assertThat(cli.run("get", "pvc", "-w", "--max-changes", "-1").code()).isEqualTo(2);
  }
}
