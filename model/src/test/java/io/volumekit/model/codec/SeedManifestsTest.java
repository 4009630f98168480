package io.volumekit.model.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.validation.Validation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example manifests of the SIG-Storage slides (seed 000): the corrected copies in
 * examples/manifests read cleanly, validate and round-trip; the slides' own mis-indented
 * versions report each misplaced field as an unknown field with its path.
 */
public class SeedManifestsTest {
  static final Path MANIFESTS = Path.of("../examples/manifests");
  static final Path SLIDES = Path.of("src/test/resources/slides");
  final ObjectCodec codec = ObjectCodec.standard();

  /** The manifests taken from the slides (other examples may live next to them). */
  public static final List<String> SEED = List.of("configmap.yaml", "csi-inline.yaml", "downwardapi.yaml", "emptydir.yaml",
      "generic-ephemeral.yaml", "mysql.yaml", "secret.yaml");

  static Stream<Path> manifests() {
    return SEED.stream().map(MANIFESTS::resolve);
  }

  @Test
  void everySlideExampleHasACorrectedManifest() throws IOException {
    try (Stream<Path> files = Files.list(MANIFESTS)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsAll(SEED);
    }
  }

  @ParameterizedTest
  @MethodSource("manifests")
  void correctedManifestReadsWithoutWarningsAndIsValid(Path file) throws IOException {
    DecodeResult r = ObjectCodec.standard().withMode(ObjectCodec.Mode.STRICT).decode(Files.readString(file));
    assertThat(r.objects()).isNotEmpty();
    assertThat(r.warnings()).isEmpty();
    for (ApiObject o : r.objects()) {
      ApiObject placed = o.metadata().namespace().isEmpty() && io.volumekit.model.meta.Kinds.of(o).namespaced()
          ? o.withMetadata(o.metadata().withNamespace(Optional.of("default"))) : o;
      assertThat(Validation.validate(placed)).as(file + " " + o.kind()).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("manifests")
  void correctedManifestRoundTripsThroughYamlAndJson(Path file) throws IOException {
    List<ApiObject> objects = codec.decode(Files.readString(file)).objects();
    DecodeResult viaYaml = codec.decode(codec.encodeYaml(objects));
    assertThat(viaYaml.objects()).isEqualTo(objects);
    assertThat(viaYaml.warnings()).isEmpty();
    for (ApiObject o : objects) {
      assertThat(codec.decode(codec.encodeJson(o)).single()).isEqualTo(o);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "secret-pod.yaml|unknown field \"spec.containers[0].volumes\"",
      "configmap-pod.yaml|unknown field \"spec.configMap\"",
      "downwardapi-pod.yaml|unknown field \"spec.volumeMounts\";unknown field \"spec.downwardAPI\"",
  })
  void misindentedFieldsComeBackAsUnknownFieldWarnings(String file, String expected) throws IOException {
    DecodeResult r = codec.decode(Files.readString(SLIDES.resolve("misindented").resolve(file)));
    assertThat(r.warningMessages()).containsExactly(expected.split(";"));
    assertThat(r.objects()).hasSize(1).first().isInstanceOf(Pod.class);
  }

  @Test
  void misindentedFieldsAreAnErrorInStrictMode() throws IOException {
    String text = Files.readString(SLIDES.resolve("misindented/downwardapi-pod.yaml"));
    assertThatThrownBy(() -> codec.withMode(ObjectCodec.Mode.STRICT).decode(text))
        .isInstanceOf(StrictDecodingException.class)
        .hasMessage("Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: "
            + "unknown field \"spec.volumeMounts\", unknown field \"spec.downwardAPI\"");
  }

  @Test
  void misindentedFieldsAreDroppedSilentlyInIgnoreMode() throws IOException {
    String text = Files.readString(SLIDES.resolve("misindented/configmap-pod.yaml"));
    DecodeResult r = codec.withMode(ObjectCodec.Mode.IGNORE).decode(text);
    assertThat(r.warnings()).isEmpty();
    assertThat(((Pod) r.single()).spec().volumes().get(0).source()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "mysql-pod.yaml|",
      "mysql-pvc.yaml|",
      "mysql-storageclass.yaml|",
      "emptydir-pod.yaml|",
      "secret.yaml|",
      "configmap-pod.yaml|",
  })
  void verbatimSlidesThatParse(String file, String ignored) throws IOException {
    DecodeResult r = codec.decode(Files.readString(SLIDES.resolve("verbatim").resolve(file)));
    assertThat(r.objects()).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "secret-pod.yaml|error validating data: [apiVersion not set]",
      "downwardapi-pod.yaml|error parsing YAML: line 11, column 3: could not find expected ':'",
      "csi-inline-pod.yaml|Pod is invalid: spec.containers: expected a list, got a string",
      "generic-ephemeral-pod.yaml|error parsing YAML: line 3, column 1: expected '<document start>', but found '<block mapping start>'",
  })
  void verbatimSlidesWithElisionsAreRefusedClearly(String file, String message) throws IOException {
    String text = Files.readString(SLIDES.resolve("verbatim").resolve(file));
    assertThatThrownBy(() -> codec.decode(text)).isInstanceOf(DecodeException.class).hasMessage(message);
  }

  @Test
  void verbatimStorageClassNameIsRefusedByValidation() throws IOException {
    ApiObject sc = codec.decode(Files.readString(SLIDES.resolve("verbatim/mysql-storageclass.yaml"))).single();
    assertThat(Validation.validate(sc)).extracting(Object::toString).containsExactly(
        "metadata.name: Invalid value: \"mySC\": a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
            + "'example.com', regex used for validation is "
            + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  }
}
