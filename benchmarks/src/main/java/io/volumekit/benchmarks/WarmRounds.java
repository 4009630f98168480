package io.volumekit.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-round figures of a CPU-time benchmark, summarised as docs/performance.md reports them:
 * round 0 is JIT warm-up and left out; of the later rounds the median and the fastest are printed,
 * and the median as a multiple of the raw CSI baseline's median in the same run.
 */
final class WarmRounds {

  private final Map<String, List<Double>> byVariant = new LinkedHashMap<>();

  /** Records a round's figure (CPU µs or ms, one unit per variant). */
  void add(String variant, int round, double value) {
    if (round > 0) {
      byVariant.computeIfAbsent(variant, v -> new ArrayList<>()).add(value);
    }
  }

  /**
   * One line per variant: warm rounds, median, fastest, and the median over {@code baseline}'s (no
   * ratio when no variant has that name).
   */
  void print(String unit, String baseline) {
    Double base = byVariant.containsKey(baseline) ? median(byVariant.get(baseline)) : null;
    byVariant.forEach((variant, values) -> {
      double median = median(values);
      String ratio = base == null || variant.equals(baseline) ? "" : String.format(" medianOverRawCsi=%.0f", median / base);
      System.out.printf("summary variant=%s warmRounds=%d median%s=%.2f fastest%s=%.2f%s%n", variant, values.size(),
          unit, median, unit, values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN), ratio);
    });
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
