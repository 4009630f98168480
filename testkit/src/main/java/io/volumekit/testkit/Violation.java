package io.volumekit.testkit;

import java.util.Objects;

/**
 * A broken invariant: which one, what was wrong, and at which step of the history it was seen.
 *
 * @param invariant the invariant's name (see {@link Invariants})
 * @param message what was wrong
 * @param step index of the step after (or during) which it was seen; the history's size when it
 *     was seen at the end, after faults stopped
 * @param stepDescription the step as printed, or {@code "final settle"}
 */
public record Violation(String invariant, String message, int step, String stepDescription) {

  public Violation {
    Objects.requireNonNull(invariant, "invariant");
    message = Objects.requireNonNullElse(message, "");
    stepDescription = Objects.requireNonNullElse(stepDescription, "");
  }

  @Override
  public String toString() {
    return invariant + " violated at step " + step + " (" + stepDescription + "): " + message;
  }
}
