package io.volumekit.core.csi;

/**
 * The CSI port: one driver's Identity, Controller, GroupController and Node services as synchronous calls.
 *
 * <p>Each method is one csi.v1 RPC with the same name; it returns the response or throws {@link
 * CsiException} with the status code the CSI spec prescribes. RPCs without
 * a response body return {@code void}. Implementations must be thread-safe and idempotent as the
 * spec requires; callers decide retries from {@link CsiCode}.
 *
 * <p>Implementations: {@code InMemoryCsiDriver} (in-process, for tests and simulation), the
 * hostpath driver (module {@code csi-hostpath}), and {@code GrpcCsiDriver} (module {@code
 * csi-client}) which talks to any CSI driver over a unix socket. Optional RPCs default to
 * UNIMPLEMENTED; the capability RPCs default to "no capabilities".
 *
 * <pre>{@code
 * CsiDriver driver = new InMemoryCsiDriver();
 * Volume v = driver.createVolume(CreateVolumeRequest.of("pvc-1", 1 << 30,
 *     VolumeCapability.mount("ext4", AccessMode.SINGLE_NODE_WRITER))).volume();
 * }</pre>
 */
public interface CsiDriver {

  /**
   * This driver's node plugin as the kubelet on the node reaches it. A deployed driver runs one
   * node plugin per node, behind that node's registration socket, so a client bound to one socket
   * is already the right plugin: the default returns this driver. A driver object that stands for
   * every node at once (an in-process driver) returns a view whose node RPCs act on the named node.
   */
  default CsiDriver forNode(String nodeId) {
    return this;
  }

  // ---- Identity

  /** GetPluginInfo: the driver's name and version. */
  GetPluginInfoResponse getPluginInfo() throws CsiException;

  /** GetPluginCapabilities: services and features offered. */
  GetPluginCapabilitiesResponse getPluginCapabilities() throws CsiException;

  /** Probe: readiness; throws FAILED_PRECONDITION when unhealthy. */
  ProbeResponse probe() throws CsiException;

  // ---- Controller

  /** CreateVolume (capability CREATE_DELETE_VOLUME). */
  default CreateVolumeResponse createVolume(CreateVolumeRequest request) throws CsiException {
    throw CsiException.unimplemented("CreateVolume");
  }

  /** DeleteVolume (capability CREATE_DELETE_VOLUME). */
  default void deleteVolume(DeleteVolumeRequest request) throws CsiException {
    throw CsiException.unimplemented("DeleteVolume");
  }

  /** ControllerPublishVolume (capability PUBLISH_UNPUBLISH_VOLUME). */
  default ControllerPublishVolumeResponse controllerPublishVolume(ControllerPublishVolumeRequest request)
      throws CsiException {
    throw CsiException.unimplemented("ControllerPublishVolume");
  }

  /** ControllerUnpublishVolume (capability PUBLISH_UNPUBLISH_VOLUME). */
  default void controllerUnpublishVolume(ControllerUnpublishVolumeRequest request) throws CsiException {
    throw CsiException.unimplemented("ControllerUnpublishVolume");
  }

  /** ValidateVolumeCapabilities (always, when the controller service exists). */
  default ValidateVolumeCapabilitiesResponse validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest request)
      throws CsiException {
    throw CsiException.unimplemented("ValidateVolumeCapabilities");
  }

  /** ListVolumes (capability LIST_VOLUMES). */
  default ListVolumesResponse listVolumes(ListVolumesRequest request) throws CsiException {
    throw CsiException.unimplemented("ListVolumes");
  }

  /** GetCapacity (capability GET_CAPACITY). */
  default GetCapacityResponse getCapacity(GetCapacityRequest request) throws CsiException {
    throw CsiException.unimplemented("GetCapacity");
  }

  /** ControllerGetCapabilities; by default no controller capabilities. */
  default ControllerGetCapabilitiesResponse controllerGetCapabilities() throws CsiException {
    return new ControllerGetCapabilitiesResponse(null);
  }

  /** CreateSnapshot (capability CREATE_DELETE_SNAPSHOT). */
  default CreateSnapshotResponse createSnapshot(CreateSnapshotRequest request) throws CsiException {
    throw CsiException.unimplemented("CreateSnapshot");
  }

  /** DeleteSnapshot (capability CREATE_DELETE_SNAPSHOT). */
  default void deleteSnapshot(DeleteSnapshotRequest request) throws CsiException {
    throw CsiException.unimplemented("DeleteSnapshot");
  }

  /** ListSnapshots (capability LIST_SNAPSHOTS). */
  default ListSnapshotsResponse listSnapshots(ListSnapshotsRequest request) throws CsiException {
    throw CsiException.unimplemented("ListSnapshots");
  }

  /** GetSnapshot (alpha, capability GET_SNAPSHOT). */
  default GetSnapshotResponse getSnapshot(GetSnapshotRequest request) throws CsiException {
    throw CsiException.unimplemented("GetSnapshot");
  }

  /** ControllerExpandVolume (capability EXPAND_VOLUME). */
  default ControllerExpandVolumeResponse controllerExpandVolume(ControllerExpandVolumeRequest request)
      throws CsiException {
    throw CsiException.unimplemented("ControllerExpandVolume");
  }

  /**
   * ControllerModifyVolume (capability MODIFY_VOLUME): apply mutable parameters to a volume, all or
   * none (INVALID_ARGUMENT when one is not supported).
   */
  default ControllerModifyVolumeResponse controllerModifyVolume(ControllerModifyVolumeRequest request)
      throws CsiException {
    throw CsiException.unimplemented("ControllerModifyVolume");
  }

  /** ControllerGetVolume (capability GET_VOLUME). */
  default ControllerGetVolumeResponse controllerGetVolume(ControllerGetVolumeRequest request) throws CsiException {
    throw CsiException.unimplemented("ControllerGetVolume");
  }

  // ---- GroupController

  /** GroupControllerGetCapabilities; by default no group controller capabilities. */
  default GroupControllerGetCapabilitiesResponse groupControllerGetCapabilities() throws CsiException {
    return new GroupControllerGetCapabilitiesResponse(null);
  }

  /** CreateVolumeGroupSnapshot (group capability CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT). */
  default CreateVolumeGroupSnapshotResponse createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest request)
      throws CsiException {
    throw CsiException.unimplemented("CreateVolumeGroupSnapshot");
  }

  /** DeleteVolumeGroupSnapshot (group capability CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT). */
  default void deleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest request) throws CsiException {
    throw CsiException.unimplemented("DeleteVolumeGroupSnapshot");
  }

  /** GetVolumeGroupSnapshot (group capability CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT). */
  default GetVolumeGroupSnapshotResponse getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest request)
      throws CsiException {
    throw CsiException.unimplemented("GetVolumeGroupSnapshot");
  }

  // ---- Node

  /** NodeStageVolume (node capability STAGE_UNSTAGE_VOLUME). */
  default void nodeStageVolume(NodeStageVolumeRequest request) throws CsiException {
    throw CsiException.unimplemented("NodeStageVolume");
  }

  /** NodeUnstageVolume (node capability STAGE_UNSTAGE_VOLUME). */
  default void nodeUnstageVolume(NodeUnstageVolumeRequest request) throws CsiException {
    throw CsiException.unimplemented("NodeUnstageVolume");
  }

  /** NodePublishVolume (always, when the node service exists). */
  default void nodePublishVolume(NodePublishVolumeRequest request) throws CsiException {
    throw CsiException.unimplemented("NodePublishVolume");
  }

  /** NodeUnpublishVolume (always, when the node service exists). */
  default void nodeUnpublishVolume(NodeUnpublishVolumeRequest request) throws CsiException {
    throw CsiException.unimplemented("NodeUnpublishVolume");
  }

  /** NodeGetVolumeStats (node capability GET_VOLUME_STATS). */
  default NodeGetVolumeStatsResponse nodeGetVolumeStats(NodeGetVolumeStatsRequest request) throws CsiException {
    throw CsiException.unimplemented("NodeGetVolumeStats");
  }

  /** NodeExpandVolume (node capability EXPAND_VOLUME). */
  default NodeExpandVolumeResponse nodeExpandVolume(NodeExpandVolumeRequest request) throws CsiException {
    throw CsiException.unimplemented("NodeExpandVolume");
  }

  /** NodeGetCapabilities; by default no node capabilities. */
  default NodeGetCapabilitiesResponse nodeGetCapabilities() throws CsiException {
    return new NodeGetCapabilitiesResponse(null);
  }

  /** NodeGetInfo: this node's id, volume limit and topology. */
  default NodeGetInfoResponse nodeGetInfo() throws CsiException {
    throw CsiException.unimplemented("NodeGetInfo");
  }
}
