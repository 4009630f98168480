package io.volumekit.model.apps;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.google.common.collect.ImmutableList;
import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PodTemplateSpec;
import io.volumekit.model.core.PodTemplateSpecBuilder;
import io.volumekit.model.meta.LabelSelector;
import io.volumekit.model.meta.Normalize;
import java.util.Optional;

/**
 * The desired state of a StatefulSet ({@code apps/v1 StatefulSetSpec}). Fields the API server
 * defaults are optional here; the accessors {@link #replicasOrDefault()}, {@link #startOrdinal()},
 * {@link #podManagementPolicyOrDefault()} and {@link #retentionPolicy()} give the defaulted value.
 * {@code updateStrategy}, {@code revisionHistoryLimit} and {@code minReadySeconds} are kept as
 * written (volumekit does not roll pod templates).
 */
@RecordBuilder
public record StatefulSetSpec(
    Optional<Integer> replicas,
    Optional<LabelSelector> selector,
    PodTemplateSpec template,
    ImmutableList<PersistentVolumeClaim> volumeClaimTemplates,
    Optional<String> serviceName,
    Optional<String> podManagementPolicy,
    Optional<StatefulSetUpdateStrategy> updateStrategy,
    Optional<Integer> revisionHistoryLimit,
    Optional<Integer> minReadySeconds,
    Optional<StatefulSetPersistentVolumeClaimRetentionPolicy> persistentVolumeClaimRetentionPolicy,
    Optional<StatefulSetOrdinals> ordinals) implements StatefulSetSpecBuilder.With {

  /** podManagementPolicy: create and delete pods one at a time, each waiting for the previous to be Running and Ready. */
  public static final String ORDERED_READY = "OrderedReady";
  /** podManagementPolicy: create and delete pods without waiting. */
  public static final String PARALLEL = "Parallel";

  public StatefulSetSpec {
    replicas = Normalize.opt(replicas);
    selector = Normalize.opt(selector);
    template = Normalize.or(template, () -> PodTemplateSpecBuilder.builder().build());
    volumeClaimTemplates = Normalize.list(volumeClaimTemplates);
    serviceName = Normalize.opt(serviceName);
    podManagementPolicy = Normalize.opt(podManagementPolicy);
    updateStrategy = Normalize.opt(updateStrategy);
    revisionHistoryLimit = Normalize.opt(revisionHistoryLimit);
    minReadySeconds = Normalize.opt(minReadySeconds);
    persistentVolumeClaimRetentionPolicy = Normalize.opt(persistentVolumeClaimRetentionPolicy);
    ordinals = Normalize.opt(ordinals);
  }

  /** The desired number of pods ({@code replicas}, default 1). */
  @JsonIgnore
  public int replicasOrDefault() {
    return replicas.orElse(1);
  }

  /** The first ordinal ({@code ordinals.start}, default 0). */
  @JsonIgnore
  public int startOrdinal() {
    return ordinals.map(StatefulSetOrdinals::startOrDefault).orElse(0);
  }

  /** {@code podManagementPolicy}, default {@link #ORDERED_READY}. */
  @JsonIgnore
  public String podManagementPolicyOrDefault() {
    return podManagementPolicy.orElse(ORDERED_READY);
  }

  /** The claim retention policy, {@code Retain}/{@code Retain} where unset. */
  @JsonIgnore
  public StatefulSetPersistentVolumeClaimRetentionPolicy retentionPolicy() {
    return persistentVolumeClaimRetentionPolicy
        .orElse(StatefulSetPersistentVolumeClaimRetentionPolicy.RETAIN_ALL).withDefaults();
  }
}
