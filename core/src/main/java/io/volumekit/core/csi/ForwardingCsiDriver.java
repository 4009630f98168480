package io.volumekit.core.csi;

import java.util.Objects;

/**
 * A {@link CsiDriver} that forwards every call to another driver. Subclass it to change a few
 * calls (fault injection, counting, slowing down) while keeping the rest, as Guava's {@code
 * Forwarding*} classes do.
 */
public abstract class ForwardingCsiDriver implements CsiDriver {
  private final CsiDriver delegate;

  /** Forwards to {@code delegate}. */
  protected ForwardingCsiDriver(CsiDriver delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The driver calls are forwarded to. */
  protected CsiDriver delegate() {
    return delegate;
  }

  @Override
  public GetPluginInfoResponse getPluginInfo() {
    return delegate.getPluginInfo();
  }

  @Override
  public GetPluginCapabilitiesResponse getPluginCapabilities() {
    return delegate.getPluginCapabilities();
  }

  @Override
  public ProbeResponse probe() {
    return delegate.probe();
  }

  @Override
  public CreateVolumeResponse createVolume(CreateVolumeRequest request) {
    return delegate.createVolume(request);
  }

  @Override
  public void deleteVolume(DeleteVolumeRequest request) {
    delegate.deleteVolume(request);
  }

  @Override
  public ControllerPublishVolumeResponse controllerPublishVolume(ControllerPublishVolumeRequest request) {
    return delegate.controllerPublishVolume(request);
  }

  @Override
  public void controllerUnpublishVolume(ControllerUnpublishVolumeRequest request) {
    delegate.controllerUnpublishVolume(request);
  }

  @Override
  public ValidateVolumeCapabilitiesResponse validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest request) {
    return delegate.validateVolumeCapabilities(request);
  }

  @Override
  public ListVolumesResponse listVolumes(ListVolumesRequest request) {
    return delegate.listVolumes(request);
  }

  @Override
  public GetCapacityResponse getCapacity(GetCapacityRequest request) {
    return delegate.getCapacity(request);
  }

  @Override
  public ControllerGetCapabilitiesResponse controllerGetCapabilities() {
    return delegate.controllerGetCapabilities();
  }

  @Override
  public CreateSnapshotResponse createSnapshot(CreateSnapshotRequest request) {
    return delegate.createSnapshot(request);
  }

  @Override
  public void deleteSnapshot(DeleteSnapshotRequest request) {
    delegate.deleteSnapshot(request);
  }

  @Override
  public ListSnapshotsResponse listSnapshots(ListSnapshotsRequest request) {
    return delegate.listSnapshots(request);
  }

  @Override
  public GetSnapshotResponse getSnapshot(GetSnapshotRequest request) {
    return delegate.getSnapshot(request);
  }

  @Override
  public ControllerExpandVolumeResponse controllerExpandVolume(ControllerExpandVolumeRequest request) {
    return delegate.controllerExpandVolume(request);
  }

  @Override
  public ControllerModifyVolumeResponse controllerModifyVolume(ControllerModifyVolumeRequest request) {
    return delegate.controllerModifyVolume(request);
  }

  @Override
  public ControllerGetVolumeResponse controllerGetVolume(ControllerGetVolumeRequest request) {
    return delegate.controllerGetVolume(request);
  }

  @Override
  public GroupControllerGetCapabilitiesResponse groupControllerGetCapabilities() {
    return delegate.groupControllerGetCapabilities();
  }

  @Override
  public CreateVolumeGroupSnapshotResponse createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest request) {
    return delegate.createVolumeGroupSnapshot(request);
  }

  @Override
  public void deleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest request) {
    delegate.deleteVolumeGroupSnapshot(request);
  }

  @Override
  public GetVolumeGroupSnapshotResponse getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest request) {
    return delegate.getVolumeGroupSnapshot(request);
  }

  @Override
  public void nodeStageVolume(NodeStageVolumeRequest request) {
    delegate.nodeStageVolume(request);
  }

  @Override
  public void nodeUnstageVolume(NodeUnstageVolumeRequest request) {
    delegate.nodeUnstageVolume(request);
  }

  @Override
  public void nodePublishVolume(NodePublishVolumeRequest request) {
    delegate.nodePublishVolume(request);
  }

  @Override
  public void nodeUnpublishVolume(NodeUnpublishVolumeRequest request) {
    delegate.nodeUnpublishVolume(request);
  }

  @Override
  public NodeGetVolumeStatsResponse nodeGetVolumeStats(NodeGetVolumeStatsRequest request) {
    return delegate.nodeGetVolumeStats(request);
  }

  @Override
  public NodeExpandVolumeResponse nodeExpandVolume(NodeExpandVolumeRequest request) {
    return delegate.nodeExpandVolume(request);
  }

  @Override
  public NodeGetCapabilitiesResponse nodeGetCapabilities() {
    return delegate.nodeGetCapabilities();
  }

  @Override
  public NodeGetInfoResponse nodeGetInfo() {
    return delegate.nodeGetInfo();
  }
}
