package io.volumekit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreshStateTest {

  @TempDir Path tmp;

  @Test
  void freshStateIsAOneNodeKindLikeCluster() {
    Cli cli = new Cli(tmp.resolve("state"));
    Cli.Result sc = cli.run("get", "sc");
    assertThat(sc.code()).isZero();
    assertThat(sc.out()).matches(
        "NAME                 PROVISIONER                 RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE\n"
            + "standard \\(default\\)   hostpath\\.csi\\.volumekit\\.io   Delete          WaitForFirstConsumer   true                   \\d+s\n");
    assertThat(cli.run("get", "nodes").out()).matches(
        "NAME     STATUS   ROLES           AGE   VERSION\nnode-1   Ready    control-plane   \\d+s +v1\\.34\\.0-volumekit\n");
    assertThat(cli.run("get", "csidrivers", "-o", "name").out()).isEqualTo("csidriver.storage.k8s.io/hostpath.csi.volumekit.io\n");
    assertThat(cli.run("get", "csinodes").out()).matches("NAME     DRIVERS   AGE\nnode-1   1         \\d+s\n");
    assertThat(cli.run("get", "csinode", "node-1", "-o", "yaml").out())
        .contains("  drivers:\n  - name: hostpath.csi.volumekit.io\n    nodeID: node-1\n");
    assertThat(cli.run("get", "no", "node-1", "-o", "json").out())
        .contains("\"csi.volume.kubernetes.io/nodeid\": \"{\\\"hostpath.csi.volumekit.io\\\":\\\"node-1\\\"}\"");
    assertThat(cli.run("get", "pv,pvc,pods").err()).isEqualTo("No resources found in default namespace.\n");
    assertThat(tmp.resolve("state/objects.json")).exists();
  }

  @Test
  void freshNodeHasWhatAKubeletReports() {
    Cli cli = new Cli(tmp.resolve("state"));
    String node = cli.run("describe", "node", "node-1").out();
    assertThat(node).contains("Addresses:\n  InternalIP:  172.18.0.2\n  Hostname:    node-1\n");
    assertThat(node).containsPattern("Capacity:\n  cpu:                [1-9][0-9]*\n  ephemeral-storage:  [1-9][0-9]*Ki\n"
        + "  hugepages-1Gi:      0\n  hugepages-2Mi:      0\n  memory:             [1-9][0-9]*Ki\n  pods:               110\n");
    assertThat(node).containsPattern("Allocatable:\n  cpu:  ");
    assertThat(node).containsPattern("  Machine ID:                 [0-9a-f]{32}\n")
        .containsPattern("  System UUID:                [0-9a-f-]{36}\n")
        .containsPattern("  Kernel Version:             \\S+")
        .contains("  Operating System:           linux\n")
        .containsPattern("  Architecture:               (amd64|arm64)\n")
        .contains("  Container Runtime Version:  volumekit://")
        .contains("  Kubelet Version:            v1.34.0-volumekit\n");
    assertThat(cli.run("get", "nodes", "-o", "wide").out()).contains("172.18.0.2");
    // A node added later gets the next address.
    Cli.Result applied = cli.runWithInput("apiVersion: v1\nkind: Node\nmetadata:\n  name: node-2\n", "apply", "-f", "-");
    assertThat(applied.code()).as(applied.err()).isZero();
    assertThat(cli.run("describe", "node", "node-2").out()).contains("  InternalIP:  172.18.0.3\n");
  }

  @Test
  void freshStateIsSetUpOnceAndKeepsItsIdentity() {
    Cli cli = new Cli(tmp.resolve("state"));
    String first = cli.run("get", "no", "node-1", "-o", "json").out();
    String second = cli.run("get", "no", "node-1", "-o", "json").out();
    assertThat(second).isEqualTo(first);
  }

  @Test
  void bareStartsEmpty() {
    Cli cli = new Cli(tmp.resolve("bare"));
    Cli.Result r = cli.run("--bare", "get", "sc,nodes,csidrivers,csinodes");
    assertThat(r.err()).as(r.toString()).isEqualTo("No resources found\n");
    assertThat(cli.run("get", "sc").err()).as("--bare only shapes a fresh state").isEqualTo("No resources found\n");
  }

  @Test
  void stateDirectoryComesFromTheEnvironmentWhenNoOptionIsGiven() {
    Path home = tmp.resolve("home");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int code = Main.run(new String[] {"get", "sc", "-o", "name"}, new java.io.PrintStream(out, true),
        new java.io.PrintStream(new java.io.ByteArrayOutputStream()), java.io.InputStream.nullInputStream(),
        java.util.Map.of("VOLUMEKIT_HOME", home.toString()), false, io.volumekit.cli.engine.EngineClusters.opener());
    assertThat(code).isZero();
    assertThat(out.toString()).isEqualTo("storageclass.storage.k8s.io/standard\n");
    assertThat(Files.exists(home.resolve("objects.json"))).isTrue();
  }
}
