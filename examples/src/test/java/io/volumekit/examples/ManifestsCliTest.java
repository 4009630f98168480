package io.volumekit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volumekit.cli.Main;
import io.volumekit.cli.engine.EngineClusters;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manifests as a user runs them: {@code volumekit apply -f examples/manifests/<file>} on a
 * fresh state, through the command's entry point, then {@code get} and {@code delete}.
 */
class ManifestsCliTest {

  /**
   * Manifests of the seed slides that need a driver or class the command's fresh state does not
   * have (kubernetes.io/my-driver, inline.storage.kubernetes.io, the class test-sc); {@link
   * ManifestsTest} runs them on an engine that has them.
   */
  static final Set<String> NEED_OTHER_DRIVERS = Set.of("mysql.yaml", "csi-inline.yaml", "generic-ephemeral.yaml");

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path state;

  record Result(int code, String out, String err) {}

  /** Runs {@code volumekit --state <state> args...}; volumes are published as symlinks (nothing to unmount). */
  Result volumekit(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("--state", state.toString()));
    all.addAll(List.of(args));
    int code = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]),
        Map.of("VOLUMEKIT_MOUNT_MODE", "symlink"), false, EngineClusters.opener());
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Result ok(String... args) {
    Result r = volumekit(args);
    assertThat(r.code()).as("volumekit %s: %s", String.join(" ", args), r.err()).isZero();
    return r;
  }

  /** The items of {@code get KINDS -o json}. */
  List<JsonNode> items(String kinds) throws IOException {
    Result r = volumekit("get", kinds, "-o", "json");
    assertThat(r.code()).as(r.err()).isZero();
    List<JsonNode> out = new ArrayList<>();
    JSON.readTree(r.out()).path("items").forEach(out::add);
    return out;
  }

  static String apply(String file) {
    return Playground.MANIFESTS.resolve(file).toString();
  }

  static Stream<String> forTheCommand() throws IOException {
    return ManifestsTest.manifests().filter(f -> !NEED_OTHER_DRIVERS.contains(f));
  }

  @ParameterizedTest
  @MethodSource("forTheCommand")
  void appliesOnAFreshStateAndConverges(String file) throws IOException {
    Result applied = ok("apply", "-f", apply(file));
    assertThat(applied.out()).contains(" created");
    for (JsonNode pvc : items("pvc")) {
      assertThat(pvc.at("/status/phase").asText()).as("%s %s", pvc.at("/metadata/name"), volumekit("describe", "pvc").out())
          .isEqualTo("Bound");
    }
    List<JsonNode> pods = items("pods");
    assertThat(pods).isNotEmpty();
    for (JsonNode pod : pods) {
      assertThat(pod.at("/status/phase").asText()).as("%s %s", pod.at("/metadata/name"), volumekit("describe", "pods").out())
          .isEqualTo("Running");
    }
  }

  @Test
  void mysqlDynamicGetsTheDefaultClassAndGoesAwayWithDeleteF() throws IOException {
    ok("apply", "-f", apply("mysql-dynamic.yaml"));
    JsonNode pvc = items("pvc").get(0);
    assertThat(pvc.at("/spec/storageClassName").asText()).isEqualTo("standard");
    assertThat(items("pods").get(0).at("/spec/nodeName").asText()).isEqualTo("node-1");
    assertThat(items("pv")).singleElement()
        .satisfies(pv -> assertThat(pv.at("/spec/csi/driver").asText()).isEqualTo("hostpath.csi.volumekit.io"));

    ok("delete", "-f", apply("mysql-dynamic.yaml"));
    assertThat(items("pv")).as("reclaim policy Delete of the class standard").isEmpty();
    assertThat(items("pvc")).isEmpty();
    assertThat(items("pods")).isEmpty();
  }

  @Test
  void retainKeepsTheVolumeReleased() throws IOException {
    ok("apply", "-f", apply("reclaim-retain.yaml"));
    ok("delete", "pod", "retain-pod");
    ok("delete", "pvc", "retain-claim");
    assertThat(items("pv")).singleElement().satisfies(pv -> {
      assertThat(pv.at("/status/phase").asText()).isEqualTo("Released");
      assertThat(pv.at("/spec/persistentVolumeReclaimPolicy").asText()).isEqualTo("Retain");
      assertThat(hostpathVolumes()).contains(pv.at("/spec/csi/volumeHandle").asText());
    });
  }

  @Test
  void deleteRemovesTheVolume() throws IOException {
    ok("apply", "-f", apply("reclaim-delete.yaml"));
    String handle = items("pv").get(0).at("/spec/csi/volumeHandle").asText();
    assertThat(hostpathVolumes()).contains(handle);
    ok("delete", "pod", "delete-pod");
    ok("delete", "pvc", "delete-claim");
    assertThat(items("pv")).isEmpty();
    assertThat(hostpathVolumes()).doesNotContain(handle);
  }

  @Test
  void wffcTopologyPlacesThePodWhereTheClassAllows() throws IOException {
    ok("apply", "-f", apply("wffc-topology.yaml"));
    JsonNode pod = items("pods").get(0);
    assertThat(pod.at("/spec/nodeName").asText()).isEqualTo("node-1");
    assertThat(items("pvc").get(0).at("/metadata/annotations").path("volume.kubernetes.io/selected-node").asText())
        .isEqualTo("node-1");
    assertThat(volumekit("get", "nodes").out()).contains("node-0").contains("node-1");
  }

  @Test
  void twoNodesProvisionEachVolumeOnItsPodsNodeAndDeleteItThere() throws IOException {
    ok("apply", "-f", apply("two-nodes.yaml"));
    for (JsonNode pod : items("pods")) {
      String node = pod.at("/spec/nodeName").asText();
      assertThat(pod.at("/status/phase").asText()).isEqualTo("Running");
      String claim = pod.at("/spec/volumes/0/persistentVolumeClaim/claimName").asText();
      JsonNode pv = items("pv").stream().filter(v -> v.at("/spec/claimRef/name").asText().equals(claim))
          .findFirst().orElseThrow();
      assertThat(pv.at("/spec/nodeAffinity/required/nodeSelectorTerms/0/matchExpressions/0/values/0").asText())
          .isEqualTo(node);
      assertThat(hostpathVolumes(node)).contains(pv.at("/spec/csi/volumeHandle").asText());
    }
    assertThat(items("pods")).extracting(p -> p.at("/spec/nodeName").asText()).containsExactlyInAnyOrder("node-1", "node-2");

    ok("delete", "pods", "left", "right");
    ok("delete", "pvc", "left-data", "right-data");
    assertThat(items("pv")).as("reclaim policy Delete of the class standard").isEmpty();
    assertThat(hostpathVolumes("node-1")).isEmpty();
    assertThat(hostpathVolumes("node-2")).isEmpty();
  }

  @Test
  void snapshotRestoreMakesAReadySnapshotAndABoundRestoredClaim() throws IOException {
    ok("apply", "-f", apply("snapshot-restore.yaml"));
    JsonNode snapshot = items("vs").get(0);
    assertThat(snapshot.at("/status/readyToUse").asBoolean()).as(volumekit("describe", "vs").out()).isTrue();
    assertThat(snapshot.at("/spec/volumeSnapshotClassName").asText()).isEqualTo("hostpath-snapclass");
    String content = snapshot.at("/status/boundVolumeSnapshotContentName").asText();
    assertThat(items("vsc")).singleElement().satisfies(c -> {
      assertThat(c.at("/metadata/name").asText()).isEqualTo(content);
      assertThat(c.at("/spec/driver").asText()).isEqualTo("hostpath.csi.volumekit.io");
    });
    JsonNode restored = items("pvc").stream().filter(c -> c.at("/metadata/name").asText().equals("restored-data"))
        .findFirst().orElseThrow();
    assertThat(restored.at("/status/phase").asText()).isEqualTo("Bound");
    assertThat(restored.at("/spec/dataSource/name").asText()).isEqualTo("source-snapshot");

    String table = ok("get", "vs").out();
    assertThat(table.lines().findFirst().orElseThrow().split(" +")).containsExactly("NAME", "READYTOUSE", "SOURCEPVC",
        "SOURCESNAPSHOTCONTENT", "RESTORESIZE", "SNAPSHOTCLASS", "SNAPSHOTCONTENT", "CREATIONTIME", "AGE");
    assertThat(table.lines().skip(1).findFirst().orElseThrow())
        .startsWith("source-snapshot   true         source-data ").contains(" hostpath-snapclass ").contains(content);
    assertThat(ok("get", "vsclass").out()).startsWith("NAME                 DRIVER                      DELETIONPOLICY   AGE\n"
        + "hostpath-snapclass   hostpath.csi.volumekit.io   Delete           ");
    assertThat(ok("describe", "vs", "source-snapshot").out()).contains("Kind:         VolumeSnapshot")
        .contains("Ready To Use:").contains("Persistent Volume Claim Name:  source-data");
  }

  @Test
  void volumeAttributesClassIsShownAndAClaimIsModifiedToAnotherOne() throws IOException {
    ok("apply", "-f", apply("volume-attributes-class.yaml"));
    assertThat(ok("get", "vac").out()).startsWith("NAME     DRIVERNAME                  AGE\n"
        + "gold     hostpath.csi.volumekit.io   ");
    String table = ok("get", "pvc", "fast-data").out();
    assertThat(table.lines().findFirst().orElseThrow()).contains("STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE");
    assertThat(table.lines().skip(1).findFirst().orElseThrow()).startsWith("fast-data   Bound ").contains(" gold ");

    // The same manifest with the claim moved to silver, then to a class the driver refuses.
    String manifest = Files.readString(Path.of(apply("volume-attributes-class.yaml")));
    Path silver = state.resolveSibling(state.getFileName() + "-silver.yaml");
    Files.writeString(silver, manifest.replace("volumeAttributesClassName: gold", "volumeAttributesClassName: silver"));
    ok("apply", "-f", silver.toString());
    String describe = ok("describe", "pvc", "fast-data").out();
    assertThat(describe).contains("VolumeAttributesClass:").contains("CurrentVolumeAttributesClass:")
        .contains("VolumeModifySuccessful").doesNotContain("ModifyVolumeStatus:");
    assertThat(items("pvc").get(0).at("/status/currentVolumeAttributesClassName").asText()).isEqualTo("silver");

    Path refused = state.resolveSibling(state.getFileName() + "-refused.yaml");
    Files.writeString(refused, manifest.replace("volumeAttributesClassName: gold", "volumeAttributesClassName: burst")
        + "---\napiVersion: storage.k8s.io/v1\nkind: VolumeAttributesClass\nmetadata:\n  name: burst\n"
        + "driverName: hostpath.csi.volumekit.io\nparameters:\n  burst: \"on\"\n");
    ok("apply", "-f", refused.toString());
    JsonNode claim = items("pvc").get(0);
    assertThat(claim.at("/status/modifyVolumeStatus/status").asText()).isEqualTo("Infeasible");
    assertThat(claim.at("/status/currentVolumeAttributesClassName").asText()).isEqualTo("silver");
    assertThat(ok("describe", "pvc", "fast-data").out()).contains("ModifyVolumeStatus:").contains("Infeasible")
        .contains("VolumeModifyFailed");
  }

  @Test
  void statefulSetShowsReadyReplicasAndItsClaimTemplates() throws IOException {
    assertThat(ok("apply", "-f", apply("statefulset-db.yaml")).out()).isEqualTo("statefulset.apps/db created\n");
    assertThat(ok("get", "sts").out()).matches("NAME   READY   AGE\ndb     3/3     \\d+s\n");
    assertThat(ok("get", "statefulsets", "db", "-o", "wide").out()).matches(
        "NAME   READY   AGE +CONTAINERS   IMAGES\ndb     3/3     \\d+s +postgres     postgres:16\n");
    assertThat(items("pods")).extracting(p -> p.at("/metadata/name").asText()).containsExactly("db-0", "db-1", "db-2");
    assertThat(items("pvc")).extracting(p -> p.at("/metadata/name").asText())
        .containsExactly("data-db-0", "data-db-1", "data-db-2");
    assertThat(ok("describe", "sts", "db").out()).contains(
        "Name:               db\n", "Selector:           app=db\n", "Replicas:           3 desired | 3 total\n",
        "Pods Status:        3 Running / 0 Waiting / 0 Succeeded / 0 Failed\n",
        "Volume Claims:\n  Name:          data\n  StorageClass:  \n",
        "  Capacity:      1Gi\n  Access Modes:  [ReadWriteOnce]\n",
        "SuccessfulCreate  ", "create Pod db-2 in StatefulSet db successful");

    ok("delete", "sts", "db");
    assertThat(items("pods")).isEmpty();
    assertThat(items("pvc")).as("whenDeleted: Retain").hasSize(3);
  }

  @Test
  void expansionShowsItsProgressInGetAndDescribe() throws IOException {
    ok("apply", "-f", apply("expansion.yaml"));
    ok("delete", "pod", "app");
    String grown = Files.readString(Path.of(apply("expansion.yaml"))).replace("storage: 1Gi", "storage: 5Gi");
    Path withPod = state.resolve("bigger.yaml");
    Path withoutPod = state.resolve("bigger-claim.yaml");
    Files.writeString(withPod, grown);
    Files.writeString(withoutPod, grown.substring(0, grown.indexOf("---\nkind: Pod")));
    ok("apply", "-f", withoutPod.toString());
    // The controller step is done; the node step waits for a pod.
    assertThat(ok("get", "pvc", "data").out().lines().skip(1).findFirst().orElseThrow()).contains(" 1Gi ");
    String describe = ok("describe", "pvc", "data").out();
    assertThat(describe).contains("Conditions:\n  Type                      Status  LastProbeTime                     "
        + "LastTransitionTime").contains("  FileSystemResizePending   True    Mon, 01 Jan 0001 00:00:00 +0000")
        .contains("Waiting for user to (re-)start a pod to finish file system resize of volume on node.")
        .contains("Resizing").contains("FileSystemResizeRequired");
    // A pod mounts it: the kubelet grows it on the node.
    ok("apply", "-f", withPod.toString());
    assertThat(ok("get", "pvc", "data").out().lines().skip(1).findFirst().orElseThrow()).contains(" 5Gi ");
    assertThat(ok("describe", "pvc", "data").out()).doesNotContain("Conditions:")
        .contains("FileSystemResizeSuccessful");
  }

  List<String> hostpathVolumes() throws IOException {
    return hostpathVolumes("node-1");
  }

  /** The volume ids the embedded hostpath driver of the node keeps under the state. */
  List<String> hostpathVolumes(String node) throws IOException {
    Path volumes = state.resolve("csi/hostpath").resolve(node).resolve("volumes");
    if (!Files.isDirectory(volumes)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(volumes)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }
}
