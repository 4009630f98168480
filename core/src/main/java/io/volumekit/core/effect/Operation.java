package io.volumekit.core.effect;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An effect recorded in the cluster state: in flight, or finished with an outcome the issuing
 * controller has not consumed yet.
 *
 * <p>This is the engine's {@code nestedpendingoperations}: while an operation is {@link
 * Status#IN_FLIGHT} its effect is never issued again; after a failure the effect may be issued
 * again only from {@link #notBefore()} (exponential backoff). A controller consumes a finished
 * operation by listing its id in {@code Decision.forget}.
 *
 * @param attempts how many times the effect was started (1 for the first call)
 * @param uncertain whether some attempt failed in a way that leaves the outcome unknown (the
 *     driver may have done the work: DEADLINE_EXCEEDED, UNAVAILABLE...); sticky until the
 *     operation is forgotten, so a controller that no longer wants the effect knows it must find
 *     out (repeat the idempotent call) and undo it rather than just forget it
 * @param reported whether the issuing controller already reported this failure (event, status);
 *     set through {@code Decision.acknowledge} so a failure is reported once, not on every
 *     reconcile
 */
public record Operation(
    Effect effect,
    Status status,
    int attempts,
    Optional<Object> result,
    Optional<EffectFailure> failure,
    Optional<Instant> notBefore,
    boolean reported,
    boolean uncertain) {

  /** Where an operation stands. */
  public enum Status {
    /** Started; the outcome has not arrived. */
    IN_FLIGHT,
    /** Finished successfully; {@code result} holds the response (empty for void calls). */
    SUCCEEDED,
    /** Failed; {@code failure} says why, {@code notBefore} when it may be retried. */
    FAILED,
    /**
     * Not started yet: a controller asked for it to start at {@code notBefore} (a delayed
     * effect, {@code Decision.Builder.effectAfter}); {@code attempts} is 0.
     */
    SCHEDULED
  }

  public Operation {
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(status, "status");
    result = result == null ? Optional.empty() : result;
    failure = failure == null ? Optional.empty() : failure;
    notBefore = notBefore == null ? Optional.empty() : notBefore;
    if (status == Status.SCHEDULED && notBefore.isEmpty()) {
      throw new IllegalArgumentException("a scheduled operation needs a start time");
    }
    if (status == Status.FAILED && failure.isEmpty()) {
      throw new IllegalArgumentException("a failed operation needs a failure");
    }
  }

  /** A freshly started operation. */
  public static Operation started(Effect effect, int attempt) {
    return started(effect, attempt, false);
  }

  /** A started operation, keeping whether an earlier attempt left the outcome uncertain. */
  public static Operation started(Effect effect, int attempt, boolean uncertain) {
    return new Operation(effect, Status.IN_FLIGHT, attempt, Optional.empty(), Optional.empty(), Optional.empty(),
        false, uncertain);
  }

  /** An operation that starts at {@code notBefore}, when its controller asks for it again. */
  public static Operation scheduled(Effect effect, Instant notBefore) {
    return new Operation(effect, Status.SCHEDULED, 0, Optional.empty(), Optional.empty(), Optional.of(notBefore),
        false, false);
  }

  /** This operation finished successfully. */
  public Operation succeeded(Object result) {
    return new Operation(effect, Status.SUCCEEDED, attempts, Optional.ofNullable(result), Optional.empty(), Optional.empty(),
        false, uncertain);
  }

  /** This operation failed; it may be retried from {@code notBefore}. */
  public Operation failed(EffectFailure failure, Instant notBefore) {
    return new Operation(effect, Status.FAILED, attempts, Optional.empty(), Optional.of(failure), Optional.of(notBefore),
        false, uncertain || failure.mayBeInProgress());
  }

  /** This operation with its failure marked as reported. */
  public Operation acknowledged() {
    return new Operation(effect, status, attempts, result, failure, notBefore, true, uncertain);
  }

  /** Whether it failed and the failure was not reported yet. */
  public boolean unreportedFailure() {
    return status == Status.FAILED && !reported;
  }

  /** The id of the effect. */
  public EffectId id() {
    return effect.id();
  }

  /** Whether it is in flight. */
  public boolean inFlight() {
    return status == Status.IN_FLIGHT;
  }

  /** Whether it finished successfully. */
  public boolean succeeded() {
    return status == Status.SUCCEEDED;
  }

  /** Whether it waits for its time to start. */
  public boolean scheduled() {
    return status == Status.SCHEDULED;
  }

  /** Whether it failed. */
  public boolean failed() {
    return status == Status.FAILED;
  }

  /** The result as the given type, if it succeeded with one. */
  public <T> Optional<T> resultAs(Class<T> type) {
    return result.filter(type::isInstance).map(type::cast);
  }
}
