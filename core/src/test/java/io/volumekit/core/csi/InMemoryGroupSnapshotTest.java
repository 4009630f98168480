package io.volumekit.core.csi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.collect.ImmutableList;
import org.junit.jupiter.api.Test;

/** The in-memory driver's GroupController service (CreateVolumeGroupSnapshot and friends). */
class InMemoryGroupSnapshotTest {
  private static final long MIB = 1L << 20;
  private static final VolumeCapability RWO = VolumeCapability.mount("", AccessMode.SINGLE_NODE_WRITER);

  private static CsiCode codeOf(Runnable call) {
    CsiException e = catchThrowableOfType(CsiException.class, call::run);
    assertThat(e).as("expected a CsiException").isNotNull();
    return e.code();
  }

  private final InMemoryCsiDriver d = new InMemoryCsiDriver();
  private final String v1 = d.createVolume(CreateVolumeRequest.of("a", MIB, RWO)).volume().volumeId();
  private final String v2 = d.createVolume(CreateVolumeRequest.of("b", 2 * MIB, RWO)).volume().volumeId();

  @Test
  void advertisesTheGroupControllerService() {
    assertThat(d.getPluginCapabilities().has(PluginCapability.GROUP_CONTROLLER_SERVICE)).isTrue();
    assertThat(d.groupControllerGetCapabilities().has(GroupControllerCapability.CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT))
        .isTrue();
  }

  @Test
  void snapshotsEveryVolumeOnceAndARepeatAnswersTheSameGroup() {
    VolumeGroupSnapshot g = d.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.of("g", v1, v2)).groupSnapshot();
    assertThat(g.readyToUse()).isTrue();
    assertThat(g.snapshots()).extracting(Snapshot::sourceVolumeId).containsExactly(v1, v2);
    assertThat(g.snapshots()).extracting(Snapshot::groupSnapshotId).containsOnly(g.groupSnapshotId());
    assertThat(g.snapshots()).extracting(Snapshot::sizeBytes).containsExactly(MIB, 2 * MIB);
    assertThat(d.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.of("g", v2, v1)).groupSnapshot())
        .isEqualTo(g);
    assertThat(d.getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), g.snapshotIds()))
        .groupSnapshot()).isEqualTo(g);
    assertThat(d.listSnapshots(new ListSnapshotsRequest(0, "", "", "", null)).entries()).hasSize(2);
  }

  @Test
  void badRequestsAreRefused() {
    assertThat(codeOf(() -> d.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.of("", v1))))
        .isEqualTo(CsiCode.INVALID_ARGUMENT);
    assertThat(codeOf(() -> d.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.of("g"))))
        .isEqualTo(CsiCode.INVALID_ARGUMENT);
    assertThat(codeOf(() -> d.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.of("g", v1, "nope"))))
        .isEqualTo(CsiCode.NOT_FOUND);
    assertThat(d.listSnapshots(new ListSnapshotsRequest(0, "", "", "", null)).entries()).isEmpty();
    d.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.of("g", v1));
    assertThat(codeOf(() -> d.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.of("g", v1, v2))))
        .isEqualTo(CsiCode.ALREADY_EXISTS);
    assertThat(codeOf(() -> d.getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest.of("unknown", ImmutableList.of("x")))))
        .isEqualTo(CsiCode.NOT_FOUND);
  }

  @Test
  void membersAreDeletedOnlyWithTheirGroupAndRestoreAsVolumes() {
    VolumeGroupSnapshot g = d.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.of("g", v1, v2)).groupSnapshot();
    String member = g.snapshotIds().get(0);
    assertThat(codeOf(() -> d.deleteSnapshot(DeleteSnapshotRequest.of(member)))).isEqualTo(CsiCode.INVALID_ARGUMENT);
    assertThat(codeOf(() -> d.deleteVolumeGroupSnapshot(
        DeleteVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), ImmutableList.of(member)))))
        .isEqualTo(CsiCode.INVALID_ARGUMENT);

    Volume restored = d.createVolume(CreateVolumeRequest.of("r", MIB, RWO)
        .withContentSource(new VolumeContentSource.SnapshotSource(member))).volume();
    assertThat(restored.contentSource()).isPresent();

    d.deleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), g.snapshotIds()));
    assertThat(d.listSnapshots(new ListSnapshotsRequest(0, "", "", "", null)).entries()).isEmpty();
    d.deleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), g.snapshotIds()));
    d.deleteSnapshot(DeleteSnapshotRequest.of(member));
  }

  @Test
  void groupIsReadyWhenEveryMemberIs() {
    d.setSnapshotsReadyAfter(1);
    VolumeGroupSnapshot g = d.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.of("g", v1, v2)).groupSnapshot();
    assertThat(g.readyToUse()).isFalse();
    assertThat(d.getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), g.snapshotIds()))
        .groupSnapshot().readyToUse()).isTrue();
  }

  @Test
  void forwardingDriverForwardsTheGroupCalls() {
    CsiDriver f = new ForwardingCsiDriver(d) {};
    VolumeGroupSnapshot g = f.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.of("g", v1)).groupSnapshot();
    assertThat(f.groupControllerGetCapabilities().capabilities()).isNotEmpty();
    assertThat(f.getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), g.snapshotIds()))
        .groupSnapshot()).isEqualTo(g);
    f.deleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest.of(g.groupSnapshotId(), g.snapshotIds()));
    CsiDriver bare = new CsiDriver() {
      @Override
      public GetPluginInfoResponse getPluginInfo() {
        throw CsiException.unimplemented("GetPluginInfo");
      }

      @Override
      public GetPluginCapabilitiesResponse getPluginCapabilities() {
        return new GetPluginCapabilitiesResponse(null);
      }

      @Override
      public ProbeResponse probe() {
        return ProbeResponse.isReady();
      }
    };
    assertThat(codeOf(() -> bare.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.of("g", v1))))
        .isEqualTo(CsiCode.UNIMPLEMENTED);
    assertThat(bare.groupControllerGetCapabilities().capabilities()).isEmpty();
  }
}
