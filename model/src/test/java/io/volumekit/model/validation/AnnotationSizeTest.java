package io.volumekit.model.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The total annotation size counts UTF-8 bytes exactly as encoding each key and value would
 * ({@link MetaRules#utf8Length}, which counts without making the bytes): for ASCII, two- and
 * three-byte characters, surrogate pairs and lone surrogates (encoded as one {@code ?}).
 */
class AnnotationSizeTest {

  private static final char[] CHARS = {'a', ',', '\u00e9', '\u07ff', '\u0800', '\u20ac', '\uffff', '\ud83d', '\ude00',
      '\udbff', '\udc00'};

  @Test
  void countsTheBytesTheEncoderWouldMake() {
    qt().withFixedSeed(0x5EEDL).withExamples(2000)
        .forAll(lists().of(integers().between(0, CHARS.length - 1)).ofSizeBetween(0, 12))
        .checkAssert(indexes -> {
          StringBuilder b = new StringBuilder();
          indexes.forEach(i -> b.append(CHARS[i]));
          String s = b.toString();
          assertThat(MetaRules.utf8Length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        });
  }

  @Test
  void examples() {
    assertThat(MetaRules.utf8Length("")).isZero();
    assertThat(MetaRules.utf8Length("pvc-1,pvc-2")).isEqualTo(11);
    assertThat(MetaRules.utf8Length("\ud83d\ude00")).isEqualTo(4); // one emoji: a surrogate pair
    assertThat(MetaRules.utf8Length("\ud83d")).isEqualTo(1); // a lone surrogate: '?'
    assertThat(MetaRules.utf8Length("\ude00\ud83d")).isEqualTo(2); // reversed pair: two lone ones
  }
}
