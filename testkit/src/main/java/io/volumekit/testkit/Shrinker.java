package io.volumekit.testkit;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Delta debugging ({@code ddmin}, Zeller and Hildebrandt 2002): the smallest sub-list of a failing
 * list that still fails, removing chunks of halving size and finally single elements.
 *
 * <p>The result is 1-minimal (removing any one element makes the failure go away) unless the
 * budget of test runs is exhausted first.
 */
public final class Shrinker {

  private Shrinker() {}

  /**
   * Shrinks {@code failing}, for which {@code fails} is true, within {@code budget} calls of
   * {@code fails}.
   */
  public static <T> ImmutableList<T> ddmin(List<T> failing, Predicate<List<T>> fails, int budget) {
    List<T> c = new ArrayList<>(failing);
    int runs = 0;
    int n = 2;
    while (c.size() >= 2 && runs < budget) {
      int chunk = (c.size() + n - 1) / n;
      boolean reduced = false;
      for (int start = 0; start < c.size() && runs < budget; start += chunk) {
        List<T> complement = new ArrayList<>(c.subList(0, start));
        complement.addAll(c.subList(Math.min(c.size(), start + chunk), c.size()));
        if (complement.size() == c.size()) {
          continue;
        }
        runs++;
        if (fails.test(complement)) {
          c = complement;
          n = Math.max(n - 1, 2);
          reduced = true;
          break;
        }
      }
      if (!reduced) {
        if (n >= c.size()) {
          break;
        }
        n = Math.min(c.size(), n * 2);
      }
    }
    return ImmutableList.copyOf(c);
  }
}
