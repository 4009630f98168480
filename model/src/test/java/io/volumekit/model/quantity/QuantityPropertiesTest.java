package io.volumekit.model.quantity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Properties of Quantity over arbitrary well-formed quantity strings. */
class QuantityPropertiesTest {

  static final List<String> SUFFIXES = List.of("", "n", "u", "m", "k", "M", "G", "T", "P", "E",
      "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "e3", "E-3", "e0", "e6", "e-9", "e-12", "E2");

  static Gen<String> digits(int min, int max) {
    return integers().between(min, max).zip(longs().between(0, 999_999_999_999L), (len, seed) -> {
      String s = Long.toString(seed);
      StringBuilder b = new StringBuilder();
      while (b.length() < len) {
        b.append(s);
      }
      return b.substring(0, len);
    });
  }

  /** Sign, integer digits, optional fraction, suffix: everything Kubernetes accepts and more. */
  static Gen<String> quantityStrings() {
    Gen<String> sign = Generate.pick(List.of("", "", "+", "-"));
    Gen<String> fraction = Generate.oneOf(Generate.constant(""), digits(0, 6).map(d -> "." + d));
    Gen<String> suffix = Generate.pick(SUFFIXES);
    return sign.zip(digits(1, 12), fraction, suffix, (s, i, f, x) -> s + i + f + x);
  }

  static Gen<Quantity> parseable() {
    return quantityStrings().map(s -> {
      try {
        return Quantity.parse(s);
      } catch (QuantityFormatException e) {
        return null; // too large: refused on purpose
      }
    }).assuming(q -> q != null);
  }

  @Test
  void canonicalFormReparsesToTheSameValue() {
    qt().withExamples(2000).forAll(parseable())
        .checkAssert(q -> assertThat(Quantity.parse(q.toString())).isEqualTo(q));
  }

  @Test
  void canonicalFormIsAFixedPointAfterOneRoundTrip() {
    // Not after zero: a binary-SI amount that no binary suffix divides prints as a plain integer,
    // which parses back as decimal SI (Kubernetes does the same; see the example below).
    qt().withExamples(2000).forAll(parseable())
        .checkAssert(q -> {
          String c = Quantity.parse(q.canonical()).canonical();
          assertThat(Quantity.parse(c).canonical()).isEqualTo(c);
        });
  }

  @Test
  void aBinaryAmountThatNoBinarySuffixDividesPrintsAsAnIntegerThatReparsesAsDecimal() {
    // As in Kubernetes: "62.5Ki" prints "64000" (binary SI, no suffix divides it exactly), and
    // "64000", parsed, is decimal SI and prints "64k". Same value all along.
    assertThat(Quantity.parse("62.5Ki").canonical()).isEqualTo("64000");
    assertThat(Quantity.parse("64000").canonical()).isEqualTo("64k");
    assertThat(Quantity.parse("64k")).isEqualTo(Quantity.parse("62.5Ki"));
    assertThat(Quantity.parse("1.5Ki").canonical()).isEqualTo("1536");
  }

  /** The exact value a suffix stands for. */
  static java.math.BigDecimal multiplier(String suffix) {
    return switch (suffix) {
      case "" -> java.math.BigDecimal.ONE;
      case "n" -> new java.math.BigDecimal("1e-9");
      case "u" -> new java.math.BigDecimal("1e-6");
      case "m" -> new java.math.BigDecimal("1e-3");
      case "k" -> new java.math.BigDecimal("1e3");
      case "M" -> new java.math.BigDecimal("1e6");
      case "G" -> new java.math.BigDecimal("1e9");
      case "T" -> new java.math.BigDecimal("1e12");
      case "P" -> new java.math.BigDecimal("1e15");
      case "E" -> new java.math.BigDecimal("1e18");
      case "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" ->
          new java.math.BigDecimal(java.math.BigInteger.TWO.pow(10 * ("KMGTPE".indexOf(suffix.charAt(0)) + 1)));
      default -> new java.math.BigDecimal("1" + suffix.toLowerCase(java.util.Locale.ROOT));
    };
  }

  @Test
  void parsedValueIsTheExactNumberTimesTheSuffixRoundedUpToANano() {
    Gen<String> sign = Generate.pick(List.of("", "+", "-"));
    Gen<String> fraction = Generate.oneOf(Generate.constant(""), digits(1, 6).map(d -> "." + d));
    qt().withExamples(2000).forAll(sign, digits(1, 10), fraction, Generate.pick(SUFFIXES)).checkAssert((sg, i, f, x) -> {
      java.math.BigDecimal number = new java.math.BigDecimal(sg + i + f);
      java.math.BigDecimal expected = number.multiply(multiplier(x));
      if (expected.scale() > 9) {
        expected = expected.setScale(9, java.math.RoundingMode.UP);
      }
      Quantity q;
      try {
        q = Quantity.parse(sg + i + f + x);
      } catch (QuantityFormatException tooLarge) {
        assertThat(expected.abs()).isGreaterThan(java.math.BigDecimal.valueOf(Long.MAX_VALUE));
        return;
      }
      assertThat(q.amount()).isEqualByComparingTo(expected);
    });
  }

  @Test
  void additionAndSubtractionAreInverse() {
    qt().withExamples(500).forAll(parseable(), parseable())
        .checkAssert((a, b) -> assertThat(a.add(b).subtract(b)).isEqualTo(a));
  }

  @Test
  void orderingAgreesWithSubtraction() {
    qt().withExamples(500).forAll(parseable(), parseable())
        .checkAssert((a, b) -> assertThat(Integer.signum(a.compareTo(b))).isEqualTo(a.subtract(b).signum()));
  }

  @Test
  void noInputStringCrashesTheParser() {
    Gen<String> junk = Generate.pick(List.of("", "0", "1", "9", ".", "+", "-", "e", "E", "i", "K", "k", "M", "G",
        "m", "u", "n", " ", "x", "P", "T"));
    Gen<String> strings = junk.zip(junk, junk, junk, junk, (a, b, c, d, e) -> a + b + c + d + e);
    qt().withExamples(3000).forAll(strings).checkAssert(s -> {
      try {
        Quantity q = Quantity.parse(s);
        assertThat(Quantity.parse(q.toString())).isEqualTo(q);
      } catch (QuantityFormatException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    });
  }
}
