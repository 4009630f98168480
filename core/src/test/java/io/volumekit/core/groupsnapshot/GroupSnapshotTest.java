package io.volumekit.core.groupsnapshot;

import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.Fixtures.withClass;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import io.volumekit.core.Fixtures;
import io.volumekit.core.Scenario;
import io.volumekit.core.csi.CreateVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.ForwardingCsiDriver;
import io.volumekit.core.csi.GetPluginCapabilitiesResponse;
import io.volumekit.core.csi.GroupControllerGetCapabilitiesResponse;
import io.volumekit.core.csi.ListSnapshotsRequest;
import io.volumekit.core.csi.PluginCapability;
import io.volumekit.core.csi.VolumeContentSource;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.TypedLocalObjectReference;
import io.volumekit.model.groupsnapshot.GroupSnapshotHandles;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshot;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotBuilder;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotClass;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotClassBuilder;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContent;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContentBuilder;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContentSourceBuilder;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContentSpecBuilder;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotSourceBuilder;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotSpecBuilder;
import io.volumekit.model.meta.LabelSelector;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectReferenceBuilder;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Volume group snapshots with the in-memory driver (docs/cases/snapshots.md, rows grp-*): the
 * snapshot controller and the csi-snapshotter's group parts, members restored by the provisioner.
 */
class GroupSnapshotTest {

  static final String NS = Fixtures.NS;
  static final String SNAP_GROUP = "snapshot.storage.k8s.io";

  static PersistentVolumeClaim labelled(String name, String app) {
    PersistentVolumeClaim c = withClass(pvc(name, "1Gi"), "fast");
    return c.withMetadata(c.metadata().withLabels(ImmutableMap.of("app", app)));
  }

  static VolumeGroupSnapshotClass groupClass(String name, String policy, boolean isDefault) {
    ObjectMeta m = ObjectMeta.named(name);
    if (isDefault) {
      m = m.withAnnotation(GroupSnapshots.IS_DEFAULT_CLASS, "true");
    }
    return VolumeGroupSnapshotClassBuilder.builder().metadata(m).driver(Fixtures.DRIVER).deletionPolicy(policy)
        .parameters(ImmutableMap.of("tier", "gold")).build();
  }

  static VolumeGroupSnapshot bySelector(String name, String app) {
    return VolumeGroupSnapshotBuilder.builder().metadata(ObjectMeta.named(NS, name))
        .spec(VolumeGroupSnapshotSpecBuilder.builder().source(VolumeGroupSnapshotSourceBuilder.builder()
            .selector(Optional.of(LabelSelector.of(ImmutableMap.of("app", app)))).build()).build())
        .build();
  }

  /** Two bound claims db-0 and db-1 labelled app=db, a default Delete group class. */
  static Scenario twoClaims(Scenario s) {
    s.apply(sc("fast"), labelled("db-0", "db"), labelled("db-1", "db"), labelled("web", "web"),
        groupClass("group-class", "Delete", true));
    s.settle();
    return s;
  }

  static VolumeGroupSnapshot group(Scenario s, String name) {
    return s.kit.get(VolumeGroupSnapshot.class, NS, name).orElseThrow(() -> new AssertionError("no group " + name));
  }

  static VolumeGroupSnapshotContent groupContent(Scenario s, String name) {
    return s.kit.get(VolumeGroupSnapshotContent.class, "", name).orElseThrow(() -> new AssertionError("no content " + name));
  }

  static List<String> events(Scenario s, ObjectKey key) {
    return Fixtures.eventTexts(s.kit, key);
  }

  static List<VolumeSnapshot> snapshots(Scenario s) {
    return s.kit.list(VolumeSnapshot.class);
  }

  static String handleOf(Scenario s, String claim) {
    return s.pv(s.pvc(claim).volumeName().orElseThrow()).csi().orElseThrow().volumeHandle();
  }

  @Test
  void aSelectorSnapshotsTheMatchingClaimsTogetherAndMakesOneMemberPerVolume() {
    Scenario s = twoClaims(new Scenario());
    s.apply(bySelector("db-group", "db"));
    s.settle();

    VolumeGroupSnapshot g = group(s, "db-group");
    String uid = g.metadata().uid().orElseThrow();
    assertThat(g.spec().volumeGroupSnapshotClassName()).contains("group-class");
    assertThat(g.status().boundVolumeGroupSnapshotContentName()).contains("groupsnapcontent-" + uid);
    assertThat(g.status().readyToUse()).contains(true);
    assertThat(g.status().creationTime()).isPresent();
    assertThat(g.metadata().finalizers()).contains(GroupSnapshots.GROUP_BOUND_PROTECTION);
    assertThat(events(s, ObjectKey.of(g))).containsExactly(
        "CreatingGroupSnapshot: Waiting for a group snapshot default/db-group to be created by the CSI driver.",
        "GroupSnapshotCreated: GroupSnapshot default/db-group was successfully created by the CSI driver.",
        "GroupSnapshotReady: GroupSnapshot default/db-group is ready to use.");

    VolumeGroupSnapshotContent c = groupContent(s, "groupsnapcontent-" + uid);
    assertThat(c.spec().source().volumeHandles()).containsExactly(handleOf(s, "db-0"), handleOf(s, "db-1"));
    assertThat(c.spec().deletionPolicy()).isEqualTo("Delete");
    assertThat(c.status().volumeSnapshotHandlePairList()).hasSize(2);
    assertThat(s.memory.listSnapshots(new ListSnapshotsRequest(0, "", "", "", null)).entries())
        .allMatch(x -> x.groupSnapshotId().equals(c.status().volumeGroupSnapshotHandle().orElseThrow()));

    String member = GroupSnapshots.memberSnapshotName(uid, handleOf(s, "db-0"));
    assertThat(member).matches("snapshot-[0-9a-f]{64}");
    VolumeSnapshot vs = s.kit.get(VolumeSnapshot.class, NS, member).orElseThrow();
    assertThat(vs.status().volumeGroupSnapshotName()).contains("db-group");
    assertThat(vs.status().readyToUse()).contains(true);
    assertThat(vs.spec().source().persistentVolumeClaimName()).contains("db-0");
    assertThat(vs.metadata().finalizers()).contains(GroupSnapshots.IN_GROUP_PROTECTION);
    assertThat(vs.metadata().ownerReferences()).extracting(o -> o.uid()).containsExactly(uid);
    VolumeSnapshotContent vsc = s.kit.get(VolumeSnapshotContent.class, "",
        GroupSnapshots.memberContentName(uid, handleOf(s, "db-0"))).orElseThrow();
    assertThat(vs.status().boundVolumeSnapshotContentName()).contains(vsc.metadata().name());
    assertThat(vsc.metadata().annotation(GroupSnapshots.GROUP_HANDLE_ANNOTATION))
        .isEqualTo(c.status().volumeGroupSnapshotHandle());
    assertThat(vsc.spec().volumeSnapshotRef().uidOrEmpty()).isEqualTo(vs.metadata().uid().orElseThrow());
    assertThat(snapshots(s)).hasSize(2);
  }

  @Test
  void aMemberSnapshotRestoresAsAnyOther() {
    Scenario s = twoClaims(Scenario.configured(b -> b));
    s.apply(bySelector("db-group", "db"));
    s.settle();
    String uid = group(s, "db-group").metadata().uid().orElseThrow();
    String member = GroupSnapshots.memberSnapshotName(uid, handleOf(s, "db-1"));
    PersistentVolumeClaim restore = withClass(pvc("restored", "1Gi"), "fast");
    s.apply(restore.withSpec(restore.spec().withDataSource(Optional.of(
        new TypedLocalObjectReference(Optional.of(SNAP_GROUP), VolumeSnapshot.KIND, member)))));
    s.settle();

    assertThat(s.pvc("restored").phase()).isEqualTo("Bound");
    String snapshotHandle = s.kit.get(VolumeSnapshotContent.class, "", GroupSnapshots.memberContentName(uid,
        handleOf(s, "db-1"))).orElseThrow().status().snapshotHandle().orElseThrow();
    assertThat(s.faults.creates.get(s.faults.creates.size() - 1).volumeContentSource())
        .contains(VolumeContentSource.snapshot(snapshotHandle));
  }

  @Test
  void aMemberIsDeletedOnlyWithItsGroupAndDeletingTheGroupDeletesItOnTheStorage() {
    Scenario s = twoClaims(new Scenario());
    s.apply(bySelector("db-group", "db"));
    s.settle();
    VolumeGroupSnapshot g = group(s, "db-group");
    String member = GroupSnapshots.memberSnapshotName(g.metadata().uid().orElseThrow(), handleOf(s, "db-0"));

    s.delete(ObjectKey.namespaced(VolumeSnapshot.KIND, NS, member));
    s.settle();
    assertThat(s.kit.get(VolumeSnapshot.class, NS, member)).isPresent();
    assertThat(events(s, ObjectKey.namespaced(VolumeSnapshot.KIND, NS, member))).anyMatch(e -> e.startsWith(
        "SnapshotDeletePending: deletion of the individual volume snapshot default/" + member
            + " is not allowed as it belongs to group snapshot default/db-group."));
    assertThat(s.memory.listSnapshots(new ListSnapshotsRequest(0, "", "", "", null)).entries()).hasSize(2);

    s.delete(ObjectKey.of(g));
    s.settle();
    assertThat(s.kit.get(VolumeGroupSnapshot.class, NS, "db-group")).isEmpty();
    assertThat(s.kit.list(VolumeGroupSnapshotContent.class)).isEmpty();
    assertThat(snapshots(s)).isEmpty();
    assertThat(s.kit.list(VolumeSnapshotContent.class)).isEmpty();
    assertThat(s.memory.listSnapshots(new ListSnapshotsRequest(0, "", "", "", null)).entries()).isEmpty();
  }

  @Test
  void retainKeepsTheGroupOnTheStorageAndReleasesTheContent() {
    Scenario s = new Scenario();
    s.apply(sc("fast"), labelled("db-0", "db"), groupClass("keep", "Retain", true));
    s.settle();
    s.apply(bySelector("g", "db"));
    s.settle();
    VolumeGroupSnapshot g = group(s, "g");
    assertThat(g.metadata().finalizers()).doesNotContain(GroupSnapshots.GROUP_BOUND_PROTECTION);
    s.delete(ObjectKey.of(g));
    s.settle();
    VolumeGroupSnapshotContent c = s.kit.list(VolumeGroupSnapshotContent.class).get(0);
    assertThat(c.metadata().finalizers()).isEmpty();
    assertThat(snapshots(s)).isEmpty();
    assertThat(s.memory.listSnapshots(new ListSnapshotsRequest(0, "", "", "", null)).entries()).hasSize(1);
  }

  @Test
  void waitingAndFailuresAreReportedWithUpstreamReasons() {
    Scenario s = new Scenario();
    s.apply(sc("fast"), labelled("db-0", "db"));
    s.settle();
    s.apply(bySelector("none", "nothing"), bySelector("g", "db"));
    s.settle();
    assertThat(events(s, ObjectKey.of(group(s, "none")))).contains("GroupSnapshotContentCreationFailed: failed to create"
        + " group snapshot content with error label selector {app=nothing} for group snapshot not applied to any PVC");
    assertThat(events(s, ObjectKey.of(group(s, "g")))).contains(
        "SetDefaultGroupSnapshotClassFailed: Failed to set default group snapshot class with error cannot find default"
            + " group snapshot class");
    assertThat(group(s, "g").status().error()).isPresent();

    // A claim that is not bound yet: the group waits, then proceeds once it is.
    PersistentVolumeClaim pending = withClass(pvc("db-1", "1Gi"), "no-such-class");
    s.apply(pending.withMetadata(pending.metadata().withLabels(ImmutableMap.of("app", "db"))),
        groupClass("group-class", "Delete", true));
    s.settle();
    assertThat(events(s, ObjectKey.of(group(s, "g")))).contains("GroupSnapshotContentCreationFailed: failed to create"
        + " group snapshot content with error the PVC db-1 is not yet bound to a PV, will not attempt to take a group"
        + " snapshot");
    assertThat(group(s, "g").status().boundVolumeGroupSnapshotContentName()).isEmpty();
    s.delete(ObjectKey.namespaced(PersistentVolumeClaim.KIND, NS, "db-1"));
    s.settle();
    assertThat(group(s, "g").status().readyToUse()).contains(true);
    assertThat(group(s, "g").status().error()).isEmpty();
  }

  @Test
  void aDriverWithoutTheGroupControllerCapabilityFailsLoudly() {
    Scenario s = twoClaims(new Scenario(d -> new ForwardingCsiDriver(d) {
      @Override
      public GetPluginCapabilitiesResponse getPluginCapabilities() {
        return new GetPluginCapabilitiesResponse(ImmutableSet.of(PluginCapability.CONTROLLER_SERVICE));
      }

      @Override
      public GroupControllerGetCapabilitiesResponse groupControllerGetCapabilities() {
        return new GroupControllerGetCapabilitiesResponse(null);
      }
    }));
    s.apply(bySelector("db-group", "db"));
    s.settle();
    VolumeGroupSnapshot g = group(s, "db-group");
    String message = "Failed to create group snapshot: CSI driver " + Fixtures.DRIVER + " does not support volume group"
        + " snapshots: group controller CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT capability is not reported";
    String contentName = g.status().boundVolumeGroupSnapshotContentName().orElseThrow();
    assertThat(events(s, GroupSnapshots.contentKey(contentName))).containsExactly("GroupSnapshotCreationFailed: " + message);
    assertThat(g.status().readyToUse()).contains(false);
    assertThat(g.status().error().flatMap(e -> e.message())).contains(message);
    assertThat(snapshots(s)).isEmpty();
    assertThat(s.memory.listSnapshots(new ListSnapshotsRequest(0, "", "", "", null)).entries()).isEmpty();
  }

  @Test
  void aPreProvisionedContentIsBoundAndItsMembersMade() {
    Scenario s = new Scenario();
    s.apply(sc("fast"), labelled("db-0", "db"), labelled("db-1", "db"));
    s.settle();
    var made = s.memory.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.of("outside",
        handleOf(s, "db-0"), handleOf(s, "db-1"))).groupSnapshot();
    VolumeGroupSnapshotContent content = VolumeGroupSnapshotContentBuilder.builder()
        .metadata(ObjectMeta.named("pre-made"))
        .spec(VolumeGroupSnapshotContentSpecBuilder.builder()
            .volumeGroupSnapshotRef(ObjectReferenceBuilder.builder().namespace(Optional.of(NS))
                .name(Optional.of("imported")).build())
            .deletionPolicy("Delete").driver(Fixtures.DRIVER)
            .source(VolumeGroupSnapshotContentSourceBuilder.builder().groupSnapshotHandles(Optional.of(
                new GroupSnapshotHandles(made.groupSnapshotId(), made.snapshotIds()))).build())
            .build())
        .build();
    VolumeGroupSnapshot imported = VolumeGroupSnapshotBuilder.builder().metadata(ObjectMeta.named(NS, "imported"))
        .spec(VolumeGroupSnapshotSpecBuilder.builder().source(VolumeGroupSnapshotSourceBuilder.builder()
            .volumeGroupSnapshotContentName(Optional.of("pre-made")).build()).build())
        .build();
    s.apply(content, imported);
    s.settle();
    VolumeGroupSnapshot g = group(s, "imported");
    assertThat(g.status().readyToUse()).contains(true);
    assertThat(groupContent(s, "pre-made").status().volumeSnapshotHandlePairList()).hasSize(2);
    assertThat(snapshots(s)).extracting(v -> v.status().volumeGroupSnapshotName().orElse("")).containsOnly("imported");
    assertThat(snapshots(s)).hasSize(2);

    s.delete(ObjectKey.of(g));
    s.settle();
    assertThat(s.memory.listSnapshots(new ListSnapshotsRequest(0, "", "", "", null)).entries()).isEmpty();
    assertThat(s.kit.list(VolumeGroupSnapshotContent.class)).isEmpty();
  }

  @Test
  void aClassParameterReachesTheDriverWithoutReservedKeys() {
    Scenario s = new Scenario(d -> new ForwardingCsiDriver(d) {
      @Override
      public io.volumekit.core.csi.CreateVolumeGroupSnapshotResponse createVolumeGroupSnapshot(
          CreateVolumeGroupSnapshotRequest request) {
        assertThat(request.parameters()).isEqualTo(ImmutableMap.of("tier", "gold"));
        assertThat(request.name()).startsWith("groupsnapshot-");
        return super.createVolumeGroupSnapshot(request);
      }
    });
    twoClaims(s);
    s.apply(bySelector("db-group", "db"));
    s.settle();
    assertThat(group(s, "db-group").status().readyToUse()).contains(true);
    assertThat(ImmutableList.copyOf(s.kit.list(VolumeSnapshot.class))).hasSize(2);
  }
}
