package io.volumekit.cli.print;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HumanDurationTest {

  @ParameterizedTest(name = "{0}s -> {1}")
  @CsvSource({
      "-2, <invalid>", "-1, 0s", "0, 0s", "45, 45s", "119, 119s", "120, 2m", "303, 5m3s", "599, 9m59s",
      "600, 10m", "10740, 179m", "10800, 3h", "12000, 3h20m", "28740, 7h59m", "28800, 8h", "169200, 47h",
      "172800, 2d", "190800, 2d5h", "687600, 7d23h", "864000, 10d", "62985600, 729d", "63072000, 2y",
      "65664000, 2y30d", "252284400, 7y364d", "259200000, 8y"})
  void formatsAsKubectlDoes(long seconds, String expected) {
    assertThat(HumanDuration.format(Duration.ofSeconds(seconds))).isEqualTo(expected);
  }

  @Test
  void truncatesNegativeFractionsTowardZeroLikeGo() {
    assertThat(HumanDuration.format(Duration.ofMillis(-1900))).isEqualTo("0s");
    assertThat(HumanDuration.format(Duration.ofMillis(-2000))).isEqualTo("<invalid>");
    assertThat(HumanDuration.format(Duration.ofMillis(59_999))).isEqualTo("59s");
  }

  @Test
  void missingTimestampIsUnknown() {
    assertThat(HumanDuration.age(Optional.empty(), Instant.EPOCH)).isEqualTo("<unknown>");
  }

  private static final Pattern UNIT = Pattern.compile("(\\d+)([ydhms])");

  /** The printed age never overstates the duration, and understates it by less than its smallest printed unit. */
  @Test
  void printedAgeIsATruncationOfTheDuration() {
    qt().forAll(longs().between(0, 20L * 365 * 86400)).checkAssert(seconds -> {
      String text = HumanDuration.format(Duration.ofSeconds(seconds));
      Matcher m = UNIT.matcher(text);
      long total = 0;
      long smallest = Long.MAX_VALUE;
      int units = 0;
      while (m.find()) {
        long size = switch (m.group(2)) {
          case "y" -> 365L * 86400;
          case "d" -> 86400;
          case "h" -> 3600;
          case "m" -> 60;
          default -> 1;
        };
        total += Long.parseLong(m.group(1)) * size;
        smallest = Math.min(smallest, size);
        units++;
      }
      assertThat(units).isBetween(1, 2);
      assertThat(total).isLessThanOrEqualTo(seconds);
      assertThat(seconds - total).isLessThan(smallest);
    });
  }
}
