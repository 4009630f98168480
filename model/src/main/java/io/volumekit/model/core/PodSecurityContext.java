package io.volumekit.model.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.soabase.recordbuilder.core.RecordBuilder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import io.volumekit.model.meta.*;
import io.volumekit.model.quantity.Quantity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pod-level security settings ({@code core/v1 PodSecurityContext}); fsGroup and its change policy
 * ({@code OnRootMismatch} | {@code Always}), SELinux options and {@code seLinuxChangePolicy}
 * ({@code MountOption}, the default, lets the kubelet mount eligible volumes with
 * {@code -o context=}; {@code Recursive} makes the container runtime relabel every file instead)
 * matter to volume mounting.
 */
@RecordBuilder
public record PodSecurityContext(
    Optional<Long> fsGroup,
    Optional<String> fsGroupChangePolicy,
    Optional<SELinuxOptions> seLinuxOptions,
    Optional<Long> runAsUser,
    Optional<Long> runAsGroup,
    Optional<Boolean> runAsNonRoot,
    ImmutableList<Long> supplementalGroups,
    Optional<String> seLinuxChangePolicy) implements PodSecurityContextBuilder.With {

  public PodSecurityContext {
    fsGroup = Normalize.opt(fsGroup);
    fsGroupChangePolicy = Normalize.opt(fsGroupChangePolicy);
    seLinuxOptions = Normalize.opt(seLinuxOptions);
    runAsUser = Normalize.opt(runAsUser);
    runAsGroup = Normalize.opt(runAsGroup);
    runAsNonRoot = Normalize.opt(runAsNonRoot);
    supplementalGroups = Normalize.list(supplementalGroups);
    seLinuxChangePolicy = Normalize.opt(seLinuxChangePolicy);
  }
}
