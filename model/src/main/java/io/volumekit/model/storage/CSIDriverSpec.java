package io.volumekit.model.storage;

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
import io.volumekit.model.core.*;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a CSI driver needs from Kubernetes ({@code storage.k8s.io/v1 CSIDriverSpec}).
 *
 * <p>Defaults applied by the API server when unset: attachRequired true, podInfoOnMount false, volumeLifecycleModes
 * [Persistent], fsGroupPolicy ReadWriteOnceWithFSType, requiresRepublish false, storageCapacity false, seLinuxMount false.
 */
@RecordBuilder
public record CSIDriverSpec(
    Optional<Boolean> attachRequired,
    Optional<Boolean> podInfoOnMount,
    ImmutableList<String> volumeLifecycleModes,
    Optional<Boolean> storageCapacity,
    Optional<String> fsGroupPolicy,
    ImmutableList<@Valid TokenRequest> tokenRequests,
    Optional<Boolean> requiresRepublish,
    Optional<Boolean> seLinuxMount,
    Optional<@Min(value = 10, message = "must be greater than or equal to 10 seconds") Long> nodeAllocatableUpdatePeriodSeconds,
    Optional<Boolean> serviceAccountTokenInSecrets,
    Optional<Boolean> preventPodSchedulingIfMissing) implements CSIDriverSpecBuilder.With {

  public CSIDriverSpec {
    attachRequired = Normalize.opt(attachRequired);
    podInfoOnMount = Normalize.opt(podInfoOnMount);
    volumeLifecycleModes = Normalize.list(volumeLifecycleModes);
    storageCapacity = Normalize.opt(storageCapacity);
    fsGroupPolicy = Normalize.opt(fsGroupPolicy);
    tokenRequests = Normalize.list(tokenRequests);
    requiresRepublish = Normalize.opt(requiresRepublish);
    seLinuxMount = Normalize.opt(seLinuxMount);
    nodeAllocatableUpdatePeriodSeconds = Normalize.opt(nodeAllocatableUpdatePeriodSeconds);
    serviceAccountTokenInSecrets = Normalize.opt(serviceAccountTokenInSecrets);
    preventPodSchedulingIfMissing = Normalize.opt(preventPodSchedulingIfMissing);
  }

  public static final String PERSISTENT = "Persistent";
  public static final String EPHEMERAL = "Ephemeral";

  /** attachRequired, {@code true} when unset. */
  @JsonIgnore
  public boolean isAttachRequired() {
    return attachRequired.orElse(true);
  }

  /** The lifecycle modes, {@code [Persistent]} when unset. */
  @JsonIgnore
  public List<String> effectiveVolumeLifecycleModes() {
    return volumeLifecycleModes.isEmpty() ? List.of(PERSISTENT) : volumeLifecycleModes;
  }
}
