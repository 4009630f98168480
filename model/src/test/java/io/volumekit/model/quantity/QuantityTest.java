package io.volumekit.model.quantity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class QuantityTest {

  @ParameterizedTest(name = "{0} prints as {1}")
  @CsvSource({
      // canonical forms as the API server and kubectl print them
      "2048Mi, 2Gi", "1.5Gi, 1536Mi", "1000Mi, 1000Mi", "1024Gi, 1Ti", "0.5Gi, 512Mi", "1.5Ki, 1536",
      "1.1Ki, 1126400m", "0.5, 500m", "1.5G, 1500M", "1000, 1k", "3000000000, 3G", "5368709120, 5368709120",
      "1000m, 1", "0.1m, 100u", "1e3, 1e3", "0Gi, 0",
      // kept as written when Kubernetes caches the input
      "+1Gi, +1Gi", "1E3, 1E3", "12e6, 12e6", "100, 100", "1Gi, 1Gi", "01Ki, 01Ki",
      // canonicalised
      "1e4, 10e3", "1.10, 1100m", "0.0000000001, 1n", "-0.0000000001, -1n", "1.5, 1500m", "-1.5Gi, -1536Mi",
      "1Ei, 1Ei", "1024, 1024", "0.5Ki, 512", "1.G, 1.G", ".5, 500m", "0, 0", "-0, 0", "+5, +5", "-5, -5",
      "0.000001, 1u", "1000000000000000000, 1E", "1500k, 1500k", "1500000, 1500k", "1536Ki, 1536Ki", "2Pi, 2Pi"
  })
  void printsCanonicalForm(String input, String expected) {
    assertThat(Quantity.parse(input).toString()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "1Ki, 1024", "1.5Gi, 1610612736", "1k, 1000", "1m, 0.001", "1n, 0.000000001", "1e3, 1000", "1E-3, 0.001",
      "2Ti, 2199023255552", "-1Mi, -1048576", "0.0000000001, 0.000000001", "1.0000000001, 1.000000001"
  })
  void parsesExactValues(String input, String value) {
    assertThat(Quantity.parse(input).amount()).isEqualByComparingTo(new BigDecimal(value));
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @CsvSource(delimiter = '|', value = {
      "''|quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      "abc|quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      "1x|quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      "1Gb|quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      "1 Gi|quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      "1K|unable to parse quantity's suffix",
      "1Gi5|unable to parse quantity's suffix",
      "1e|unable to parse quantity's suffix",
      "1MM|unable to parse quantity's suffix",
      "1e99999999999999999999|unable to parse quantity's suffix",
      "1e1000|quantity is too large: its magnitude must be at most 9223372036854775807 (2^63-1)",
      "8Ei|quantity is too large: its magnitude must be at most 9223372036854775807 (2^63-1)",
      "99999999999999999999|quantity is too large: its magnitude must be at most 9223372036854775807 (2^63-1)",
  })
  void refusesMalformedInput(String input, String message) {
    assertThatThrownBy(() -> Quantity.parse(input))
        .isInstanceOf(QuantityFormatException.class)
        .hasMessage(message);
  }

  @Test
  void refusesOverlongInputWithoutEchoingIt() {
    String s = "1".repeat(10_000);
    assertThatThrownBy(() -> Quantity.parse(s))
        .isInstanceOf(QuantityFormatException.class)
        .hasMessage("quantity is too long (10000 characters, at most 128)");
  }

  @Test
  void valuesFinerThanANanoRoundUpToOneNano() {
    assertThat(Quantity.parse("1e-5000").toString()).isEqualTo("1e-9");
    assertThat(Quantity.parse("0.00000000001").toString()).isEqualTo("1n");
    assertThat(Quantity.parse("0e-5000").isZero()).isTrue();
  }

  @Test
  void comparesByValueAcrossFormats() {
    assertThat(Quantity.parse("1Gi")).isEqualTo(Quantity.parse("1073741824"));
    assertThat(Quantity.parse("1Gi").hashCode()).isEqualTo(Quantity.parse("1073741824").hashCode());
    assertThat(Quantity.parse("1k")).isEqualTo(Quantity.parse("1e3"));
    assertThat(Quantity.parse("1Gi")).isGreaterThan(Quantity.parse("1G"));
    assertThat(Quantity.parse("999Mi").isLessThan(Quantity.parse("1Gi"))).isTrue();
    assertThat(Quantity.parse("0")).isEqualTo(Quantity.parse("0Gi"));
  }

  @Test
  void addsAndSubtractsExactly() {
    Quantity sum = Quantity.parse("1Gi").add(Quantity.parse("512Mi"));
    assertThat(sum.toString()).isEqualTo("1536Mi");
    assertThat(sum.subtract(Quantity.parse("512Mi"))).isEqualTo(Quantity.parse("1Gi"));
    assertThat(Quantity.parse("0.1").add(Quantity.parse("0.2"))).isEqualTo(Quantity.parse("0.3"));
    assertThat(Quantity.ZERO.add(Quantity.parse("2Gi")).toString()).isEqualTo("2Gi");
    assertThat(Quantity.parse("1Gi").multiply(3).toString()).isEqualTo("3Gi");
    assertThat(Quantity.parse("1Gi").negate().toString()).isEqualTo("-1Gi");
  }

  @Test
  void valueRoundsUpLikeKubernetes() {
    assertThat(Quantity.parse("1.5").value()).isEqualTo(2);
    assertThat(Quantity.parse("100m").value()).isEqualTo(1);
    assertThat(Quantity.parse("1.5").milliValue()).isEqualTo(1500);
    assertThat(Quantity.parse("1Gi").value()).isEqualTo(1L << 30);
  }

  @Test
  void bytesFactoryPrintsInBinary() {
    assertThat(Quantity.ofBytes(1L << 30).toString()).isEqualTo("1Gi");
    assertThat(Quantity.ofBytes(1500).toString()).isEqualTo("1500");
    assertThat(Quantity.ofDecimal(2000).toString()).isEqualTo("2k");
  }
}
