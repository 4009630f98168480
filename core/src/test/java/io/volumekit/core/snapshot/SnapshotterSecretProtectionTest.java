package io.volumekit.core.snapshot;

import static io.volumekit.core.Fixtures.*;
import static io.volumekit.core.protection.SecretProtectionTableTest.VALUE;
import static io.volumekit.core.protection.SecretProtectionTableTest.hasSecret;
import static io.volumekit.core.protection.SecretProtectionTableTest.secret;
import static io.volumekit.core.protection.SecretProtectionTableTest.secretEvents;
import static io.volumekit.core.protection.SecretProtectionTableTest.secretKey;
import static io.volumekit.core.snapshot.DataSourceTableTest.snapClass;
import static io.volumekit.core.snapshot.DataSourceTableTest.snapEvents;
import static io.volumekit.core.snapshot.DataSourceTableTest.snapshotOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableMap;
import io.volumekit.core.Scenario;
import io.volumekit.core.api.SnapshotterSecrets;
import io.volumekit.core.csi.DeleteSnapshotRequest;
import io.volumekit.core.csi.ForwardingCsiDriver;
import io.volumekit.core.csi.ListSnapshotsRequest;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Secret;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotClass;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The secret protection of snapshotter secrets (docs/cases/protection.md, "Secret protection";
 * docs/cases/snapshots.md, "snap-secret"): the Secret a VolumeSnapshotClass names, or a content
 * records as its deletion secret, stays while a content with policy Delete exists, so that
 * DeleteSnapshot always gets it; and the class parameters' templates resolve as the sidecar's.
 */
class SnapshotterSecretProtectionTest {

  static VolumeSnapshotClass withSecret(VolumeSnapshotClass c, String name, String namespace) {
    return c.withParameters(ImmutableMap.of(SnapshotterSecrets.NAME_PARAM, name, SnapshotterSecrets.NAMESPACE_PARAM, namespace));
  }

  /** A scenario whose driver records the secrets each DeleteSnapshot got. */
  static Scenario recordingDeletes(List<Map<String, String>> deletes) {
    return new Scenario(d -> new ForwardingCsiDriver(d) {
      @Override
      public void deleteSnapshot(DeleteSnapshotRequest r) {
        deletes.add(r.secrets().asMap());
        delegate().deleteSnapshot(r);
      }
    });
  }

  static ObjectKey snapKey(String name) {
    return ObjectKey.namespaced(VolumeSnapshot.KIND, NS, name);
  }

  static String contentOf(Scenario s, String snapshot) {
    return DataSourceTableTest.snap(s, snapshot).status().boundVolumeSnapshotContentName().orElseThrow();
  }

  static int driverSnapshots(Scenario s) {
    return s.memory.listSnapshots(ListSnapshotsRequest.firstPage(0)).entries().size();
  }

  @Test
  void aDeleteContentHoldsItsDeletionSecretUntilDeleteSnapshotHasUsedIt() {
    List<Map<String, String>> deletes = new ArrayList<>();
    Scenario s = recordingDeletes(deletes);
    s.apply(secret("snap-creds"), sc("fast"), withClass(pvc("src", "1Gi"), "fast"),
        withSecret(snapClass("csi-snap", "Delete", true), "snap-creds", NS));
    s.settle();
    s.apply(snapshotOf("snap", "src"));
    s.settle();
    String content = contentOf(s, "snap");
    // the class goes first: the content still names the secret
    s.delete(Snapshots.classKey("csi-snap"));
    s.delete(secretKey("snap-creds"));
    s.settle();
    assertThat(s.kit.get(Secret.class, NS, "snap-creds").orElseThrow().metadata().isDeleting()).isTrue();
    assertThat(secretEvents(s, "snap-creds")).anyMatch(e -> e.endsWith("used by VolumeSnapshotContent " + content));

    s.delete(snapKey("snap"));
    s.settle();
    assertThat(deletes).containsExactly(Map.of("password", VALUE));
    assertThat(driverSnapshots(s)).isZero();
    assertThat(hasSecret(s, "snap-creds")).isFalse();
    assertThat(s.trace).noneMatch(l -> l.contains(VALUE));
    assertThat(all(s.kit)).noneMatch(e -> e.message().orElse("").contains(VALUE));
  }

  @Test
  void aClassNamingItWithoutTemplateHoldsIt() {
    Scenario s = new Scenario();
    s.apply(secret("snap-creds"), withSecret(snapClass("csi-snap", "Delete", true), "snap-creds", NS));
    s.settle();
    s.delete(secretKey("snap-creds"));
    s.settle();
    assertThat(secretEvents(s, "snap-creds")).anyMatch(e -> e.endsWith("used by VolumeSnapshotClass csi-snap"));
    s.delete(Snapshots.classKey("csi-snap"));
    s.settle();
    assertThat(hasSecret(s, "snap-creds")).isFalse();
  }

  @Test
  void aRetainContentReleasesItOnceTheSnapshotIsCut() {
    Scenario s = new Scenario();
    s.apply(secret("snap-creds"), sc("fast"), withClass(pvc("src", "1Gi"), "fast"),
        withSecret(snapClass("keep", "Retain", true), "snap-creds", NS));
    s.settle();
    s.apply(snapshotOf("snap", "src"));
    s.settle();
    s.delete(Snapshots.classKey("keep"));
    s.delete(secretKey("snap-creds"));
    s.settle();
    assertThat(DataSourceTableTest.snap(s, "snap").status().readyToUse()).contains(true);
    assertThat(hasSecret(s, "snap-creds")).isFalse();
  }

  @Test
  void aTemplatedClassHoldsTheSecretResolvedForASnapshotWaitingForItsContent() {
    Scenario s = new Scenario();
    // the source claim's class does not exist: the claim stays Pending and the snapshot waits
    s.apply(secret("snap-creds"), secret("other-creds"), withClass(pvc("src", "1Gi"), "later"),
        withSecret(snapClass("csi-snap", "Delete", false), "${volumesnapshot.name}-creds", "${volumesnapshot.namespace}"));
    VolumeSnapshot v = snapshotOf("snap", "src");
    s.apply(v.withSpec(v.spec().withVolumeSnapshotClassName(Optional.of("csi-snap"))));
    s.settle();
    s.delete(secretKey("snap-creds"));
    s.delete(secretKey("other-creds"));
    s.settle();
    assertThat(hasSecret(s, "other-creds")).isFalse();
    assertThat(secretEvents(s, "snap-creds")).anyMatch(e -> e.endsWith("used by VolumeSnapshot default/snap"));

    s.apply(sc("later"));
    s.settle();
    // the content is cut with the secret and records it for DeleteSnapshot
    VolumeSnapshotContent c = DataSourceTableTest.content(s, contentOf(s, "snap"));
    assertThat(c.metadata().annotations()).containsEntry(Snapshots.DELETION_SECRET_NAME, "snap-creds")
        .containsEntry(Snapshots.DELETION_SECRET_NAMESPACE, NS);
    assertThat(hasSecret(s, "snap-creds")).isTrue();
    s.delete(snapKey("snap"));
    s.settle();
    assertThat(driverSnapshots(s)).isZero();
    assertThat(s.kit.list(VolumeSnapshotContent.class)).isEmpty();
    assertThat(hasSecret(s, "snap-creds")).isFalse();
  }

  static Stream<Arguments> templates() {
    return Stream.of(
        Arguments.of("${volumesnapshotcontent.name}", NS, Optional.of("snapcontent-u1/" + NS), ""),
        Arguments.of("${volumesnapshot.name}-x", "${volumesnapshot.namespace}", Optional.of("snap-x/ns1"), ""),
        Arguments.of("x", "${volumesnapshotcontent.name}", Optional.of("x/snapcontent-u1"), ""),
        Arguments.of("x", "${volumesnapshot.name}", Optional.empty(),
            "error resolving value \"${volumesnapshot.name}\": invalid tokens: [\"volumesnapshot.name\"]"),
        Arguments.of("${pvc.name}", NS, Optional.empty(),
            "error resolving value \"${pvc.name}\": invalid tokens: [\"pvc.name\"]"),
        Arguments.of("x", null, Optional.empty(),
            "either name and namespace for Snapshotter secrets specified, Both must be specified"),
        Arguments.of(null, null, Optional.empty(), ""));
  }

  /** The templates external-snapshotter allows in the name (three) and in the namespace (two). */
  @ParameterizedTest(name = "name {0}, namespace {1}")
  @MethodSource("templates")
  void templatesResolveAsTheSidecarResolvesThem(String name, String namespace, Optional<String> expected, String error) {
    Map<String, String> params = new java.util.HashMap<>();
    if (name != null) {
      params.put(SnapshotterSecrets.NAME_PARAM, name);
    }
    if (namespace != null) {
      params.put(SnapshotterSecrets.NAMESPACE_PARAM, namespace);
    }
    String ns = namespace != null && namespace.equals("${volumesnapshot.namespace}") ? "ns1" : NS;
    try {
      Optional<ObjectKey> k = SnapshotterSecrets.resolve(params, "snapcontent-u1", ns, "snap");
      assertThat(error).isEmpty();
      assertThat(k.map(o -> o.name() + "/" + o.namespace())).isEqualTo(expected);
    } catch (SnapshotterSecrets.InvalidSecretParameters e) {
      assertThat(e.getMessage()).isEqualTo(error);
    }
  }

  @Test
  void aWrongTemplateFailsTheSnapshotAndCreatesNoContent() {
    Scenario s = new Scenario();
    s.apply(sc("fast"), withClass(pvc("src", "1Gi"), "fast"),
        withSecret(snapClass("csi-snap", "Delete", true), "${pvc.name}", NS));
    s.settle();
    s.apply(snapshotOf("snap", "src"));
    s.settle();
    assertThat(s.kit.list(VolumeSnapshotContent.class)).isEmpty();
    assertThat(snapEvents(s, "snap")).anyMatch(e -> e.startsWith(Snapshots.SNAPSHOT_CONTENT_CREATION_FAILED + ":")
        && e.contains("invalid tokens: [\"pvc.name\"]"));
    assertThat(driverSnapshots(s)).isZero();
  }
}
