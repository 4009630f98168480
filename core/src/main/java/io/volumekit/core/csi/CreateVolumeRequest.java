package io.volumekit.core.csi;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.Optional;

/**
 * CreateVolume: provision a volume. {@code name} (REQUIRED) is the CO's idempotency key: a repeat
 * with the same name and compatible arguments returns the same volume, an incompatible repeat is
 * ALREADY_EXISTS. Kubernetes' external-provisioner sends {@code pvc-<claim uid>}. {@code
 * volumeCapabilities} is REQUIRED (at least one); {@code mutableParameters} override {@code
 * parameters}.
 */
public record CreateVolumeRequest(
    String name,
    Optional<CapacityRange> capacityRange,
    ImmutableList<VolumeCapability> volumeCapabilities,
    ImmutableMap<String, String> parameters,
    Secrets secrets,
    Optional<VolumeContentSource> volumeContentSource,
    Optional<TopologyRequirement> accessibilityRequirements,
    ImmutableMap<String, String> mutableParameters) {
  /** Normalises nulls to empty values. */
  public CreateVolumeRequest {
    name = Values.str(name);
    capacityRange = Values.opt(capacityRange);
    volumeCapabilities = Values.list(volumeCapabilities);
    parameters = Values.map(parameters);
    secrets = Values.secrets(secrets);
    volumeContentSource = Values.opt(volumeContentSource);
    accessibilityRequirements = Values.opt(accessibilityRequirements);
    mutableParameters = Values.map(mutableParameters);
  }

  /** A request for a volume of at least {@code requiredBytes} (0: driver default) with one capability. */
  public static CreateVolumeRequest of(String name, long requiredBytes, VolumeCapability capability) {
    return new CreateVolumeRequest(
        name,
        requiredBytes > 0 ? Optional.of(CapacityRange.atLeast(requiredBytes)) : Optional.empty(),
        ImmutableList.of(capability),
        ImmutableMap.of(),
        Secrets.none(),
        Optional.empty(),
        Optional.empty(),
        ImmutableMap.of());
  }

  /** This request with other parameters. */
  public CreateVolumeRequest withParameters(java.util.Map<String, String> p) {
    return new CreateVolumeRequest(name, capacityRange, volumeCapabilities, Values.map(p), secrets,
        volumeContentSource, accessibilityRequirements, mutableParameters);
  }

  /** This request with other mutable parameters. */
  public CreateVolumeRequest withMutableParameters(java.util.Map<String, String> m) {
    return new CreateVolumeRequest(name, capacityRange, volumeCapabilities, parameters, secrets,
        volumeContentSource, accessibilityRequirements, Values.map(m));
  }

  /** This request with a content source. */
  public CreateVolumeRequest withContentSource(VolumeContentSource source) {
    return new CreateVolumeRequest(name, capacityRange, volumeCapabilities, parameters, secrets,
        Optional.of(source), accessibilityRequirements, mutableParameters);
  }

  /** This request with accessibility requirements. */
  public CreateVolumeRequest withAccessibilityRequirements(TopologyRequirement req) {
    return new CreateVolumeRequest(name, capacityRange, volumeCapabilities, parameters, secrets,
        volumeContentSource, Optional.of(req), mutableParameters);
  }

  /** This request with secrets. */
  public CreateVolumeRequest withSecrets(Secrets s) {
    return new CreateVolumeRequest(name, capacityRange, volumeCapabilities, parameters, s,
        volumeContentSource, accessibilityRequirements, mutableParameters);
  }

  /** This request with other capabilities. */
  public CreateVolumeRequest withVolumeCapabilities(List<VolumeCapability> caps) {
    return new CreateVolumeRequest(name, capacityRange, Values.list(caps), parameters, secrets,
        volumeContentSource, accessibilityRequirements, mutableParameters);
  }

  /** This request with another capacity range (empty for none). */
  public CreateVolumeRequest withCapacityRange(Optional<CapacityRange> range) {
    return new CreateVolumeRequest(name, range, volumeCapabilities, parameters, secrets,
        volumeContentSource, accessibilityRequirements, mutableParameters);
  }
}
