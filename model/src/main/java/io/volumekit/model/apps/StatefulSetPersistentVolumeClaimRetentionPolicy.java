package io.volumekit.model.apps;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;
import java.util.Optional;

/**
 * What happens to a StatefulSet's claims ({@code apps/v1
 * StatefulSetPersistentVolumeClaimRetentionPolicy}): {@code whenDeleted} when the set is deleted,
 * {@code whenScaled} when a scale-down removes their ordinal. {@code Retain} (the default) keeps
 * them; {@code Delete} makes them owned by the set, or by the scaled-down pod, so that the garbage
 * collector deletes them.
 */
@RecordBuilder
public record StatefulSetPersistentVolumeClaimRetentionPolicy(Optional<String> whenDeleted, Optional<String> whenScaled)
    implements StatefulSetPersistentVolumeClaimRetentionPolicyBuilder.With {

  /** Keep the claims. */
  public static final String RETAIN = "Retain";
  /** Delete the claims (through owner references and the garbage collector). */
  public static final String DELETE = "Delete";
  /** Retain on both: the default. */
  public static final StatefulSetPersistentVolumeClaimRetentionPolicy RETAIN_ALL =
      new StatefulSetPersistentVolumeClaimRetentionPolicy(Optional.of(RETAIN), Optional.of(RETAIN));

  public StatefulSetPersistentVolumeClaimRetentionPolicy {
    whenDeleted = Normalize.opt(whenDeleted);
    whenScaled = Normalize.opt(whenScaled);
  }

  /** The policy with {@code Retain} where a field is unset. */
  public StatefulSetPersistentVolumeClaimRetentionPolicy withDefaults() {
    return new StatefulSetPersistentVolumeClaimRetentionPolicy(
        Optional.of(whenDeleted.orElse(RETAIN)), Optional.of(whenScaled.orElse(RETAIN)));
  }

  /** Whether claims are deleted with the set. */
  @JsonIgnore
  public boolean deleteWhenDeleted() {
    return whenDeleted.filter(DELETE::equals).isPresent();
  }

  /** Whether claims of scaled-down ordinals are deleted. */
  @JsonIgnore
  public boolean deleteWhenScaled() {
    return whenScaled.filter(DELETE::equals).isPresent();
  }
}
