package io.volumekit.cli.print;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * kubectl's age formatting ({@code AGE}, {@code LAST SEEN}, describe's event ages).
 *
 * <p>Mirrors {@code HumanDuration} of {@code k8s.io/apimachinery/pkg/util/duration}: whole units
 * by truncation, two units while the larger is small ({@code 5m3s}, {@code 3h20m}, {@code 2d5h},
 * {@code 2y30d}), one unit otherwise, {@code <invalid>} for clock skew over a second. See
 * docs/cli.md, "Output and messages".
 */
public final class HumanDuration {

  private static final long MINUTE = 60;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;
  private static final long YEAR = 365 * DAY;

  private HumanDuration() {}

  /** The age of {@code timestamp} at {@code now}, or {@code <unknown>} when there is none. */
  public static String age(Optional<Instant> timestamp, Instant now) {
    return timestamp.map(t -> format(Duration.between(t, now))).orElse("<unknown>");
  }

  /** The duration in kubectl's human form. */
  public static String format(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < 0 && d.getNano() > 0) {
      seconds++; // Go truncates toward zero: -1.5s counts as -1s
    }
    if (seconds < -1) {
      return "<invalid>";
    }
    if (seconds < 0) {
      return "0s";
    }
    if (seconds < 2 * MINUTE) {
      return seconds + "s";
    }
    long minutes = seconds / MINUTE;
    if (minutes < 10) {
      long s = seconds % MINUTE;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    }
    if (minutes < 3 * 60) {
      return minutes + "m";
    }
    long hours = seconds / HOUR;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    }
    if (hours < 48) {
      return hours + "h";
    }
    if (hours < 8 * 24) {
      long h = hours % 24;
      long days = hours / 24;
      return h == 0 ? days + "d" : days + "d" + h + "h";
    }
    long days = seconds / DAY;
    if (days < 2 * 365) {
      return days + "d";
    }
    long years = seconds / YEAR;
    if (years < 8) {
      long dy = days % 365;
      return dy == 0 ? years + "y" : years + "y" + dy + "d";
    }
    return years + "y";
  }
}
