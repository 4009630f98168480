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
 * A container of a pod ({@code core/v1 Container}); volumekit uses its mounts and devices and
 * its SELinux options (they can override the pod's for the volume's mount label); the rest is carried along.
 */
@RecordBuilder
public record Container(
    String name,
    Optional<String> image,
    ImmutableList<String> command,
    ImmutableList<String> args,
    Optional<String> workingDir,
    ImmutableList<EnvVar> env,
    ImmutableList<@Valid ContainerPort> ports,
    Optional<ResourceRequirements> resources,
    ImmutableList<VolumeMount> volumeMounts,
    ImmutableList<VolumeDevice> volumeDevices,
    Optional<String> imagePullPolicy,
    Optional<SecurityContext> securityContext) implements ContainerBuilder.With {

  public Container {
    name = Normalize.str(name);
    image = Normalize.opt(image);
    command = Normalize.list(command);
    args = Normalize.list(args);
    workingDir = Normalize.opt(workingDir);
    env = Normalize.list(env);
    ports = Normalize.list(ports);
    resources = Normalize.opt(resources);
    volumeMounts = Normalize.list(volumeMounts);
    volumeDevices = Normalize.list(volumeDevices);
    imagePullPolicy = Normalize.opt(imagePullPolicy);
    securityContext = Normalize.opt(securityContext);
  }
}
