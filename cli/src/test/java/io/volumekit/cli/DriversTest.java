package io.volumekit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.csi.client.CsiEndpoint;
import io.volumekit.csi.client.server.CsiGrpcServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSI drivers as the command registers them: external ones over a real unix socket, and on nodes applied later. */
class DriversTest {

  @TempDir Path tmp;

  private static final String MEMORY = "memory.csi.volumekit.io";

  @Test
  void externalDriverIsRegisteredOnEveryNodeAndRemembered() throws IOException {
    Path socket = tmp.resolve("csi.sock");
    // The driver is up: only a saturated machine makes the first Probe slow, so allow for it here.
    System.setProperty(io.volumekit.cli.engine.EngineClusters.PROBE_TIMEOUT_PROPERTY, "30");
    try (CsiGrpcServer server = CsiGrpcServer.start(new InMemoryCsiDriver(), CsiEndpoint.unix(socket))) {
      Cli cli = new Cli(tmp.resolve("state"));
      Cli.Result drivers = cli.run("get", "csidrivers", "--csi", MEMORY + "=unix://" + socket);
      assertThat(drivers.code()).as(drivers.err()).isZero();
      assertThat(drivers.out()).as("stderr: %s", drivers.err()).contains("hostpath.csi.volumekit.io   ", MEMORY + "     true             false");
      assertThat(drivers.err()).isEmpty();
      assertThat(cli.run("get", "csinode", "node-1", "-o", "yaml").out())
          .contains("  - name: hostpath.csi.volumekit.io\n    nodeID: node-1\n")
          .contains("  - name: " + MEMORY + "\n    nodeID: node-1\n");
      Path manifest = tmp.resolve("memory.yaml");
      Files.writeString(manifest, """
          apiVersion: storage.k8s.io/v1
          kind: StorageClass
          metadata:
            name: memory
          provisioner: memory.csi.volumekit.io
          ---
          apiVersion: v1
          kind: PersistentVolumeClaim
          metadata:
            name: m
          spec:
            storageClassName: memory
            accessModes: [ReadWriteOnce]
            resources:
              requests:
                storage: 1Gi
          """);
      Cli.Result apply = cli.run("apply", "-f", manifest.toString()); // no --csi: the endpoint was remembered
      assertThat(apply.code()).as(apply.err()).isZero();
      assertThat(cli.run("get", "pvc", "m").out()).contains("m      Bound ");
      assertThat(cli.run("get", "pv", "-o", "yaml").out()).contains("driver: " + MEMORY);

      Path node = tmp.resolve("node.yaml");
      Files.writeString(node, "apiVersion: v1\nkind: Node\nmetadata:\n  name: node-2\n");
      assertThat(cli.run("apply", "-f", node.toString()).code()).isZero();
      assertThat(cli.run("get", "csinodes").out()).as("every node gets every driver").contains("node-1   2  ", "node-2   2  ");
    } finally {
      System.clearProperty(io.volumekit.cli.engine.EngineClusters.PROBE_TIMEOUT_PROPERTY);
    }
  }

  @Test
  void anUnreachableDriverIsAWarningNotAFailure() {
    Cli cli = new Cli(tmp.resolve("state"));
    Cli.Result r = cli.run("--csi", "gone.csi.example.com=unix://" + tmp.resolve("nothing.sock"), "get", "sc", "-o", "name");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("storageclass.storage.k8s.io/standard\n");
    assertThat(r.err()).startsWith("Warning: CSI driver gone.csi.example.com at unix://" + tmp.resolve("nothing.sock") + " is not ready: ");
  }

  @Test
  void embeddedDriverNameCannotBeTakenAndEndpointsMustBeUnixSockets() {
    Cli cli = new Cli(tmp.resolve("state"));
    Cli.Result taken = cli.run("--csi", "hostpath.csi.volumekit.io=unix:///x.sock", "get", "pv");
    assertThat(taken.code()).isEqualTo(2);
    Cli.Result tcp = cli.run("--csi", "x=tcp://localhost:1", "get", "pv");
    assertThat(tcp.code()).isEqualTo(2);
    assertThat(tcp.err()).startsWith("error: invalid --csi \"x=tcp://localhost:1\": expected NAME=unix:///path/to.sock");
  }

  @Test
  void aNodeAppliedToABareStateGetsTheEmbeddedDriver() throws IOException {
    Cli cli = new Cli(tmp.resolve("bare"));
    Path node = tmp.resolve("node.yaml");
    Files.writeString(node, "apiVersion: v1\nkind: Node\nmetadata:\n  name: worker\n");
    Cli.Result apply = cli.run("--bare", "apply", "-f", node.toString());
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out()).isEqualTo("node/worker created\n");
    assertThat(cli.run("get", "nodes").out()).contains("worker   Ready    <none>");
    assertThat(cli.run("get", "csinode", "worker", "-o", "yaml").out())
        .contains("  - name: hostpath.csi.volumekit.io\n    nodeID: worker\n");
    assertThat(cli.run("get", "sc").err()).isEqualTo("No resources found\n");
  }
}
