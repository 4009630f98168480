package io.volumekit.csi.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.csi.client.internal.proto.ControllerGrpc;
import io.volumekit.csi.client.internal.proto.Csi;
import io.volumekit.csi.client.internal.proto.GroupControllerGrpc;
import io.volumekit.csi.client.internal.proto.IdentityGrpc;
import io.volumekit.csi.client.internal.proto.NodeGrpc;
import io.volumekit.csi.client.server.CsiGrpcServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our csi.proto against the wire contract of the official one (container-storage-interface/spec csi.proto):
 * package and service names, and the number of every field the spec's tables list. Field names
 * may differ only where protoc's Java generator forces it (mutable_parameters, see csi.proto).
 */
class ProtoWireCompatibilityTest {

  @TempDir
  Path dir;

  /** message, field, number, as in the official csi.proto. */
  private static final List<Object[]> FIELDS = List.of(
      row(Csi.GetPluginInfoResponse.getDescriptor(), "name", 1),
      row(Csi.GetPluginInfoResponse.getDescriptor(), "vendor_version", 2),
      row(Csi.GetPluginInfoResponse.getDescriptor(), "manifest", 3),
      row(Csi.GetPluginCapabilitiesResponse.getDescriptor(), "capabilities", 1),
      row(Csi.PluginCapability.getDescriptor(), "service", 1),
      row(Csi.PluginCapability.getDescriptor(), "volume_expansion", 2),
      row(Csi.ProbeResponse.getDescriptor(), "ready", 1),
      row(Csi.CreateVolumeRequest.getDescriptor(), "name", 1),
      row(Csi.CreateVolumeRequest.getDescriptor(), "capacity_range", 2),
      row(Csi.CreateVolumeRequest.getDescriptor(), "volume_capabilities", 3),
      row(Csi.CreateVolumeRequest.getDescriptor(), "parameters", 4),
      row(Csi.CreateVolumeRequest.getDescriptor(), "secrets", 5),
      row(Csi.CreateVolumeRequest.getDescriptor(), "volume_content_source", 6),
      row(Csi.CreateVolumeRequest.getDescriptor(), "accessibility_requirements", 7),
      row(Csi.CreateVolumeRequest.getDescriptor(), "mutable_params", 8),
      row(Csi.Volume.getDescriptor(), "capacity_bytes", 1),
      row(Csi.Volume.getDescriptor(), "volume_id", 2),
      row(Csi.Volume.getDescriptor(), "volume_context", 3),
      row(Csi.Volume.getDescriptor(), "content_source", 4),
      row(Csi.Volume.getDescriptor(), "accessible_topology", 5),
      row(Csi.VolumeContentSource.getDescriptor(), "snapshot", 1),
      row(Csi.VolumeContentSource.getDescriptor(), "volume", 2),
      row(Csi.CapacityRange.getDescriptor(), "required_bytes", 1),
      row(Csi.CapacityRange.getDescriptor(), "limit_bytes", 2),
      row(Csi.DeleteVolumeRequest.getDescriptor(), "volume_id", 1),
      row(Csi.DeleteVolumeRequest.getDescriptor(), "secrets", 2),
      row(Csi.ControllerPublishVolumeRequest.getDescriptor(), "volume_id", 1),
      row(Csi.ControllerPublishVolumeRequest.getDescriptor(), "node_id", 2),
      row(Csi.ControllerPublishVolumeRequest.getDescriptor(), "volume_capability", 3),
      row(Csi.ControllerPublishVolumeRequest.getDescriptor(), "readonly", 4),
      row(Csi.ControllerPublishVolumeRequest.getDescriptor(), "secrets", 5),
      row(Csi.ControllerPublishVolumeRequest.getDescriptor(), "volume_context", 6),
      row(Csi.ControllerPublishVolumeResponse.getDescriptor(), "publish_context", 1),
      row(Csi.ControllerUnpublishVolumeRequest.getDescriptor(), "volume_id", 1),
      row(Csi.ControllerUnpublishVolumeRequest.getDescriptor(), "node_id", 2),
      row(Csi.ControllerUnpublishVolumeRequest.getDescriptor(), "secrets", 3),
      row(Csi.ValidateVolumeCapabilitiesRequest.getDescriptor(), "volume_id", 1),
      row(Csi.ValidateVolumeCapabilitiesRequest.getDescriptor(), "volume_context", 2),
      row(Csi.ValidateVolumeCapabilitiesRequest.getDescriptor(), "volume_capabilities", 3),
      row(Csi.ValidateVolumeCapabilitiesRequest.getDescriptor(), "parameters", 4),
      row(Csi.ValidateVolumeCapabilitiesRequest.getDescriptor(), "secrets", 5),
      row(Csi.ValidateVolumeCapabilitiesRequest.getDescriptor(), "mutable_params", 6),
      row(Csi.ValidateVolumeCapabilitiesResponse.getDescriptor(), "confirmed", 1),
      row(Csi.ValidateVolumeCapabilitiesResponse.getDescriptor(), "message", 2),
      row(Csi.ListVolumesRequest.getDescriptor(), "max_entries", 1),
      row(Csi.ListVolumesRequest.getDescriptor(), "starting_token", 2),
      row(Csi.ListVolumesResponse.getDescriptor(), "entries", 1),
      row(Csi.ListVolumesResponse.getDescriptor(), "next_token", 2),
      row(Csi.ListVolumesResponse.Entry.getDescriptor(), "volume", 1),
      row(Csi.ListVolumesResponse.Entry.getDescriptor(), "status", 2),
      row(Csi.ListVolumesResponse.VolumeStatus.getDescriptor(), "published_node_ids", 1),
      row(Csi.ListVolumesResponse.VolumeStatus.getDescriptor(), "volume_condition", 2),
      row(Csi.ControllerGetVolumeResponse.getDescriptor(), "volume", 1),
      row(Csi.ControllerGetVolumeResponse.getDescriptor(), "status", 2),
      row(Csi.GetCapacityRequest.getDescriptor(), "volume_capabilities", 1),
      row(Csi.GetCapacityRequest.getDescriptor(), "parameters", 2),
      row(Csi.GetCapacityRequest.getDescriptor(), "accessible_topology", 3),
      row(Csi.GetCapacityResponse.getDescriptor(), "available_capacity", 1),
      row(Csi.GetCapacityResponse.getDescriptor(), "maximum_volume_size", 2),
      row(Csi.GetCapacityResponse.getDescriptor(), "minimum_volume_size", 3),
      row(Csi.ControllerExpandVolumeRequest.getDescriptor(), "volume_id", 1),
      row(Csi.ControllerExpandVolumeRequest.getDescriptor(), "capacity_range", 2),
      row(Csi.ControllerExpandVolumeRequest.getDescriptor(), "secrets", 3),
      row(Csi.ControllerExpandVolumeRequest.getDescriptor(), "volume_capability", 4),
      row(Csi.ControllerExpandVolumeResponse.getDescriptor(), "capacity_bytes", 1),
      row(Csi.ControllerExpandVolumeResponse.getDescriptor(), "node_expansion_required", 2),
      row(Csi.CreateSnapshotRequest.getDescriptor(), "source_volume_id", 1),
      row(Csi.CreateSnapshotRequest.getDescriptor(), "name", 2),
      row(Csi.CreateSnapshotRequest.getDescriptor(), "secrets", 3),
      row(Csi.CreateSnapshotRequest.getDescriptor(), "parameters", 4),
      row(Csi.Snapshot.getDescriptor(), "size_bytes", 1),
      row(Csi.Snapshot.getDescriptor(), "snapshot_id", 2),
      row(Csi.Snapshot.getDescriptor(), "source_volume_id", 3),
      row(Csi.Snapshot.getDescriptor(), "creation_time", 4),
      row(Csi.Snapshot.getDescriptor(), "ready_to_use", 5),
      row(Csi.Snapshot.getDescriptor(), "group_snapshot_id", 6),
      row(Csi.DeleteSnapshotRequest.getDescriptor(), "snapshot_id", 1),
      row(Csi.DeleteSnapshotRequest.getDescriptor(), "secrets", 2),
      row(Csi.ListSnapshotsRequest.getDescriptor(), "max_entries", 1),
      row(Csi.ListSnapshotsRequest.getDescriptor(), "starting_token", 2),
      row(Csi.ListSnapshotsRequest.getDescriptor(), "source_volume_id", 3),
      row(Csi.ListSnapshotsRequest.getDescriptor(), "snapshot_id", 4),
      row(Csi.ListSnapshotsRequest.getDescriptor(), "secrets", 5),
      row(Csi.GroupControllerGetCapabilitiesResponse.getDescriptor(), "capabilities", 1),
      row(Csi.GroupControllerServiceCapability.getDescriptor(), "rpc", 1),
      row(Csi.GroupControllerServiceCapability.RPC.getDescriptor(), "type", 1),
      row(Csi.CreateVolumeGroupSnapshotRequest.getDescriptor(), "name", 1),
      row(Csi.CreateVolumeGroupSnapshotRequest.getDescriptor(), "source_volume_ids", 2),
      row(Csi.CreateVolumeGroupSnapshotRequest.getDescriptor(), "secrets", 3),
      row(Csi.CreateVolumeGroupSnapshotRequest.getDescriptor(), "parameters", 4),
      row(Csi.CreateVolumeGroupSnapshotResponse.getDescriptor(), "group_snapshot", 1),
      row(Csi.VolumeGroupSnapshot.getDescriptor(), "group_snapshot_id", 1),
      row(Csi.VolumeGroupSnapshot.getDescriptor(), "snapshots", 2),
      row(Csi.VolumeGroupSnapshot.getDescriptor(), "creation_time", 3),
      row(Csi.VolumeGroupSnapshot.getDescriptor(), "ready_to_use", 4),
      row(Csi.DeleteVolumeGroupSnapshotRequest.getDescriptor(), "group_snapshot_id", 1),
      row(Csi.DeleteVolumeGroupSnapshotRequest.getDescriptor(), "snapshot_ids", 2),
      row(Csi.DeleteVolumeGroupSnapshotRequest.getDescriptor(), "secrets", 3),
      row(Csi.GetVolumeGroupSnapshotRequest.getDescriptor(), "group_snapshot_id", 1),
      row(Csi.GetVolumeGroupSnapshotRequest.getDescriptor(), "snapshot_ids", 2),
      row(Csi.GetVolumeGroupSnapshotRequest.getDescriptor(), "secrets", 3),
      row(Csi.GetVolumeGroupSnapshotResponse.getDescriptor(), "group_snapshot", 1),
      row(Csi.NodeStageVolumeRequest.getDescriptor(), "volume_id", 1),
      row(Csi.NodeStageVolumeRequest.getDescriptor(), "publish_context", 2),
      row(Csi.NodeStageVolumeRequest.getDescriptor(), "staging_target_path", 3),
      row(Csi.NodeStageVolumeRequest.getDescriptor(), "volume_capability", 4),
      row(Csi.NodeStageVolumeRequest.getDescriptor(), "secrets", 5),
      row(Csi.NodeStageVolumeRequest.getDescriptor(), "volume_context", 6),
      row(Csi.NodeUnstageVolumeRequest.getDescriptor(), "volume_id", 1),
      row(Csi.NodeUnstageVolumeRequest.getDescriptor(), "staging_target_path", 2),
      row(Csi.NodePublishVolumeRequest.getDescriptor(), "volume_id", 1),
      row(Csi.NodePublishVolumeRequest.getDescriptor(), "publish_context", 2),
      row(Csi.NodePublishVolumeRequest.getDescriptor(), "staging_target_path", 3),
      row(Csi.NodePublishVolumeRequest.getDescriptor(), "target_path", 4),
      row(Csi.NodePublishVolumeRequest.getDescriptor(), "volume_capability", 5),
      row(Csi.NodePublishVolumeRequest.getDescriptor(), "readonly", 6),
      row(Csi.NodePublishVolumeRequest.getDescriptor(), "secrets", 7),
      row(Csi.NodePublishVolumeRequest.getDescriptor(), "volume_context", 8),
      row(Csi.NodeUnpublishVolumeRequest.getDescriptor(), "volume_id", 1),
      row(Csi.NodeUnpublishVolumeRequest.getDescriptor(), "target_path", 2),
      row(Csi.NodeGetVolumeStatsRequest.getDescriptor(), "volume_id", 1),
      row(Csi.NodeGetVolumeStatsRequest.getDescriptor(), "volume_path", 2),
      row(Csi.NodeGetVolumeStatsRequest.getDescriptor(), "staging_target_path", 3),
      row(Csi.NodeGetVolumeStatsResponse.getDescriptor(), "usage", 1),
      row(Csi.NodeGetVolumeStatsResponse.getDescriptor(), "volume_condition", 2),
      row(Csi.VolumeUsage.getDescriptor(), "available", 1),
      row(Csi.VolumeUsage.getDescriptor(), "total", 2),
      row(Csi.VolumeUsage.getDescriptor(), "used", 3),
      row(Csi.VolumeUsage.getDescriptor(), "unit", 4),
      row(Csi.VolumeCondition.getDescriptor(), "abnormal", 1),
      row(Csi.VolumeCondition.getDescriptor(), "message", 2),
      row(Csi.NodeExpandVolumeRequest.getDescriptor(), "volume_id", 1),
      row(Csi.NodeExpandVolumeRequest.getDescriptor(), "volume_path", 2),
      row(Csi.NodeExpandVolumeRequest.getDescriptor(), "capacity_range", 3),
      row(Csi.NodeExpandVolumeRequest.getDescriptor(), "staging_target_path", 4),
      row(Csi.NodeExpandVolumeRequest.getDescriptor(), "volume_capability", 5),
      row(Csi.NodeExpandVolumeRequest.getDescriptor(), "secrets", 6),
      row(Csi.NodeExpandVolumeResponse.getDescriptor(), "capacity_bytes", 1),
      row(Csi.NodeGetInfoResponse.getDescriptor(), "node_id", 1),
      row(Csi.NodeGetInfoResponse.getDescriptor(), "max_volumes_per_node", 2),
      row(Csi.NodeGetInfoResponse.getDescriptor(), "accessible_topology", 3),
      row(Csi.VolumeCapability.getDescriptor(), "block", 1),
      row(Csi.VolumeCapability.getDescriptor(), "mount", 2),
      row(Csi.VolumeCapability.getDescriptor(), "access_mode", 3),
      row(Csi.VolumeCapability.MountVolume.getDescriptor(), "fs_type", 1),
      row(Csi.VolumeCapability.MountVolume.getDescriptor(), "mount_flags", 2),
      row(Csi.VolumeCapability.MountVolume.getDescriptor(), "volume_mount_group", 3),
      row(Csi.TopologyRequirement.getDescriptor(), "requisite", 1),
      row(Csi.TopologyRequirement.getDescriptor(), "preferred", 2),
      row(Csi.Topology.getDescriptor(), "segments", 1));

  private static Object[] row(Descriptor message, String field, int number) {
    return new Object[] {message, field, number};
  }

  @Test
  void everyFieldHasTheOfficialNumber() {
    for (Object[] r : FIELDS) {
      Descriptor message = (Descriptor) r[0];
      FieldDescriptor f = message.findFieldByName((String) r[1]);
      assertThat(f).as("%s.%s", message.getFullName(), r[1]).isNotNull();
      assertThat(f.getNumber()).as("%s.%s", message.getFullName(), r[1]).isEqualTo(r[2]);
    }
  }

  @Test
  void packageServicesAndEnumsMatchTheSpec() {
    assertThat(Csi.getDescriptor().getPackage()).isEqualTo("csi.v1");
    assertThat(IdentityGrpc.SERVICE_NAME).isEqualTo("csi.v1.Identity");
    assertThat(ControllerGrpc.SERVICE_NAME).isEqualTo("csi.v1.Controller");
    assertThat(NodeGrpc.SERVICE_NAME).isEqualTo("csi.v1.Node");
    assertThat(GroupControllerGrpc.SERVICE_NAME).isEqualTo("csi.v1.GroupController");
    assertThat(Csi.PluginCapability.Service.Type.GROUP_CONTROLLER_SERVICE.getNumber()).isEqualTo(3);
    assertThat(Csi.GroupControllerServiceCapability.RPC.Type.CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT.getNumber())
        .isEqualTo(1);
    assertThat(Csi.VolumeCapability.AccessMode.Mode.SINGLE_NODE_MULTI_WRITER.getNumber()).isEqualTo(7);
    assertThat(Csi.ControllerServiceCapability.RPC.Type.GET_SNAPSHOT.getNumber()).isEqualTo(15);
    assertThat(Csi.NodeServiceCapability.RPC.Type.VOLUME_MOUNT_GROUP.getNumber()).isEqualTo(6);
    assertThat(Csi.PluginCapability.Service.Type.SNAPSHOT_METADATA_SERVICE.getNumber()).isEqualTo(4);
  }

  @Test
  void secretsFieldsCarryTheCsiSecretOption() {
    for (Object[] r : FIELDS) {
      if ("secrets".equals(r[1])) {
        FieldDescriptor f = ((Descriptor) r[0]).findFieldByName("secrets");
        assertThat(f.getOptions().getExtension(Csi.csiSecret)).as(f.getFullName()).isTrue();
      }
    }
  }

  @Test
  void aCapabilityWithoutAccessTypeOnTheWireIsInvalidArgument() throws Exception {
    CsiEndpoint socket = CsiEndpoint.unix(dir.resolve("csi.sock"));
    EpollEventLoopGroup group = new EpollEventLoopGroup(1);
    try (CsiGrpcServer server = CsiGrpcServer.start(new InMemoryCsiDriver(), socket)) {
      ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.address()))
          .eventLoopGroup(group).channelType(EpollDomainSocketChannel.class)
          .withOption(io.grpc.netty.shaded.io.netty.channel.ChannelOption.SO_KEEPALIVE, null).usePlaintext().build();
      try {
        Csi.CreateVolumeRequest bad = Csi.CreateVolumeRequest.newBuilder().setName("v")
            .addVolumeCapabilities(Csi.VolumeCapability.newBuilder()
                .setAccessMode(Csi.VolumeCapability.AccessMode.newBuilder()
                    .setMode(Csi.VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER)))
            .build();
        StatusRuntimeException e = org.assertj.core.api.Assertions.catchThrowableOfType(StatusRuntimeException.class,
            () -> ControllerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).createVolume(bad));
        assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).contains("access_type");
        Csi.ProbeResponse probe = IdentityGrpc.newBlockingStub(channel).probe(Csi.ProbeRequest.getDefaultInstance());
        assertThat(probe.hasReady()).isTrue();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
