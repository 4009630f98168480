package io.volumekit.core.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import org.junit.jupiter.api.Test;

/** {@link Attachments#sanitize} (no regex) is the external-attacher's regex replacement, for any text. */
class AttachmentsSanitizeTest {

  private static String byRegex(String driver) {
    String s = driver.replaceAll("[^a-zA-Z0-9-]", "-");
    return s.endsWith("-") ? s + "X" : s;
  }

  @Test
  void sanitizeAgreesWithTheRegex() {
    qt().withExamples(500).forAll(strings().allPossible().ofLengthBetween(0, 12)).checkAssert(d ->
        assertThat(Attachments.sanitize(d)).isEqualTo(byRegex(d)));
    qt().withExamples(500).forAll(strings().ascii().ofLengthBetween(0, 12)).checkAssert(d -> {
      assertThat(Attachments.sanitize(d)).isEqualTo(byRegex(d));
      assertThat(Attachments.finalizer(d)).isEqualTo("external-attacher/" + byRegex(d));
    });
  }
}
