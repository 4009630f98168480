package io.volumekit.cli.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volumekit.cli.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded hostpath driver runs one instance per node and provisions as external-provisioner's
 * {@code --node-deployment} mode: the instance of the claim's selected node makes the volume.
 */
class DistributedProvisioningTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private Cli cli() {
    return new Cli(tmp.resolve("state"));
  }

  private Cli.Result apply(String yaml) throws IOException {
    Path f = Files.createTempFile(tmp, "m", ".yaml");
    Files.writeString(f, yaml);
    Cli.Result r = cli().run("apply", "-f", f.toString());
    assertThat(r.code()).as(r.err()).isZero();
    return r;
  }

  private JsonNode get(String kind, String name) throws IOException {
    Cli.Result r = cli().run("get", kind, name, "-o", "json");
    assertThat(r.code()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  private List<String> volumes(String node) throws IOException {
    Path dir = tmp.resolve("state/csi/hostpath").resolve(node).resolve("volumes");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static String affinityNode(JsonNode pv) {
    return pv.at("/spec/nodeAffinity/required/nodeSelectorTerms/0/matchExpressions/0/values/0").asText();
  }

  @Test
  void waitForFirstConsumerVolumeIsMadeOnTheSecondNodeWhereItsPodIsPinned() throws IOException {
    apply("""
        apiVersion: v1
        kind: Node
        metadata: {name: node-2, labels: {kubernetes.io/hostname: node-2}}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-2}
          containers: [{name: app, image: busybox, volumeMounts: [{name: d, mountPath: /data}]}]
          volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
        """);
    JsonNode claim = get("pvc", "data");
    assertThat(claim.at("/metadata/annotations/volume.kubernetes.io~1selected-node").asText()).isEqualTo("node-2");
    assertThat(claim.at("/status/phase").asText()).isEqualTo("Bound");
    JsonNode pv = get("pv", claim.at("/spec/volumeName").asText());
    assertThat(affinityNode(pv)).as("the volume lives where the pod goes").isEqualTo("node-2");
    String handle = pv.at("/spec/csi/volumeHandle").asText();
    assertThat(volumes("node-2")).containsExactly(handle);
    assertThat(volumes("node-1")).isEmpty();
    JsonNode pod = get("pod", "app");
    assertThat(pod.at("/spec/nodeName").asText()).isEqualTo("node-2");
    assertThat(pod.at("/status/phase").asText()).as(cli().run("describe", "pod", "app").out()).isEqualTo("Running");

    // A later invocation (new driver instances) deletes the volume on its node.
    assertThat(cli().run("delete", "pod", "app").code()).isZero();
    assertThat(cli().run("delete", "pvc", "data").code()).isZero();
    assertThat(cli().run("get", "pv").err()).isEqualTo("No resources found\n");
    assertThat(volumes("node-2")).isEmpty();
  }

  @Test
  void immediateBindingProvisionsOnTheFirstNodeByName() throws IOException {
    apply("""
        apiVersion: v1
        kind: Node
        metadata: {name: node-0, labels: {kubernetes.io/hostname: node-0}}
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: now}
        provisioner: hostpath.csi.volumekit.io
        volumeBindingMode: Immediate
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: early}
        spec:
          storageClassName: now
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        """);
    JsonNode claim = get("pvc", "early");
    assertThat(claim.at("/status/phase").asText()).isEqualTo("Bound");
    JsonNode pv = get("pv", claim.at("/spec/volumeName").asText());
    assertThat(affinityNode(pv)).isEqualTo("node-0");
    assertThat(volumes("node-0")).containsExactly(pv.at("/spec/csi/volumeHandle").asText());
  }
}
