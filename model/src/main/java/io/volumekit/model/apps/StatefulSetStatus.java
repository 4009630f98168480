package io.volumekit.model.apps;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;
import java.util.Optional;

/**
 * The observed state of a StatefulSet ({@code apps/v1 StatefulSetStatus}), written by the
 * StatefulSet controller: how many of its pods exist ({@code replicas}), are Running and Ready
 * ({@code readyReplicas}, kubectl's READY column) and available.
 */
@RecordBuilder
public record StatefulSetStatus(
    Optional<Long> observedGeneration,
    Optional<Integer> replicas,
    Optional<Integer> readyReplicas,
    Optional<Integer> currentReplicas,
    Optional<Integer> updatedReplicas,
    Optional<Integer> availableReplicas) implements StatefulSetStatusBuilder.With {

  public StatefulSetStatus {
    observedGeneration = Normalize.opt(observedGeneration);
    replicas = Normalize.opt(replicas);
    readyReplicas = Normalize.opt(readyReplicas);
    currentReplicas = Normalize.opt(currentReplicas);
    updatedReplicas = Normalize.opt(updatedReplicas);
    availableReplicas = Normalize.opt(availableReplicas);
  }
}
