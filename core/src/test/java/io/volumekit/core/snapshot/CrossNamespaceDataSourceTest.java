package io.volumekit.core.snapshot;

import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.Fixtures.withClass;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.Fixtures;
import io.volumekit.core.Scenario;
import io.volumekit.core.csi.VolumeContentSource;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.TypedObjectReference;
import io.volumekit.model.gateway.ReferenceGrant;
import io.volumekit.model.gateway.ReferenceGrantFrom;
import io.volumekit.model.gateway.ReferenceGrantSpec;
import io.volumekit.model.gateway.ReferenceGrantTo;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.snapshot.VolumeSnapshot;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Cross-namespace data sources (the CrossNamespaceVolumeDataSource gate, on): a claim in namespace
 * {@code team-a} restores the snapshot {@code default/snap} only when a ReferenceGrant in {@code
 * default} allows claims of {@code team-a} to use it (external-provisioner's {@code IsGranted}).
 */
class CrossNamespaceDataSourceTest {

  static final String TEAM = "team-a";
  static final String REFUSED = "ProvisioningFailed: failed to provision volume with StorageClass \"fast\": accessing"
      + " default/snap of VolumeSnapshot dataSource from team-a/restored isn't allowed";

  static Scenario gateOn() {
    Scenario s = Scenario.configured(b -> b.crossNamespaceVolumeDataSource(true));
    DataSourceTableTest.readySnapshot(s); // default/src, default/snap
    s.settle();
    return s;
  }

  static PersistentVolumeClaim restored() {
    PersistentVolumeClaim c = withClass(pvc("restored", "1Gi"), "fast");
    return c.withMetadata(ObjectMeta.named(TEAM, "restored")).withSpec(c.spec().withDataSourceRef(Optional.of(
        new TypedObjectReference(Optional.of(DataSourceTableTest.SNAP_GROUP), VolumeSnapshot.KIND, "snap",
            Optional.of(Fixtures.NS)))));
  }

  static ReferenceGrant grant(String fromNamespace, String toGroup, Optional<String> toName) {
    return new ReferenceGrant(ObjectMeta.named(Fixtures.NS, "allow-team-a"), new ReferenceGrantSpec(
        ImmutableList.of(new ReferenceGrantFrom("", PersistentVolumeClaim.KIND, fromNamespace)),
        ImmutableList.of(new ReferenceGrantTo(toGroup, VolumeSnapshot.KIND, toName))));
  }

  static List<String> events(Scenario s) {
    return Fixtures.eventTexts(s.kit, ObjectKey.namespaced(PersistentVolumeClaim.KIND, TEAM, "restored"));
  }

  static PersistentVolumeClaim claim(Scenario s) {
    return s.kit.get(PersistentVolumeClaim.class, TEAM, "restored").orElseThrow();
  }

  @Test
  void withoutAGrantTheClaimIsRefusedThenRestoredOnceAGrantAllowsIt() {
    Scenario s = gateOn();
    int before = s.faults.createCalls;
    s.apply(restored());
    s.settle();
    assertThat(claim(s).phase()).isEqualTo("Pending");
    assertThat(events(s)).contains(REFUSED);
    assertThat(s.faults.createCalls).isEqualTo(before);

    s.apply(grant(TEAM, DataSourceTableTest.SNAP_GROUP, Optional.empty()));
    s.settle();

    assertThat(claim(s).phase()).isEqualTo("Bound");
    String handle = DataSourceTableTest.content(s, DataSourceTableTest.snap(s, "snap").status()
        .boundVolumeSnapshotContentName().orElseThrow()).status().snapshotHandle().orElseThrow();
    assertThat(s.faults.creates.get(s.faults.creates.size() - 1).volumeContentSource())
        .contains(VolumeContentSource.snapshot(handle));
  }

  @Test
  void aGrantForAnotherNamespaceAnotherGroupOrAnotherNameAllowsNothing() {
    Scenario s = gateOn();
    s.apply(restored());
    for (ReferenceGrant g : List.of(grant("team-b", DataSourceTableTest.SNAP_GROUP, Optional.empty()),
        grant(TEAM, "example.com", Optional.empty()),
        grant(TEAM, DataSourceTableTest.SNAP_GROUP, Optional.of("other-snap")))) {
      s.apply(g);
      s.settle();
      assertThat(claim(s).phase()).isEqualTo("Pending");
    }
    assertThat(events(s)).contains(REFUSED);

    s.apply(grant(TEAM, DataSourceTableTest.SNAP_GROUP, Optional.of("snap")));
    s.settle();
    assertThat(claim(s).phase()).isEqualTo("Bound");
  }
}
