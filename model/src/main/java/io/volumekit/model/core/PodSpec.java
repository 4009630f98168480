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
 * The desired state of a pod ({@code core/v1 PodSpec}), as far as storage and placement need it.
 */
@RecordBuilder
public record PodSpec(
    ImmutableList<@Valid Volume> volumes,
    ImmutableList<@Valid Container> initContainers,
    ImmutableList<@Valid Container> containers,
    Optional<String> restartPolicy,
    Optional<String> nodeName,
    ImmutableMap<String, String> nodeSelector,
    Optional<@Valid Affinity> affinity,
    Optional<String> serviceAccountName,
    Optional<PodSecurityContext> securityContext,
    ImmutableList<Toleration> tolerations,
    Optional<String> schedulerName,
    Optional<String> priorityClassName,
    ImmutableList<LocalObjectReference> imagePullSecrets) implements PodSpecBuilder.With {

  public PodSpec {
    volumes = Normalize.list(volumes);
    initContainers = Normalize.list(initContainers);
    containers = Normalize.list(containers);
    restartPolicy = Normalize.opt(restartPolicy);
    nodeName = Normalize.opt(nodeName);
    nodeSelector = Normalize.map(nodeSelector);
    affinity = Normalize.opt(affinity);
    serviceAccountName = Normalize.opt(serviceAccountName);
    securityContext = Normalize.opt(securityContext);
    tolerations = Normalize.list(tolerations);
    schedulerName = Normalize.opt(schedulerName);
    priorityClassName = Normalize.opt(priorityClassName);
    imagePullSecrets = Normalize.list(imagePullSecrets);
  }

  /** The volume with this name, if any. */
  public Optional<Volume> volume(String name) {
    return volumes.stream().filter(v -> v.name().equals(name)).findFirst();
  }

  /** Init containers then containers. */
  @JsonIgnore
  public ImmutableList<Container> allContainers() {
    return ImmutableList.<Container>builder().addAll(initContainers).addAll(containers).build();
  }
}
