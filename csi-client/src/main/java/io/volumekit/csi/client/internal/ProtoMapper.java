package io.volumekit.csi.client.internal;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Int64Value;
import com.google.protobuf.Timestamp;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.AccessType;
import io.volumekit.core.csi.CapacityRange;
import io.volumekit.core.csi.ControllerCapability;
import io.volumekit.core.csi.ControllerExpandVolumeRequest;
import io.volumekit.core.csi.ControllerExpandVolumeResponse;
import io.volumekit.core.csi.ControllerModifyVolumeRequest;
import io.volumekit.core.csi.ControllerModifyVolumeResponse;
import io.volumekit.core.csi.ControllerGetCapabilitiesResponse;
import io.volumekit.core.csi.ControllerGetVolumeRequest;
import io.volumekit.core.csi.ControllerGetVolumeResponse;
import io.volumekit.core.csi.ControllerPublishVolumeRequest;
import io.volumekit.core.csi.ControllerPublishVolumeResponse;
import io.volumekit.core.csi.ControllerUnpublishVolumeRequest;
import io.volumekit.core.csi.CreateSnapshotRequest;
import io.volumekit.core.csi.CreateSnapshotResponse;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CreateVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.CreateVolumeGroupSnapshotResponse;
import io.volumekit.core.csi.DeleteVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.GetVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.GetVolumeGroupSnapshotResponse;
import io.volumekit.core.csi.GroupControllerCapability;
import io.volumekit.core.csi.GroupControllerGetCapabilitiesResponse;
import io.volumekit.core.csi.VolumeGroupSnapshot;
import io.volumekit.core.csi.CreateVolumeResponse;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.DeleteSnapshotRequest;
import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.csi.GetCapacityRequest;
import io.volumekit.core.csi.GetCapacityResponse;
import io.volumekit.core.csi.GetPluginCapabilitiesResponse;
import io.volumekit.core.csi.GetPluginInfoResponse;
import io.volumekit.core.csi.GetSnapshotRequest;
import io.volumekit.core.csi.GetSnapshotResponse;
import io.volumekit.core.csi.ListSnapshotsRequest;
import io.volumekit.core.csi.ListSnapshotsResponse;
import io.volumekit.core.csi.ListVolumesRequest;
import io.volumekit.core.csi.ListVolumesResponse;
import io.volumekit.core.csi.NodeCapability;
import io.volumekit.core.csi.NodeExpandVolumeRequest;
import io.volumekit.core.csi.NodeExpandVolumeResponse;
import io.volumekit.core.csi.NodeGetCapabilitiesResponse;
import io.volumekit.core.csi.NodeGetInfoResponse;
import io.volumekit.core.csi.NodeGetVolumeStatsRequest;
import io.volumekit.core.csi.NodeGetVolumeStatsResponse;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.csi.NodeUnpublishVolumeRequest;
import io.volumekit.core.csi.NodeUnstageVolumeRequest;
import io.volumekit.core.csi.PluginCapability;
import io.volumekit.core.csi.ProbeResponse;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.Snapshot;
import io.volumekit.core.csi.Topology;
import io.volumekit.core.csi.TopologyRequirement;
import io.volumekit.core.csi.ValidateVolumeCapabilitiesRequest;
import io.volumekit.core.csi.ValidateVolumeCapabilitiesResponse;
import io.volumekit.core.csi.Volume;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.csi.VolumeCondition;
import io.volumekit.core.csi.VolumeContentSource;
import io.volumekit.core.csi.VolumeStatus;
import io.volumekit.core.csi.VolumeUsage;
import io.volumekit.csi.client.internal.proto.Csi;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Translates between core's CSI records and the csi.v1 protobuf messages, in both directions
 * (requests and responses), field by field. Message-typed fields that are unset on the wire become
 * {@link Optional#empty()}; a {@code VolumeCapability} with neither {@code block} nor {@code mount}
 * is INVALID_ARGUMENT, as the spec requires exactly one.
 */
public final class ProtoMapper {
  private ProtoMapper() {}

  // ------------------------------------------------------------------ shared values

  public static Csi.VolumeCapability toProto(VolumeCapability c) {
    Csi.VolumeCapability.Builder b = Csi.VolumeCapability.newBuilder()
        .setAccessMode(Csi.VolumeCapability.AccessMode.newBuilder().setModeValue(c.accessMode().number()));
    if (c.accessType() instanceof AccessType.Mount m) {
      b.setMount(Csi.VolumeCapability.MountVolume.newBuilder()
          .setFsType(m.fsType()).addAllMountFlags(m.mountFlags()).setVolumeMountGroup(m.volumeMountGroup()));
    } else {
      b.setBlock(Csi.VolumeCapability.BlockVolume.getDefaultInstance());
    }
    return b.build();
  }

  public static VolumeCapability fromProto(Csi.VolumeCapability c) {
    AccessType type = switch (c.getAccessTypeCase()) {
      case BLOCK -> new AccessType.Block();
      case MOUNT -> new AccessType.Mount(c.getMount().getFsType(),
          ImmutableList.copyOf(c.getMount().getMountFlagsList()), c.getMount().getVolumeMountGroup());
      case ACCESSTYPE_NOT_SET -> throw CsiException.invalidArgument(
          "volume_capability.access_type: exactly one of block or mount is required");
    };
    return new VolumeCapability(type, AccessMode.forNumber(c.getAccessMode().getModeValue()));
  }

  static ImmutableList<VolumeCapability> capsFromProto(List<Csi.VolumeCapability> caps) {
    return caps.stream().map(ProtoMapper::fromProto).collect(ImmutableList.toImmutableList());
  }

  static List<Csi.VolumeCapability> capsToProto(List<VolumeCapability> caps) {
    return caps.stream().map(ProtoMapper::toProto).toList();
  }

  static Csi.CapacityRange toProto(CapacityRange r) {
    return Csi.CapacityRange.newBuilder().setRequiredBytes(r.requiredBytes()).setLimitBytes(r.limitBytes()).build();
  }

  static CapacityRange fromProto(Csi.CapacityRange r) {
    return new CapacityRange(r.getRequiredBytes(), r.getLimitBytes());
  }

  static Csi.Topology toProto(Topology t) {
    return Csi.Topology.newBuilder().putAllSegments(t.segments()).build();
  }

  static Topology fromProto(Csi.Topology t) {
    return new Topology(ImmutableMap.copyOf(t.getSegmentsMap()));
  }

  static ImmutableList<Topology> topologiesFromProto(List<Csi.Topology> l) {
    return l.stream().map(ProtoMapper::fromProto).collect(ImmutableList.toImmutableList());
  }

  static List<Csi.Topology> topologiesToProto(List<Topology> l) {
    return l.stream().map(ProtoMapper::toProto).toList();
  }

  static Csi.VolumeContentSource toProto(VolumeContentSource s) {
    if (s instanceof VolumeContentSource.SnapshotSource snap) {
      return Csi.VolumeContentSource.newBuilder()
          .setSnapshot(Csi.VolumeContentSource.SnapshotSource.newBuilder().setSnapshotId(snap.snapshotId()))
          .build();
    }
    VolumeContentSource.VolumeSource vol = (VolumeContentSource.VolumeSource) s;
    return Csi.VolumeContentSource.newBuilder()
        .setVolume(Csi.VolumeContentSource.VolumeSource.newBuilder().setVolumeId(vol.volumeId()))
        .build();
  }

  static Optional<VolumeContentSource> fromProto(Csi.VolumeContentSource s) {
    return switch (s.getTypeCase()) {
      case SNAPSHOT -> Optional.of(VolumeContentSource.snapshot(s.getSnapshot().getSnapshotId()));
      case VOLUME -> Optional.of(VolumeContentSource.volume(s.getVolume().getVolumeId()));
      case TYPE_NOT_SET -> Optional.empty();
    };
  }

  static Csi.Volume toProto(Volume v) {
    Csi.Volume.Builder b = Csi.Volume.newBuilder()
        .setCapacityBytes(v.capacityBytes())
        .setVolumeId(v.volumeId())
        .putAllVolumeContext(v.volumeContext())
        .addAllAccessibleTopology(topologiesToProto(v.accessibleTopology()));
    v.contentSource().ifPresent(s -> b.setContentSource(toProto(s)));
    return b.build();
  }

  static Volume fromProto(Csi.Volume v) {
    return new Volume(v.getCapacityBytes(), v.getVolumeId(), ImmutableMap.copyOf(v.getVolumeContextMap()),
        v.hasContentSource() ? fromProto(v.getContentSource()) : Optional.empty(),
        topologiesFromProto(v.getAccessibleTopologyList()));
  }

  static Csi.VolumeCondition toProto(VolumeCondition c) {
    return Csi.VolumeCondition.newBuilder().setAbnormal(c.abnormal()).setMessage(c.message()).build();
  }

  static VolumeCondition fromProto(Csi.VolumeCondition c) {
    return new VolumeCondition(c.getAbnormal(), c.getMessage());
  }

  static Csi.Snapshot toProto(Snapshot s) {
    Csi.Snapshot.Builder b = Csi.Snapshot.newBuilder()
        .setSizeBytes(s.sizeBytes())
        .setSnapshotId(s.snapshotId())
        .setSourceVolumeId(s.sourceVolumeId())
        .setReadyToUse(s.readyToUse())
        .setGroupSnapshotId(s.groupSnapshotId());
    s.creationTime().ifPresent(t -> b.setCreationTime(
        Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano())));
    return b.build();
  }

  static Snapshot fromProto(Csi.Snapshot s) {
    Optional<Instant> created = s.hasCreationTime()
        ? Optional.of(Instant.ofEpochSecond(s.getCreationTime().getSeconds(), s.getCreationTime().getNanos()))
        : Optional.empty();
    return new Snapshot(s.getSizeBytes(), s.getSnapshotId(), s.getSourceVolumeId(), created, s.getReadyToUse(),
        s.getGroupSnapshotId());
  }

  static Secrets secrets(java.util.Map<String, String> m) {
    return Secrets.of(m);
  }

  // ------------------------------------------------------------------ identity

  public static GetPluginInfoResponse fromProto(Csi.GetPluginInfoResponse r) {
    return new GetPluginInfoResponse(r.getName(), r.getVendorVersion(), ImmutableMap.copyOf(r.getManifestMap()));
  }

  public static Csi.GetPluginInfoResponse toProto(GetPluginInfoResponse r) {
    return Csi.GetPluginInfoResponse.newBuilder()
        .setName(r.name()).setVendorVersion(r.vendorVersion()).putAllManifest(r.manifest()).build();
  }

  public static GetPluginCapabilitiesResponse fromProto(Csi.GetPluginCapabilitiesResponse r) {
    ImmutableSet.Builder<PluginCapability> b = ImmutableSet.builder();
    for (Csi.PluginCapability c : r.getCapabilitiesList()) {
      switch (c.getTypeCase()) {
        case SERVICE -> {
          switch (c.getService().getType()) {
            case CONTROLLER_SERVICE -> b.add(PluginCapability.CONTROLLER_SERVICE);
            case VOLUME_ACCESSIBILITY_CONSTRAINTS -> b.add(PluginCapability.VOLUME_ACCESSIBILITY_CONSTRAINTS);
            case GROUP_CONTROLLER_SERVICE -> b.add(PluginCapability.GROUP_CONTROLLER_SERVICE);
            case SNAPSHOT_METADATA_SERVICE -> b.add(PluginCapability.SNAPSHOT_METADATA_SERVICE);
            default -> { } // UNKNOWN or a value newer than this proto: ignored
          }
        }
        case VOLUME_EXPANSION -> {
          switch (c.getVolumeExpansion().getType()) {
            case ONLINE -> b.add(PluginCapability.ONLINE_VOLUME_EXPANSION);
            case OFFLINE -> b.add(PluginCapability.OFFLINE_VOLUME_EXPANSION);
            default -> { }
          }
        }
        default -> { }
      }
    }
    return new GetPluginCapabilitiesResponse(b.build());
  }

  public static Csi.GetPluginCapabilitiesResponse toProto(GetPluginCapabilitiesResponse r) {
    Csi.GetPluginCapabilitiesResponse.Builder b = Csi.GetPluginCapabilitiesResponse.newBuilder();
    for (PluginCapability c : r.capabilities()) {
      Csi.PluginCapability.Builder pc = Csi.PluginCapability.newBuilder();
      switch (c) {
        case CONTROLLER_SERVICE -> pc.setService(service(Csi.PluginCapability.Service.Type.CONTROLLER_SERVICE));
        case VOLUME_ACCESSIBILITY_CONSTRAINTS ->
            pc.setService(service(Csi.PluginCapability.Service.Type.VOLUME_ACCESSIBILITY_CONSTRAINTS));
        case GROUP_CONTROLLER_SERVICE -> pc.setService(service(Csi.PluginCapability.Service.Type.GROUP_CONTROLLER_SERVICE));
        case SNAPSHOT_METADATA_SERVICE -> pc.setService(service(Csi.PluginCapability.Service.Type.SNAPSHOT_METADATA_SERVICE));
        case ONLINE_VOLUME_EXPANSION -> pc.setVolumeExpansion(Csi.PluginCapability.VolumeExpansion.newBuilder()
            .setType(Csi.PluginCapability.VolumeExpansion.Type.ONLINE));
        case OFFLINE_VOLUME_EXPANSION -> pc.setVolumeExpansion(Csi.PluginCapability.VolumeExpansion.newBuilder()
            .setType(Csi.PluginCapability.VolumeExpansion.Type.OFFLINE));
      }
      b.addCapabilities(pc);
    }
    return b.build();
  }

  private static Csi.PluginCapability.Service service(Csi.PluginCapability.Service.Type t) {
    return Csi.PluginCapability.Service.newBuilder().setType(t).build();
  }

  public static ProbeResponse fromProto(Csi.ProbeResponse r) {
    return new ProbeResponse(!r.hasReady() || r.getReady().getValue());
  }

  public static Csi.ProbeResponse toProto(ProbeResponse r) {
    return Csi.ProbeResponse.newBuilder().setReady(BoolValue.of(r.ready())).build();
  }

  // ------------------------------------------------------------------ controller requests

  public static Csi.CreateVolumeRequest toProto(CreateVolumeRequest r) {
    Csi.CreateVolumeRequest.Builder b = Csi.CreateVolumeRequest.newBuilder()
        .setName(r.name())
        .addAllVolumeCapabilities(capsToProto(r.volumeCapabilities()))
        .putAllParameters(r.parameters())
        .putAllSecrets(r.secrets().asMap())
        .putAllMutableParams(r.mutableParameters());
    r.capacityRange().ifPresent(c -> b.setCapacityRange(toProto(c)));
    r.volumeContentSource().ifPresent(s -> b.setVolumeContentSource(toProto(s)));
    r.accessibilityRequirements().ifPresent(t -> b.setAccessibilityRequirements(Csi.TopologyRequirement.newBuilder()
        .addAllRequisite(topologiesToProto(t.requisite())).addAllPreferred(topologiesToProto(t.preferred()))));
    return b.build();
  }

  public static CreateVolumeRequest fromProto(Csi.CreateVolumeRequest r) {
    return new CreateVolumeRequest(r.getName(),
        r.hasCapacityRange() ? Optional.of(fromProto(r.getCapacityRange())) : Optional.empty(),
        capsFromProto(r.getVolumeCapabilitiesList()),
        ImmutableMap.copyOf(r.getParametersMap()),
        secrets(r.getSecretsMap()),
        r.hasVolumeContentSource() ? fromProto(r.getVolumeContentSource()) : Optional.empty(),
        r.hasAccessibilityRequirements()
            ? Optional.of(new TopologyRequirement(topologiesFromProto(r.getAccessibilityRequirements().getRequisiteList()),
                topologiesFromProto(r.getAccessibilityRequirements().getPreferredList())))
            : Optional.empty(),
        ImmutableMap.copyOf(r.getMutableParamsMap()));
  }

  public static CreateVolumeResponse fromProto(Csi.CreateVolumeResponse r) {
    return new CreateVolumeResponse(fromProto(r.getVolume()));
  }

  public static Csi.CreateVolumeResponse toProto(CreateVolumeResponse r) {
    return Csi.CreateVolumeResponse.newBuilder().setVolume(toProto(r.volume())).build();
  }

  public static Csi.DeleteVolumeRequest toProto(DeleteVolumeRequest r) {
    return Csi.DeleteVolumeRequest.newBuilder().setVolumeId(r.volumeId()).putAllSecrets(r.secrets().asMap()).build();
  }

  public static DeleteVolumeRequest fromProto(Csi.DeleteVolumeRequest r) {
    return new DeleteVolumeRequest(r.getVolumeId(), secrets(r.getSecretsMap()));
  }

  public static Csi.ControllerPublishVolumeRequest toProto(ControllerPublishVolumeRequest r) {
    Csi.ControllerPublishVolumeRequest.Builder b = Csi.ControllerPublishVolumeRequest.newBuilder()
        .setVolumeId(r.volumeId()).setNodeId(r.nodeId()).setReadonly(r.readonly())
        .putAllSecrets(r.secrets().asMap()).putAllVolumeContext(r.volumeContext());
    r.volumeCapability().ifPresent(c -> b.setVolumeCapability(toProto(c)));
    return b.build();
  }

  public static ControllerPublishVolumeRequest fromProto(Csi.ControllerPublishVolumeRequest r) {
    return new ControllerPublishVolumeRequest(r.getVolumeId(), r.getNodeId(),
        r.hasVolumeCapability() ? Optional.of(fromProto(r.getVolumeCapability())) : Optional.empty(),
        r.getReadonly(), secrets(r.getSecretsMap()), ImmutableMap.copyOf(r.getVolumeContextMap()));
  }

  public static ControllerPublishVolumeResponse fromProto(Csi.ControllerPublishVolumeResponse r) {
    return new ControllerPublishVolumeResponse(ImmutableMap.copyOf(r.getPublishContextMap()));
  }

  public static Csi.ControllerPublishVolumeResponse toProto(ControllerPublishVolumeResponse r) {
    return Csi.ControllerPublishVolumeResponse.newBuilder().putAllPublishContext(r.publishContext()).build();
  }

  public static Csi.ControllerUnpublishVolumeRequest toProto(ControllerUnpublishVolumeRequest r) {
    return Csi.ControllerUnpublishVolumeRequest.newBuilder()
        .setVolumeId(r.volumeId()).setNodeId(r.nodeId()).putAllSecrets(r.secrets().asMap()).build();
  }

  public static ControllerUnpublishVolumeRequest fromProto(Csi.ControllerUnpublishVolumeRequest r) {
    return new ControllerUnpublishVolumeRequest(r.getVolumeId(), r.getNodeId(), secrets(r.getSecretsMap()));
  }

  public static Csi.ValidateVolumeCapabilitiesRequest toProto(ValidateVolumeCapabilitiesRequest r) {
    return Csi.ValidateVolumeCapabilitiesRequest.newBuilder()
        .setVolumeId(r.volumeId()).putAllVolumeContext(r.volumeContext())
        .addAllVolumeCapabilities(capsToProto(r.volumeCapabilities())).putAllParameters(r.parameters())
        .putAllSecrets(r.secrets().asMap()).putAllMutableParams(r.mutableParameters()).build();
  }

  public static ValidateVolumeCapabilitiesRequest fromProto(Csi.ValidateVolumeCapabilitiesRequest r) {
    return new ValidateVolumeCapabilitiesRequest(r.getVolumeId(), ImmutableMap.copyOf(r.getVolumeContextMap()),
        capsFromProto(r.getVolumeCapabilitiesList()), ImmutableMap.copyOf(r.getParametersMap()),
        secrets(r.getSecretsMap()), ImmutableMap.copyOf(r.getMutableParamsMap()));
  }

  public static ValidateVolumeCapabilitiesResponse fromProto(Csi.ValidateVolumeCapabilitiesResponse r) {
    Optional<ValidateVolumeCapabilitiesResponse.Confirmed> confirmed = r.hasConfirmed()
        ? Optional.of(new ValidateVolumeCapabilitiesResponse.Confirmed(
            ImmutableMap.copyOf(r.getConfirmed().getVolumeContextMap()),
            capsFromProto(r.getConfirmed().getVolumeCapabilitiesList()),
            ImmutableMap.copyOf(r.getConfirmed().getParametersMap()),
            ImmutableMap.copyOf(r.getConfirmed().getMutableParamsMap())))
        : Optional.empty();
    return new ValidateVolumeCapabilitiesResponse(confirmed, r.getMessage());
  }

  public static Csi.ValidateVolumeCapabilitiesResponse toProto(ValidateVolumeCapabilitiesResponse r) {
    Csi.ValidateVolumeCapabilitiesResponse.Builder b =
        Csi.ValidateVolumeCapabilitiesResponse.newBuilder().setMessage(r.message());
    r.confirmed().ifPresent(c -> b.setConfirmed(Csi.ValidateVolumeCapabilitiesResponse.Confirmed.newBuilder()
        .putAllVolumeContext(c.volumeContext()).addAllVolumeCapabilities(capsToProto(c.volumeCapabilities()))
        .putAllParameters(c.parameters()).putAllMutableParams(c.mutableParameters())));
    return b.build();
  }

  public static Csi.ListVolumesRequest toProto(ListVolumesRequest r) {
    return Csi.ListVolumesRequest.newBuilder().setMaxEntries(r.maxEntries()).setStartingToken(r.startingToken()).build();
  }

  public static ListVolumesRequest fromProto(Csi.ListVolumesRequest r) {
    return new ListVolumesRequest(r.getMaxEntries(), r.getStartingToken());
  }

  public static ListVolumesResponse fromProto(Csi.ListVolumesResponse r) {
    ImmutableList<ListVolumesResponse.Entry> entries = r.getEntriesList().stream()
        .map(e -> new ListVolumesResponse.Entry(fromProto(e.getVolume()),
            e.hasStatus()
                ? Optional.of(new VolumeStatus(ImmutableList.copyOf(e.getStatus().getPublishedNodeIdsList()),
                    e.getStatus().hasVolumeCondition()
                        ? Optional.of(fromProto(e.getStatus().getVolumeCondition())) : Optional.empty()))
                : Optional.empty()))
        .collect(ImmutableList.toImmutableList());
    return new ListVolumesResponse(entries, r.getNextToken());
  }

  public static Csi.ListVolumesResponse toProto(ListVolumesResponse r) {
    Csi.ListVolumesResponse.Builder b = Csi.ListVolumesResponse.newBuilder().setNextToken(r.nextToken());
    for (ListVolumesResponse.Entry e : r.entries()) {
      Csi.ListVolumesResponse.Entry.Builder eb = Csi.ListVolumesResponse.Entry.newBuilder().setVolume(toProto(e.volume()));
      e.status().ifPresent(s -> {
        Csi.ListVolumesResponse.VolumeStatus.Builder sb =
            Csi.ListVolumesResponse.VolumeStatus.newBuilder().addAllPublishedNodeIds(s.publishedNodeIds());
        s.volumeCondition().ifPresent(c -> sb.setVolumeCondition(toProto(c)));
        eb.setStatus(sb);
      });
      b.addEntries(eb);
    }
    return b.build();
  }

  public static Csi.GetCapacityRequest toProto(GetCapacityRequest r) {
    Csi.GetCapacityRequest.Builder b = Csi.GetCapacityRequest.newBuilder()
        .addAllVolumeCapabilities(capsToProto(r.volumeCapabilities())).putAllParameters(r.parameters());
    r.accessibleTopology().ifPresent(t -> b.setAccessibleTopology(toProto(t)));
    return b.build();
  }

  public static GetCapacityRequest fromProto(Csi.GetCapacityRequest r) {
    return new GetCapacityRequest(capsFromProto(r.getVolumeCapabilitiesList()), ImmutableMap.copyOf(r.getParametersMap()),
        r.hasAccessibleTopology() ? Optional.of(fromProto(r.getAccessibleTopology())) : Optional.empty());
  }

  public static GetCapacityResponse fromProto(Csi.GetCapacityResponse r) {
    return new GetCapacityResponse(r.getAvailableCapacity(),
        r.hasMaximumVolumeSize() ? OptionalLong.of(r.getMaximumVolumeSize().getValue()) : OptionalLong.empty(),
        r.hasMinimumVolumeSize() ? OptionalLong.of(r.getMinimumVolumeSize().getValue()) : OptionalLong.empty());
  }

  public static Csi.GetCapacityResponse toProto(GetCapacityResponse r) {
    Csi.GetCapacityResponse.Builder b = Csi.GetCapacityResponse.newBuilder().setAvailableCapacity(r.availableCapacity());
    r.maximumVolumeSize().ifPresent(v -> b.setMaximumVolumeSize(Int64Value.of(v)));
    r.minimumVolumeSize().ifPresent(v -> b.setMinimumVolumeSize(Int64Value.of(v)));
    return b.build();
  }

  public static ControllerGetCapabilitiesResponse fromProto(Csi.ControllerGetCapabilitiesResponse r) {
    ImmutableSet.Builder<ControllerCapability> b = ImmutableSet.builder();
    for (Csi.ControllerServiceCapability c : r.getCapabilitiesList()) {
      if (c.hasRpc()) {
        ControllerCapability.forNumber(c.getRpc().getTypeValue()).ifPresent(b::add);
      }
    }
    return new ControllerGetCapabilitiesResponse(b.build());
  }

  public static Csi.ControllerGetCapabilitiesResponse toProto(ControllerGetCapabilitiesResponse r) {
    Csi.ControllerGetCapabilitiesResponse.Builder b = Csi.ControllerGetCapabilitiesResponse.newBuilder();
    for (ControllerCapability c : r.capabilities()) {
      b.addCapabilities(Csi.ControllerServiceCapability.newBuilder()
          .setRpc(Csi.ControllerServiceCapability.RPC.newBuilder().setTypeValue(c.number())));
    }
    return b.build();
  }

  public static Csi.CreateSnapshotRequest toProto(CreateSnapshotRequest r) {
    return Csi.CreateSnapshotRequest.newBuilder().setSourceVolumeId(r.sourceVolumeId()).setName(r.name())
        .putAllSecrets(r.secrets().asMap()).putAllParameters(r.parameters()).build();
  }

  public static CreateSnapshotRequest fromProto(Csi.CreateSnapshotRequest r) {
    return new CreateSnapshotRequest(r.getSourceVolumeId(), r.getName(), secrets(r.getSecretsMap()),
        ImmutableMap.copyOf(r.getParametersMap()));
  }

  public static CreateSnapshotResponse fromProto(Csi.CreateSnapshotResponse r) {
    return new CreateSnapshotResponse(fromProto(r.getSnapshot()));
  }

  public static Csi.CreateSnapshotResponse toProto(CreateSnapshotResponse r) {
    return Csi.CreateSnapshotResponse.newBuilder().setSnapshot(toProto(r.snapshot())).build();
  }

  public static Csi.DeleteSnapshotRequest toProto(DeleteSnapshotRequest r) {
    return Csi.DeleteSnapshotRequest.newBuilder().setSnapshotId(r.snapshotId()).putAllSecrets(r.secrets().asMap()).build();
  }

  public static DeleteSnapshotRequest fromProto(Csi.DeleteSnapshotRequest r) {
    return new DeleteSnapshotRequest(r.getSnapshotId(), secrets(r.getSecretsMap()));
  }

  public static Csi.ListSnapshotsRequest toProto(ListSnapshotsRequest r) {
    return Csi.ListSnapshotsRequest.newBuilder().setMaxEntries(r.maxEntries()).setStartingToken(r.startingToken())
        .setSourceVolumeId(r.sourceVolumeId()).setSnapshotId(r.snapshotId()).putAllSecrets(r.secrets().asMap()).build();
  }

  public static ListSnapshotsRequest fromProto(Csi.ListSnapshotsRequest r) {
    return new ListSnapshotsRequest(r.getMaxEntries(), r.getStartingToken(), r.getSourceVolumeId(), r.getSnapshotId(),
        secrets(r.getSecretsMap()));
  }

  public static ListSnapshotsResponse fromProto(Csi.ListSnapshotsResponse r) {
    return new ListSnapshotsResponse(r.getEntriesList().stream().map(e -> fromProto(e.getSnapshot()))
        .collect(ImmutableList.toImmutableList()), r.getNextToken());
  }

  public static Csi.ListSnapshotsResponse toProto(ListSnapshotsResponse r) {
    Csi.ListSnapshotsResponse.Builder b = Csi.ListSnapshotsResponse.newBuilder().setNextToken(r.nextToken());
    r.entries().forEach(s -> b.addEntries(Csi.ListSnapshotsResponse.Entry.newBuilder().setSnapshot(toProto(s))));
    return b.build();
  }

  public static Csi.GetSnapshotRequest toProto(GetSnapshotRequest r) {
    return Csi.GetSnapshotRequest.newBuilder().setSnapshotId(r.snapshotId()).putAllSecrets(r.secrets().asMap()).build();
  }

  public static GetSnapshotRequest fromProto(Csi.GetSnapshotRequest r) {
    return new GetSnapshotRequest(r.getSnapshotId(), secrets(r.getSecretsMap()));
  }

  public static GetSnapshotResponse fromProto(Csi.GetSnapshotResponse r) {
    return new GetSnapshotResponse(fromProto(r.getSnapshot()));
  }

  public static Csi.GetSnapshotResponse toProto(GetSnapshotResponse r) {
    return Csi.GetSnapshotResponse.newBuilder().setSnapshot(toProto(r.snapshot())).build();
  }

  public static Csi.ControllerExpandVolumeRequest toProto(ControllerExpandVolumeRequest r) {
    Csi.ControllerExpandVolumeRequest.Builder b = Csi.ControllerExpandVolumeRequest.newBuilder()
        .setVolumeId(r.volumeId()).putAllSecrets(r.secrets().asMap());
    r.capacityRange().ifPresent(c -> b.setCapacityRange(toProto(c)));
    r.volumeCapability().ifPresent(c -> b.setVolumeCapability(toProto(c)));
    return b.build();
  }

  public static ControllerExpandVolumeRequest fromProto(Csi.ControllerExpandVolumeRequest r) {
    return new ControllerExpandVolumeRequest(r.getVolumeId(),
        r.hasCapacityRange() ? Optional.of(fromProto(r.getCapacityRange())) : Optional.empty(),
        secrets(r.getSecretsMap()),
        r.hasVolumeCapability() ? Optional.of(fromProto(r.getVolumeCapability())) : Optional.empty());
  }

  public static ControllerExpandVolumeResponse fromProto(Csi.ControllerExpandVolumeResponse r) {
    return new ControllerExpandVolumeResponse(r.getCapacityBytes(), r.getNodeExpansionRequired());
  }

  public static Csi.ControllerExpandVolumeResponse toProto(ControllerExpandVolumeResponse r) {
    return Csi.ControllerExpandVolumeResponse.newBuilder().setCapacityBytes(r.capacityBytes())
        .setNodeExpansionRequired(r.nodeExpansionRequired()).build();
  }

  public static Csi.ControllerModifyVolumeRequest toProto(ControllerModifyVolumeRequest r) {
    return Csi.ControllerModifyVolumeRequest.newBuilder().setVolumeId(r.volumeId())
        .putAllSecrets(r.secrets().asMap()).putAllMutableParameters(r.mutableParameters()).build();
  }

  public static ControllerModifyVolumeRequest fromProto(Csi.ControllerModifyVolumeRequest r) {
    return new ControllerModifyVolumeRequest(r.getVolumeId(), secrets(r.getSecretsMap()),
        ImmutableMap.copyOf(r.getMutableParametersMap()));
  }

  public static ControllerModifyVolumeResponse fromProto(Csi.ControllerModifyVolumeResponse r) {
    return new ControllerModifyVolumeResponse();
  }

  public static Csi.ControllerModifyVolumeResponse toProto(ControllerModifyVolumeResponse r) {
    return Csi.ControllerModifyVolumeResponse.getDefaultInstance();
  }

  public static Csi.ControllerGetVolumeRequest toProto(ControllerGetVolumeRequest r) {
    return Csi.ControllerGetVolumeRequest.newBuilder().setVolumeId(r.volumeId()).build();
  }

  public static ControllerGetVolumeRequest fromProto(Csi.ControllerGetVolumeRequest r) {
    return new ControllerGetVolumeRequest(r.getVolumeId());
  }

  public static ControllerGetVolumeResponse fromProto(Csi.ControllerGetVolumeResponse r) {
    Csi.ControllerGetVolumeResponse.VolumeStatus s = r.getStatus();
    return new ControllerGetVolumeResponse(fromProto(r.getVolume()),
        new VolumeStatus(ImmutableList.copyOf(s.getPublishedNodeIdsList()),
            s.hasVolumeCondition() ? Optional.of(fromProto(s.getVolumeCondition())) : Optional.empty()));
  }

  public static Csi.ControllerGetVolumeResponse toProto(ControllerGetVolumeResponse r) {
    Csi.ControllerGetVolumeResponse.VolumeStatus.Builder sb = Csi.ControllerGetVolumeResponse.VolumeStatus.newBuilder()
        .addAllPublishedNodeIds(r.status().publishedNodeIds());
    r.status().volumeCondition().ifPresent(c -> sb.setVolumeCondition(toProto(c)));
    return Csi.ControllerGetVolumeResponse.newBuilder().setVolume(toProto(r.volume())).setStatus(sb).build();
  }

  // ------------------------------------------------------------------ group controller

  public static GroupControllerGetCapabilitiesResponse fromProto(Csi.GroupControllerGetCapabilitiesResponse r) {
    ImmutableSet.Builder<GroupControllerCapability> b = ImmutableSet.builder();
    for (Csi.GroupControllerServiceCapability c : r.getCapabilitiesList()) {
      if (c.hasRpc()) {
        GroupControllerCapability.forNumber(c.getRpc().getTypeValue()).ifPresent(b::add);
      }
    }
    return new GroupControllerGetCapabilitiesResponse(b.build());
  }

  public static Csi.GroupControllerGetCapabilitiesResponse toProto(GroupControllerGetCapabilitiesResponse r) {
    Csi.GroupControllerGetCapabilitiesResponse.Builder b = Csi.GroupControllerGetCapabilitiesResponse.newBuilder();
    for (GroupControllerCapability c : r.capabilities()) {
      b.addCapabilities(Csi.GroupControllerServiceCapability.newBuilder()
          .setRpc(Csi.GroupControllerServiceCapability.RPC.newBuilder().setTypeValue(c.number())));
    }
    return b.build();
  }

  static Csi.VolumeGroupSnapshot toProto(VolumeGroupSnapshot g) {
    Csi.VolumeGroupSnapshot.Builder b = Csi.VolumeGroupSnapshot.newBuilder()
        .setGroupSnapshotId(g.groupSnapshotId()).setReadyToUse(g.readyToUse());
    g.snapshots().forEach(s -> b.addSnapshots(toProto(s)));
    g.creationTime().ifPresent(t -> b.setCreationTime(
        Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano())));
    return b.build();
  }

  static VolumeGroupSnapshot fromProto(Csi.VolumeGroupSnapshot g) {
    Optional<Instant> created = g.hasCreationTime()
        ? Optional.of(Instant.ofEpochSecond(g.getCreationTime().getSeconds(), g.getCreationTime().getNanos()))
        : Optional.empty();
    return new VolumeGroupSnapshot(g.getGroupSnapshotId(),
        g.getSnapshotsList().stream().map(ProtoMapper::fromProto).collect(ImmutableList.toImmutableList()),
        created, g.getReadyToUse());
  }

  public static Csi.CreateVolumeGroupSnapshotRequest toProto(CreateVolumeGroupSnapshotRequest r) {
    return Csi.CreateVolumeGroupSnapshotRequest.newBuilder().setName(r.name())
        .addAllSourceVolumeIds(r.sourceVolumeIds()).putAllSecrets(r.secrets().asMap())
        .putAllParameters(r.parameters()).build();
  }

  public static CreateVolumeGroupSnapshotRequest fromProto(Csi.CreateVolumeGroupSnapshotRequest r) {
    return new CreateVolumeGroupSnapshotRequest(r.getName(), ImmutableList.copyOf(r.getSourceVolumeIdsList()),
        secrets(r.getSecretsMap()), ImmutableMap.copyOf(r.getParametersMap()));
  }

  public static CreateVolumeGroupSnapshotResponse fromProto(Csi.CreateVolumeGroupSnapshotResponse r) {
    return new CreateVolumeGroupSnapshotResponse(fromProto(r.getGroupSnapshot()));
  }

  public static Csi.CreateVolumeGroupSnapshotResponse toProto(CreateVolumeGroupSnapshotResponse r) {
    return Csi.CreateVolumeGroupSnapshotResponse.newBuilder().setGroupSnapshot(toProto(r.groupSnapshot())).build();
  }

  public static Csi.DeleteVolumeGroupSnapshotRequest toProto(DeleteVolumeGroupSnapshotRequest r) {
    return Csi.DeleteVolumeGroupSnapshotRequest.newBuilder().setGroupSnapshotId(r.groupSnapshotId())
        .addAllSnapshotIds(r.snapshotIds()).putAllSecrets(r.secrets().asMap()).build();
  }

  public static DeleteVolumeGroupSnapshotRequest fromProto(Csi.DeleteVolumeGroupSnapshotRequest r) {
    return new DeleteVolumeGroupSnapshotRequest(r.getGroupSnapshotId(), ImmutableList.copyOf(r.getSnapshotIdsList()),
        secrets(r.getSecretsMap()));
  }

  public static Csi.GetVolumeGroupSnapshotRequest toProto(GetVolumeGroupSnapshotRequest r) {
    return Csi.GetVolumeGroupSnapshotRequest.newBuilder().setGroupSnapshotId(r.groupSnapshotId())
        .addAllSnapshotIds(r.snapshotIds()).putAllSecrets(r.secrets().asMap()).build();
  }

  public static GetVolumeGroupSnapshotRequest fromProto(Csi.GetVolumeGroupSnapshotRequest r) {
    return new GetVolumeGroupSnapshotRequest(r.getGroupSnapshotId(), ImmutableList.copyOf(r.getSnapshotIdsList()),
        secrets(r.getSecretsMap()));
  }

  public static GetVolumeGroupSnapshotResponse fromProto(Csi.GetVolumeGroupSnapshotResponse r) {
    return new GetVolumeGroupSnapshotResponse(fromProto(r.getGroupSnapshot()));
  }

  public static Csi.GetVolumeGroupSnapshotResponse toProto(GetVolumeGroupSnapshotResponse r) {
    return Csi.GetVolumeGroupSnapshotResponse.newBuilder().setGroupSnapshot(toProto(r.groupSnapshot())).build();
  }

  // ------------------------------------------------------------------ node

  public static Csi.NodeStageVolumeRequest toProto(NodeStageVolumeRequest r) {
    Csi.NodeStageVolumeRequest.Builder b = Csi.NodeStageVolumeRequest.newBuilder()
        .setVolumeId(r.volumeId()).putAllPublishContext(r.publishContext())
        .setStagingTargetPath(r.stagingTargetPath()).putAllSecrets(r.secrets().asMap())
        .putAllVolumeContext(r.volumeContext());
    r.volumeCapability().ifPresent(c -> b.setVolumeCapability(toProto(c)));
    return b.build();
  }

  public static NodeStageVolumeRequest fromProto(Csi.NodeStageVolumeRequest r) {
    return new NodeStageVolumeRequest(r.getVolumeId(), ImmutableMap.copyOf(r.getPublishContextMap()),
        r.getStagingTargetPath(),
        r.hasVolumeCapability() ? Optional.of(fromProto(r.getVolumeCapability())) : Optional.empty(),
        secrets(r.getSecretsMap()), ImmutableMap.copyOf(r.getVolumeContextMap()));
  }

  public static Csi.NodeUnstageVolumeRequest toProto(NodeUnstageVolumeRequest r) {
    return Csi.NodeUnstageVolumeRequest.newBuilder().setVolumeId(r.volumeId())
        .setStagingTargetPath(r.stagingTargetPath()).build();
  }

  public static NodeUnstageVolumeRequest fromProto(Csi.NodeUnstageVolumeRequest r) {
    return new NodeUnstageVolumeRequest(r.getVolumeId(), r.getStagingTargetPath());
  }

  public static Csi.NodePublishVolumeRequest toProto(NodePublishVolumeRequest r) {
    Csi.NodePublishVolumeRequest.Builder b = Csi.NodePublishVolumeRequest.newBuilder()
        .setVolumeId(r.volumeId()).putAllPublishContext(r.publishContext())
        .setStagingTargetPath(r.stagingTargetPath()).setTargetPath(r.targetPath()).setReadonly(r.readonly())
        .putAllSecrets(r.secrets().asMap()).putAllVolumeContext(r.volumeContext());
    r.volumeCapability().ifPresent(c -> b.setVolumeCapability(toProto(c)));
    return b.build();
  }

  public static NodePublishVolumeRequest fromProto(Csi.NodePublishVolumeRequest r) {
    return new NodePublishVolumeRequest(r.getVolumeId(), ImmutableMap.copyOf(r.getPublishContextMap()),
        r.getStagingTargetPath(), r.getTargetPath(),
        r.hasVolumeCapability() ? Optional.of(fromProto(r.getVolumeCapability())) : Optional.empty(),
        r.getReadonly(), secrets(r.getSecretsMap()), ImmutableMap.copyOf(r.getVolumeContextMap()));
  }

  public static Csi.NodeUnpublishVolumeRequest toProto(NodeUnpublishVolumeRequest r) {
    return Csi.NodeUnpublishVolumeRequest.newBuilder().setVolumeId(r.volumeId()).setTargetPath(r.targetPath()).build();
  }

  public static NodeUnpublishVolumeRequest fromProto(Csi.NodeUnpublishVolumeRequest r) {
    return new NodeUnpublishVolumeRequest(r.getVolumeId(), r.getTargetPath());
  }

  public static Csi.NodeGetVolumeStatsRequest toProto(NodeGetVolumeStatsRequest r) {
    return Csi.NodeGetVolumeStatsRequest.newBuilder().setVolumeId(r.volumeId()).setVolumePath(r.volumePath())
        .setStagingTargetPath(r.stagingTargetPath()).build();
  }

  public static NodeGetVolumeStatsRequest fromProto(Csi.NodeGetVolumeStatsRequest r) {
    return new NodeGetVolumeStatsRequest(r.getVolumeId(), r.getVolumePath(), r.getStagingTargetPath());
  }

  public static NodeGetVolumeStatsResponse fromProto(Csi.NodeGetVolumeStatsResponse r) {
    ImmutableList<VolumeUsage> usage = r.getUsageList().stream()
        .map(u -> new VolumeUsage(u.getAvailable(), u.getTotal(), u.getUsed(), switch (u.getUnit()) {
          case BYTES -> VolumeUsage.Unit.BYTES;
          case INODES -> VolumeUsage.Unit.INODES;
          default -> VolumeUsage.Unit.UNKNOWN;
        }))
        .collect(ImmutableList.toImmutableList());
    return new NodeGetVolumeStatsResponse(usage,
        r.hasVolumeCondition() ? Optional.of(fromProto(r.getVolumeCondition())) : Optional.empty());
  }

  public static Csi.NodeGetVolumeStatsResponse toProto(NodeGetVolumeStatsResponse r) {
    Csi.NodeGetVolumeStatsResponse.Builder b = Csi.NodeGetVolumeStatsResponse.newBuilder();
    for (VolumeUsage u : r.usage()) {
      b.addUsage(Csi.VolumeUsage.newBuilder().setAvailable(u.available()).setTotal(u.total()).setUsed(u.used())
          .setUnit(switch (u.unit()) {
            case BYTES -> Csi.VolumeUsage.Unit.BYTES;
            case INODES -> Csi.VolumeUsage.Unit.INODES;
            case UNKNOWN -> Csi.VolumeUsage.Unit.UNKNOWN;
          }));
    }
    r.volumeCondition().ifPresent(c -> b.setVolumeCondition(toProto(c)));
    return b.build();
  }

  public static Csi.NodeExpandVolumeRequest toProto(NodeExpandVolumeRequest r) {
    Csi.NodeExpandVolumeRequest.Builder b = Csi.NodeExpandVolumeRequest.newBuilder()
        .setVolumeId(r.volumeId()).setVolumePath(r.volumePath()).setStagingTargetPath(r.stagingTargetPath())
        .putAllSecrets(r.secrets().asMap());
    r.capacityRange().ifPresent(c -> b.setCapacityRange(toProto(c)));
    r.volumeCapability().ifPresent(c -> b.setVolumeCapability(toProto(c)));
    return b.build();
  }

  public static NodeExpandVolumeRequest fromProto(Csi.NodeExpandVolumeRequest r) {
    return new NodeExpandVolumeRequest(r.getVolumeId(), r.getVolumePath(),
        r.hasCapacityRange() ? Optional.of(fromProto(r.getCapacityRange())) : Optional.empty(),
        r.getStagingTargetPath(),
        r.hasVolumeCapability() ? Optional.of(fromProto(r.getVolumeCapability())) : Optional.empty(),
        secrets(r.getSecretsMap()));
  }

  public static NodeExpandVolumeResponse fromProto(Csi.NodeExpandVolumeResponse r) {
    return new NodeExpandVolumeResponse(r.getCapacityBytes());
  }

  public static Csi.NodeExpandVolumeResponse toProto(NodeExpandVolumeResponse r) {
    return Csi.NodeExpandVolumeResponse.newBuilder().setCapacityBytes(r.capacityBytes()).build();
  }

  public static NodeGetCapabilitiesResponse fromProto(Csi.NodeGetCapabilitiesResponse r) {
    ImmutableSet.Builder<NodeCapability> b = ImmutableSet.builder();
    for (Csi.NodeServiceCapability c : r.getCapabilitiesList()) {
      if (c.hasRpc()) {
        NodeCapability.forNumber(c.getRpc().getTypeValue()).ifPresent(b::add);
      }
    }
    return new NodeGetCapabilitiesResponse(b.build());
  }

  public static Csi.NodeGetCapabilitiesResponse toProto(NodeGetCapabilitiesResponse r) {
    Csi.NodeGetCapabilitiesResponse.Builder b = Csi.NodeGetCapabilitiesResponse.newBuilder();
    for (NodeCapability c : r.capabilities()) {
      b.addCapabilities(Csi.NodeServiceCapability.newBuilder()
          .setRpc(Csi.NodeServiceCapability.RPC.newBuilder().setTypeValue(c.number())));
    }
    return b.build();
  }

  public static NodeGetInfoResponse fromProto(Csi.NodeGetInfoResponse r) {
    return new NodeGetInfoResponse(r.getNodeId(), r.getMaxVolumesPerNode(),
        r.hasAccessibleTopology() ? Optional.of(fromProto(r.getAccessibleTopology())) : Optional.empty());
  }

  public static Csi.NodeGetInfoResponse toProto(NodeGetInfoResponse r) {
    Csi.NodeGetInfoResponse.Builder b = Csi.NodeGetInfoResponse.newBuilder()
        .setNodeId(r.nodeId()).setMaxVolumesPerNode(r.maxVolumesPerNode());
    r.accessibleTopology().ifPresent(t -> b.setAccessibleTopology(toProto(t)));
    return b.build();
  }
}
