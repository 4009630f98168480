package io.volumekit.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volumekit.cli.error.CliException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestsTest {

  @TempDir Path tmp;

  private static final String TWO_DOCS = """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: a
      ---
      # nothing here
      ---
      apiVersion: v1
      kind: List
      items:
      - apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: fast
        provisioner: x
      """;

  @Test
  void readsMultiDocumentYamlAndUnpacksLists() {
    List<Manifests.Manifest> m = Manifests.parse(TWO_DOCS, "f.yaml");
    assertThat(m).extracting(x -> x.object().path("metadata").path("name").asText()).containsExactly("a", "fast");
    assertThat(m).allMatch(x -> x.source().equals("f.yaml"));
  }

  @Test
  void readsJsonAndStdinAndDirectoriesInNameOrder() throws IOException {
    Files.writeString(tmp.resolve("b.json"), "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}");
    Files.writeString(tmp.resolve("a.yaml"), TWO_DOCS);
    Files.writeString(tmp.resolve("notes.txt"), "ignored");
    List<Manifests.Manifest> fromDir = Manifests.read(List.of(tmp.toString()), new ByteArrayInputStream(new byte[0]));
    assertThat(fromDir).extracting(x -> x.object().path("metadata").path("name").asText()).containsExactly("a", "fast", "p");
    List<Manifests.Manifest> fromStdin = Manifests.read(List.of("-"),
        new ByteArrayInputStream(TWO_DOCS.getBytes(StandardCharsets.UTF_8)));
    assertThat(fromStdin).hasSize(2).allMatch(x -> x.source().equals("STDIN"));
  }

  @Test
  void missingKindOrFileOrBrokenYamlIsRefused() {
    assertThatThrownBy(() -> Manifests.parse("apiVersion: v1\nmetadata:\n  name: a\n", "f.yaml"))
        .isInstanceOf(CliException.class)
        .hasMessage("error: error validating \"f.yaml\": error validating data: kind not set");
    assertThatThrownBy(() -> Manifests.read(List.of(tmp.resolve("nope.yaml").toString()), new ByteArrayInputStream(new byte[0])))
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> Manifests.parse("a: [\n", "bad.yaml"))
        .hasMessageStartingWith("error: error parsing bad.yaml: ");
  }
}
