package io.volumekit.testkit;

import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one simulated history.
 *
 * @param seed the seed (of the history and of every fault decision)
 * @param history the steps that ran
 * @param violation the first broken invariant, if any
 * @param traceLines lines of engine trace (inputs, writes, events, effects and outcomes)
 * @param effects effects (CSI calls) the engine started
 * @param faults faults the driver injected
 * @param virtualTime how much virtual time the history took
 * @param traceHash a hash of the whole engine trace (for replay checks)
 * @param stateHash a hash of the final state (for replay checks)
 * @param traceTail the last lines of the trace, steps and driver records included
 */
public record SimulationResult(
    long seed,
    ImmutableList<Step> history,
    Optional<Violation> violation,
    long traceLines,
    long effects,
    long faults,
    Duration virtualTime,
    long traceHash,
    long stateHash,
    ImmutableList<String> traceTail) {

  public SimulationResult {
    history = ImmutableList.copyOf(history);
    violation = Objects.requireNonNullElse(violation, Optional.empty());
    traceTail = ImmutableList.copyOf(traceTail);
  }

  /** Whether an invariant was broken. */
  public boolean failed() {
    return violation.isPresent();
  }
}
