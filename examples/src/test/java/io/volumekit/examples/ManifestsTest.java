package io.volumekit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.api.Annotations;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.csi.hostpath.HostPathDriver;
import io.volumekit.model.apps.StatefulSet;
import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every manifest in examples/manifests, decoded with the model's codec and applied to an engine
 * ({@link Playground}): it must converge (claims Bound, pods Running with their volumes mounted),
 * and each one shows what it is about.
 */
class ManifestsTest {

  @TempDir
  Path work;

  static Stream<String> manifests() throws IOException {
    try (Stream<Path> files = Files.list(Playground.MANIFESTS)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("manifests")
  void decodesWithoutWarningsAndConverges(String file) throws IOException {
    assertThat(ObjectCodec.standard().decode(Files.readString(Playground.MANIFESTS.resolve(file))).warnings())
        .as("decode warnings").isEmpty();
    Playground p = Playground.run(file, work);
    assertThat(p.manifest).isNotEmpty();
    p.assertConverged();
  }

  /** Marks the test that shows what a manifest file is about. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @interface Covers {
    String value();
  }

  /** Every manifest has a test of its own below; a new manifest without one fails here. */
  @Test
  void everyManifestHasItsOwnTest() throws IOException {
    List<String> tested = Stream.of(getClass().getDeclaredMethods())
        .filter(m -> m.isAnnotationPresent(Covers.class))
        .map(m -> m.getAnnotation(Covers.class).value())
        .sorted().toList();
    assertThat(tested).containsExactlyElementsOf(manifests().toList());
  }

  /** The README's table names every manifest, and nothing else. */
  @Test
  void readmeListsEveryManifest() throws IOException {
    String readme = Files.readString(Playground.MANIFESTS.resolve("README.md"));
    List<String> listed = java.util.regex.Pattern.compile("`([a-z0-9-]+\\.yaml)`").matcher(readme).results()
        .map(m -> m.group(1)).distinct().sorted().toList();
    assertThat(listed).containsExactlyElementsOf(manifests().toList());
  }

  @Test
  @Covers("mysql.yaml")
  void mysqlIsProvisionedWithTheClassPolicyAndMountOptions() throws IOException {
    Playground p = Playground.run("mysql.yaml", work);
    // Immediate binding: provisioned by kubernetes.io/my-driver with the class's policy and mount options.
    PersistentVolume pv = p.volumeOf("mysql-pvc");
    assertThat(pv.csi().orElseThrow().driver()).isEqualTo("kubernetes.io/my-driver");
    assertThat(pv.reclaimPolicy()).isEqualTo("Retain");
    assertThat(pv.spec().mountOptions()).containsExactly("debug");
    assertThat(p.hostPath("mysql", "/var/lib/mysql").toString())
        .endsWith("/volumes/kubernetes.io~csi/" + pv.metadata().name() + "/mount");
  }

  @Test
  @Covers("mysql-dynamic.yaml")
  void mysqlDynamicGetsTheDefaultClassAndARealHostpathVolume() throws IOException {
    Playground p = Playground.run("mysql-dynamic.yaml", work);
    PersistentVolumeClaim claim = p.claim("mysql-data");
    assertThat(claim.spec().storageClassName()).as("the default class").contains("standard");
    assertThat(claim.metadata().annotation(Annotations.SELECTED_NODE)).contains("node-1");
    assertThat(p.pod("mysql-dynamic").nodeName()).contains("node-1");
    // The volume is a real directory of the hostpath driver, and the pod's mount leads to it.
    String handle = p.volumeOf("mysql-data").csi().orElseThrow().volumeHandle();
    Path volume = p.hostpath("node-1").volumePath(handle);
    assertThat(volume).isDirectory();
    Files.writeString(p.hostPath("mysql-dynamic", "/var/lib/mysql").resolve("ibdata1"), "x");
    assertThat(volume.resolve("ibdata1")).hasContent("x");
  }

  @Test
  @Covers("statefulset-db.yaml")
  void statefulSetGivesEachPodItsOwnClaimKeptAcrossRestarts() throws IOException {
    Playground p = Playground.run("statefulset-db.yaml", work);
    for (int i = 0; i < 3; i++) {
      assertThat(p.pod("db-" + i).status().phase()).contains("Running");
      assertThat(p.pod("db-" + i).claimNames()).containsExactly("data-db-" + i);
      assertThat(p.claim("data-db-" + i).phase()).isEqualTo("Bound");
    }
    // A recreated pod finds its data again: the claim is the same, and so is the volume.
    Files.writeString(p.hostPath("db-1", "/var/lib/postgresql/data").resolve("PG_VERSION"), "16");
    String volume = p.claim("data-db-1").volumeName().orElseThrow();
    p.kit.delete(ObjectKey.of(p.pod("db-1")));
    p.settle();
    assertThat(p.pod("db-1").status().phase()).contains("Running");
    assertThat(p.claim("data-db-1").volumeName()).contains(volume);
    assertThat(p.hostPath("db-1", "/var/lib/postgresql/data").resolve("PG_VERSION")).hasContent("16");

    // whenScaled: Delete: scaling to 1 deletes the pods db-2, db-1, then their claims (and, class
    // standard reclaiming with Delete, their volumes).
    StatefulSet set = p.fromManifest(StatefulSet.class).get(0);
    p.kit.apply(set.withSpec(set.spec().withReplicas(java.util.Optional.of(1))));
    p.settle();
    assertThat(p.kit.list(Pod.class)).extracting(o -> o.metadata().name()).containsExactly("db-0");
    assertThat(p.kit.list(PersistentVolumeClaim.class)).extracting(o -> o.metadata().name()).containsExactly("data-db-0");
    assertThat(p.kit.list(PersistentVolume.class)).hasSize(1);

    // whenDeleted: Retain: deleting the set deletes its pod, not its claim.
    p.kit.delete(ObjectKey.of(p.kit.get(StatefulSet.class, "default", "db").orElseThrow()));
    p.settle();
    assertThat(p.kit.list(Pod.class)).isEmpty();
    assertThat(p.claim("data-db-0").phase()).isEqualTo("Bound");
    assertThat(p.claim("data-db-0").metadata().ownerReferences()).isEmpty();
  }

  @Test
  @Covers("static-pv.yaml")
  void staticClaimBindsThePreMadeVolumeWhichIsReleasedNotDeleted() throws IOException {
    Playground p = Playground.run("static-pv.yaml", work);
    assertThat(p.claim("static-claim").volumeName()).contains("static-pv");
    assertThat(p.kit.list(PersistentVolume.class)).as("nothing provisioned").hasSize(1);
    assertThat(p.hostPath("static-pod", "/usr/share/nginx/html")).isEqualTo(Path.of("/tmp/volumekit-examples/static-pv"));
    // Retain: deleting the claim releases the volume, which stays.
    p.kit.delete(ObjectKey.of(p.pod("static-pod")));
    p.kit.delete(ObjectKey.of(p.claim("static-claim")));
    p.settle();
    assertThat(p.kit.get(PersistentVolume.class, "", "static-pv").orElseThrow().phase()).isEqualTo("Released");
  }

  @Test
  @Covers("reclaim-retain.yaml")
  void retainKeepsTheVolumeAndItsDataReleased() throws IOException {
    Playground p = Playground.run("reclaim-retain.yaml", work);
    PersistentVolume pv = p.volumeOf("retain-claim");
    assertThat(pv.reclaimPolicy()).isEqualTo("Retain");
    Path volume = p.hostpath("node-1").volumePath(pv.csi().orElseThrow().volumeHandle());
    Files.writeString(p.hostPath("retain-pod", "/data").resolve("file"), "kept\n");

    p.kit.delete(ObjectKey.of(p.pod("retain-pod")));
    p.kit.delete(ObjectKey.of(p.claim("retain-claim")));
    p.settle();
    assertThat(p.kit.get(PersistentVolumeClaim.class, "default", "retain-claim")).isEmpty();
    PersistentVolume released = p.kit.get(PersistentVolume.class, "", pv.metadata().name()).orElseThrow();
    assertThat(released.phase()).isEqualTo("Released");
    assertThat(volume.resolve("file")).hasContent("kept");
  }

  @Test
  @Covers("reclaim-delete.yaml")
  void deleteRemovesThePersistentVolumeAndTheDriverVolume() throws IOException {
    Playground p = Playground.run("reclaim-delete.yaml", work);
    PersistentVolume pv = p.volumeOf("delete-claim");
    assertThat(pv.reclaimPolicy()).isEqualTo("Delete");
    Path volume = p.hostpath("node-1").volumePath(pv.csi().orElseThrow().volumeHandle());
    assertThat(volume).isDirectory();

    p.kit.delete(ObjectKey.of(p.pod("delete-pod")));
    p.kit.delete(ObjectKey.of(p.claim("delete-claim")));
    p.settle();
    assertThat(p.kit.get(PersistentVolume.class, "", pv.metadata().name())).isEmpty();
    assertThat(volume).doesNotExist();
  }

  @Test
  @Covers("wffc-topology.yaml")
  void wffcTopologyPlacesThePodWhereTheClassAllowsVolumes() throws IOException {
    Playground p = Playground.run("wffc-topology.yaml", work);
    // Both nodes registered the driver: each carries its topology label.
    for (String node : List.of("node-0", "node-1")) {
      assertThat(p.kit.get(Node.class, "", node).orElseThrow().metadata().label(HostPathDriver.TOPOLOGY_KEY))
          .contains(node);
    }
    // node-0 comes first by name, but the class only allows node-1.
    assertThat(p.pod("topology-pod").nodeName()).contains("node-1");
    assertThat(p.claim("topology-claim").metadata().annotation(Annotations.SELECTED_NODE)).contains("node-1");
    PersistentVolume pv = p.volumeOf("topology-claim");
    assertThat(ObjectCodec.standard().encodeJsonCompact(pv))
        .contains("\"key\":\"" + HostPathDriver.TOPOLOGY_KEY + "\"").contains("\"values\":[\"node-1\"]");
    assertThat(p.hostpath("node-1").volumePath(pv.csi().orElseThrow().volumeHandle())).isDirectory();
  }

  @Test
  @Covers("two-nodes.yaml")
  void twoNodesEachVolumeIsMadeByTheDriverInstanceOfItsPodsNode() throws IOException {
    Playground p = Playground.run("two-nodes.yaml", work);
    for (String[] podClaimNode : new String[][] {{"left", "left-data", "node-1"}, {"right", "right-data", "node-2"}}) {
      String node = podClaimNode[2];
      assertThat(p.pod(podClaimNode[0]).nodeName()).contains(node);
      assertThat(p.claim(podClaimNode[1]).metadata().annotation(Annotations.SELECTED_NODE)).contains(node);
      PersistentVolume pv = p.volumeOf(podClaimNode[1]);
      assertThat(ObjectCodec.standard().encodeJsonCompact(pv))
          .contains("\"key\":\"" + HostPathDriver.TOPOLOGY_KEY + "\"").contains("\"values\":[\"" + node + "\"]");
      String other = node.equals("node-1") ? "node-2" : "node-1";
      assertThat(p.hostpath(node).volumePath(pv.csi().orElseThrow().volumeHandle())).isDirectory();
      assertThat(p.hostpath(other).volumePath(pv.csi().orElseThrow().volumeHandle())).doesNotExist();
    }
  }

  @Test
  void wffcTopologyProvisionsNothingBeforeThePod() throws IOException {
    Playground p = Playground.run("wffc-topology.yaml", work, o -> !(o instanceof Pod));
    assertThat(p.claim("topology-claim").phase()).isEqualTo("Pending");
    assertThat(p.kit.list(PersistentVolume.class)).isEmpty();
    assertThat(p.events(ObjectKey.of(p.claim("topology-claim"))))
        .contains("WaitForFirstConsumer: waiting for first consumer to be created before binding");

    Pod pod = p.fromManifest(Pod.class).get(0);
    p.kit.apply(pod);
    p.settle();
    p.assertConverged();
    assertThat(p.pod("topology-pod").nodeName()).contains("node-1");
  }

  @Test
  @Covers("emptydir.yaml")
  void emptyDirIsAnEmptyDirectoryOfThePod() throws IOException {
    Playground p = Playground.run("emptydir.yaml", work);
    Path cache = p.hostPath("test-pd", "/cache");
    assertThat(cache).isDirectory().isEmptyDirectory();
    assertThat(cache.toString()).contains("/volumes/kubernetes.io~empty-dir/cache-volume");
  }

  @Test
  @Covers("configmap.yaml")
  void configMapKeysBecomeFiles() throws IOException {
    Playground p = Playground.run("configmap.yaml", work);
    assertThat(p.hostPath("configmap-pod", "/etc/config").resolve("log_level")).hasContent("INFO");
  }

  @Test
  @Covers("secret.yaml")
  void secretKeysBecomeFilesMountedReadOnly() throws IOException {
    Playground p = Playground.run("secret.yaml", work);
    Path foo = p.hostPath("mypod", "/etc/foo");
    assertThat(foo.resolve("username")).hasContent("admin");
    assertThat(foo.resolve("password")).exists();
    assertThat(p.kit.podVolumes(p.pod("mypod")).mounts().get(0).readOnly()).isTrue();
  }

  @Test
  @Covers("downwardapi.yaml")
  void downwardApiWritesThePodsLabelsAndAnnotations() throws IOException {
    Playground p = Playground.run("downwardapi.yaml", work);
    Path podinfo = p.hostPath("kubernetes-downwardapi-volume-example", "/etc/podinfo");
    assertThat(podinfo.resolve("labels")).exists();
    assertThat(podinfo.resolve("annotations")).exists();
  }

  @Test
  @Covers("projected.yaml")
  void projectedMergesAllSourcesIntoOneDirectory() throws IOException {
    Playground p = Playground.run("projected.yaml", work);
    Path dir = p.hostPath("projected-pod", "/projected");
    assertThat(dir.resolve("db/username")).hasContent("admin");
    assertThat(dir.resolve("db/password")).hasContent("s3cr3t");
    assertThat(dir.resolve("settings/log_level")).hasContent("DEBUG");
    assertThat(dir.resolve("labels")).hasContent("app=\"shop\"");
    assertThat(java.nio.file.Files.readString(dir.resolve("token")))
        .as("a signed JWT: header.claims.signature").matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  }

  @Test
  @Covers("csi-inline.yaml")
  void csiInlineVolumeIsPublishedWithoutClaimOrVolumeObjects() throws IOException {
    Playground p = Playground.run("csi-inline.yaml", work);
    assertThat(p.kit.list(PersistentVolumeClaim.class)).isEmpty();
    assertThat(p.kit.list(PersistentVolume.class)).isEmpty();
    assertThat(p.hostPath("some-pod", "/data").toString()).endsWith("/volumes/kubernetes.io~csi/vol/mount");
  }


  @Test
  @Covers("expansion.yaml")
  void aLargerRequestGrowsTheVolumeOnTheControllerAndTheNode() throws IOException {
    Playground p = Playground.run("expansion.yaml", work);
    PersistentVolumeClaim claim = p.claim("data");
    var bigger = claim.withSpec(claim.spec().withResources(claim.spec().resources().withRequests(
        com.google.common.collect.ImmutableMap.of("storage", io.volumekit.model.quantity.Quantity.parse("5Gi")))));
    p.kit.apply(bigger);
    p.settle();
    p.assertConverged();
    assertThat(p.claim("data").status().capacity().get("storage").toString()).isEqualTo("5Gi");
    assertThat(p.volumeOf("data").capacityStorage().orElseThrow().toString()).isEqualTo("5Gi");
    assertThat(p.claim("data").status().conditions()).isEmpty();
  }

  @Test
  @Covers("snapshot-restore.yaml")
  void snapshotIsReadyAndTheRestoredClaimHoldsTheSourceData() throws IOException {
    // First the source claim and its pod (and the class); a file is written into the volume; then
    // the snapshot, the restored claim and its pod.
    java.util.function.Predicate<io.volumekit.model.meta.ApiObject> later = o -> o instanceof VolumeSnapshot
        || o.metadata().name().equals("restored-data") || o.metadata().name().equals("reader");
    Playground p = Playground.run("snapshot-restore.yaml", work, later.negate());
    Files.writeString(p.hostPath("writer", "/data").resolve("written"), "before the snapshot\n");
    p.manifest.stream().filter(later).forEach(p.kit::apply);
    p.settle();
    p.assertConverged();

    VolumeSnapshot snapshot = p.kit.get(VolumeSnapshot.class, "default", "source-snapshot").orElseThrow();
    assertThat(snapshot.spec().volumeSnapshotClassName()).as("the default class").contains("hostpath-snapclass");
    assertThat(snapshot.status().readyToUse()).contains(true);
    String contentName = snapshot.status().boundVolumeSnapshotContentName().orElseThrow();
    VolumeSnapshotContent content = p.kit.get(VolumeSnapshotContent.class, "", contentName).orElseThrow();
    assertThat(content.spec().driver()).isEqualTo(HostPathDriver.DRIVER_NAME);

    PersistentVolumeClaim restored = p.claim("restored-data");
    assertThat(restored.phase()).isEqualTo("Bound");
    assertThat(p.hostPath("reader", "/data").resolve("written")).hasContent("before the snapshot");
    // Written after the snapshot: not in the restored volume.
    Files.writeString(p.hostPath("writer", "/data").resolve("later"), "x");
    assertThat(p.hostPath("reader", "/data").resolve("later")).doesNotExist();
  }
  @Test
  @Covers("volume-attributes-class.yaml")
  void attributesClassIsAppliedAtProvisioningAndChangedByModifyingTheClaim() throws IOException {
    Playground p = Playground.run("volume-attributes-class.yaml", work);
    PersistentVolumeClaim claim = p.claim("fast-data");
    assertThat(claim.status().currentVolumeAttributesClassName()).contains("gold");
    PersistentVolume pv = p.volumeOf("fast-data");
    assertThat(pv.spec().volumeAttributesClassName()).contains("gold");
    String handle = pv.csi().orElseThrow().volumeHandle();
    String node = claim.metadata().annotation(Annotations.SELECTED_NODE).orElseThrow();
    assertThat(p.hostpath(node).mutableParameters(handle)).contains(java.util.Map.of("iops", "100"));

    p.kit.apply(claim.withSpec(claim.spec().withVolumeAttributesClassName(java.util.Optional.of("silver"))));
    p.settle();
    claim = p.claim("fast-data");
    assertThat(claim.status().currentVolumeAttributesClassName()).contains("silver");
    assertThat(claim.status().modifyVolumeStatus()).isEmpty();
    assertThat(p.volumeOf("fast-data").spec().volumeAttributesClassName()).contains("silver");
    assertThat(p.hostpath(node).mutableParameters(handle)).contains(java.util.Map.of("iops", "200", "throughput", "50"));
    assertThat(p.kit.events(io.volumekit.core.key.ObjectKey.of(claim))).extracting(e -> e.reason().orElse(""))
        .contains("VolumeModify", "VolumeModifySuccessful");
  }

  @Test
  @Covers("generic-ephemeral.yaml")
  void genericEphemeralClaimLivesAndDiesWithThePod() throws IOException {
    Playground p = Playground.run("generic-ephemeral.yaml", work);
    PersistentVolumeClaim claim = p.claim("my-app-my-csi-volume");
    assertThat(claim.phase()).isEqualTo("Bound");
    assertThat(claim.metadata().ownerReferences()).singleElement()
        .satisfies(o -> assertThat(o.name()).isEqualTo("my-app"));
    // The claim lives and dies with the pod.
    p.kit.delete(ObjectKey.of(p.pod("my-app")));
    p.settle();
    assertThat(p.kit.get(PersistentVolumeClaim.class, "default", "my-app-my-csi-volume")).isEmpty();
    assertThat(p.kit.list(PersistentVolume.class)).as("reclaim policy Delete").isEmpty();
  }
}
