package io.volumekit.cli.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.cli.kind.KindRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class CliExceptionTest {

  @Test
  void notFoundNamesTheQualifiedPluralResource() {
    assertThat(CliException.notFound(KindRegistry.STANDARD.resolve("pvc"), "x").lines())
        .containsExactly("Error from server (NotFound): persistentvolumeclaims \"x\" not found");
    assertThat(CliException.notFoundLine(KindRegistry.STANDARD.resolve("sc"), "fast"))
        .isEqualTo("Error from server (NotFound): storageclasses.storage.k8s.io \"fast\" not found");
  }

  @Test
  void invalidWithOneCauseIsOneLine() {
    CliException e = CliException.invalid("PersistentVolumeClaim", "x",
        List.of("spec.accessModes: Required value: at least 1 access mode is required"));
    assertThat(e.lines()).containsExactly(
        "The PersistentVolumeClaim \"x\" is invalid: spec.accessModes: Required value: at least 1 access mode is required");
    assertThat(e.exitCode()).isEqualTo(1);
  }

  @Test
  void invalidWithSeveralCausesUsesBulletsAfterATrailingSpace() {
    CliException e = CliException.invalid("PersistentVolumeClaim", "x",
        List.of("spec.accessModes: Required value", "spec.resources[storage]: Required value", "spec.accessModes: Required value"));
    assertThat(e.lines()).containsExactly(
        "The PersistentVolumeClaim \"x\" is invalid: ",
        "* spec.accessModes: Required value",
        "* spec.resources[storage]: Required value");
  }

  @Test
  void errorPrefixIsAddedOnce() {
    assertThat(CliException.error("error: boom").lines()).containsExactly("error: boom");
    assertThat(CliException.usage("boom").exitCode()).isEqualTo(2);
  }

  @Test
  void namesAreGoQuoted() {
    assertThat(GoQuote.quote("a\"b\\c\n\u0001é")).isEqualTo("\"a\\\"b\\\\c\\n\\x01é\"");
  }
}
