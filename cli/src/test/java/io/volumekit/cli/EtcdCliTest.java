package io.volumekit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.csi.client.CsiEndpoint;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.csi.ListVolumesRequest;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.csi.client.server.CsiGrpcServer;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.testkit.csi.GatedCsiDriver;
import io.volumekit.testkit.etcd.EtcdServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command on a cluster kept in etcd ({@code --store etcd://...}): each invocation is a client
 * that reads and writes the objects there, and {@code volumekit serve} processes do the work. The
 * failover test runs two {@code serve --control-plane} processes on one CSI driver (a real gRPC
 * server on a unix socket) and kills the leader with SIGKILL while its CreateVolume is in the
 * driver: the standby takes over once the lease has expired, issues the call again (never while
 * the first is running) and binds the claim, with one volume in the driver.
 */
class EtcdCliTest {

  private static final AtomicInteger CLUSTERS = new AtomicInteger();
  private static final String DRIVER = "memory.csi.volumekit.io";
  @RegisterExtension
  static final EtcdServer.PerClass ETCD = new EtcdServer.PerClass();

  @TempDir Path tmp;

  private final String prefix = "/volumekit/cli-" + CLUSTERS.incrementAndGet();

  private Cli.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of("--store", "etcd://127.0.0.1:" + ETCD.server().port() + prefix));
    all.addAll(List.of(args));
    return new Cli(tmp.resolve("client")).run(all.toArray(String[]::new));
  }

  @Test
  void oneInvocationAppliesAndAnotherReadsDescribesAndDeletes() {
    Cli.Result apply = cli("apply", "-f", VerbsTest.manifest("immediate.yaml"));
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out()).isEqualTo("storageclass.storage.k8s.io/fast created\npersistentvolumeclaim/data created\n");

    Cli.Result get = cli("get", "pvc", "data");
    assertThat(get.code()).as(get.err()).isZero();
    assertThat(get.out()).contains("data   Pending"); // no serve process runs the controllers
    assertThat(cli("describe", "pvc", "data").out()).containsPattern("Name:\\s+data");
    assertThat(cli("apply", "-f", VerbsTest.manifest("immediate.yaml")).out())
        .isEqualTo("storageclass.storage.k8s.io/fast unchanged\npersistentvolumeclaim/data unchanged\n");

    Cli.Result delete = cli("delete", "pvc", "data");
    assertThat(delete.code()).as(delete.err()).isZero();
    assertThat(delete.out()).isEqualTo("persistentvolumeclaim \"data\" deleted from default namespace\n");
    // pvc-protection holds the claim until a serve process's controller releases it, as in Kubernetes.
    assertThat(cli("get", "pvc", "data", "-o", "json").out()).contains("\"deletionTimestamp\"");
    assertThat(cli("delete", "storageclass", "fast").code()).isZero();
    Cli.Result gone = cli("get", "storageclass", "fast");
    assertThat(gone.code()).isEqualTo(1);
    assertThat(gone.err()).isEqualTo("Error from server (NotFound): storageclasses.storage.k8s.io \"fast\" not found\n");
    assertThat(tmp.resolve("client")).doesNotExist(); // nothing kept locally
  }

  @Test
  void verbsThatRunTheEngineAndBadAddressesAreRefused() {
    Cli.Result settle = cli("settle");
    assertThat(settle.code()).isEqualTo(2);
    assertThat(settle.err()).contains("with --store the controllers run in 'volumekit serve'");
    Cli.Result watch = cli("get", "pvc", "-w");
    assertThat(watch.code()).isEqualTo(2);
    assertThat(watch.err()).contains("with --store it is not supported yet");
    Cli.Result bad = new Cli(tmp.resolve("client")).run("--store", "http://127.0.0.1:2379", "get", "pvc");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("invalid --store \"http://127.0.0.1:2379\": expected etcd://HOST:PORT");
    Cli.Result serve = new Cli(tmp.resolve("client")).run("serve", "--node", "node-1");
    assertThat(serve.code()).isEqualTo(2);
    assertThat(serve.err()).contains("serve needs a cluster in etcd");
  }

  @Test
  void aServeProcessBindsAClaimTheCliAppliedAndLeavesTheElectionOnSigterm() throws Exception {
    try (EtcdClusterHarness cluster = new EtcdClusterHarness(ETCD.server(), prefix, tmp)) {
      Process serve = cluster.serve("serve-1", "--node", "node-1", "--control-plane");
      Cli.Result apply = cluster.cli("apply", "-f", VerbsTest.manifest("immediate.yaml"));
      assertThat(apply.code()).as(apply.err()).isZero();

      ObjectKey data = new ObjectKey(PersistentVolumeClaim.KIND, "default", "data");
      assertThat(cluster.await(() -> cluster.view().get(data).flatMap(o -> ((PersistentVolumeClaim) o).status().phase())
          .filter("Bound"::equals).isPresent()))
          .as("the claim is bound; serve's output:\n%s", cluster.output("serve-1")).isTrue();
      assertThat(cluster.leader()).contains("serve-1");
      assertThat(cluster.cli("get", "pvc", "data").out()).contains("data   Bound    pvc-");

      serve.destroy(); // SIGTERM
      assertThat(serve.waitFor(EtcdClusterHarness.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(cluster.leader()).as("the lease was revoked, not left to expire").isEmpty();
      assertThat(cluster.output("serve-1")).contains("serving the control plane (when elected) and node node-1")
          .contains("stopped");
    }
  }

  @Test
  void aStandbyTakesOverAProvisioningWhoseLeaderWasKilled() throws Exception {
    InMemoryCsiDriver backend = new InMemoryCsiDriver();
    GatedCsiDriver driver = new GatedCsiDriver(backend, EtcdClusterHarness.WAIT);
    Path socket = tmp.resolve("csi.sock");
    System.setProperty(io.volumekit.cli.engine.EngineClusters.PROBE_TIMEOUT_PROPERTY, "30");
    try (CsiGrpcServer server = CsiGrpcServer.start(driver, CsiEndpoint.unix(socket));
        EtcdClusterHarness cluster = new EtcdClusterHarness(ETCD.server(), prefix, tmp)) {
      String csi = DRIVER + "=unix://" + socket;
      Process a = cluster.serve("a", "--control-plane", "--csi", csi);
      assertThat(cluster.await(() -> has(cluster, "a"))).as("a leads; its output:\n%s", cluster.output("a")).isTrue();
      Process b = cluster.serve("b", "--control-plane", "--csi", csi);
      assertThat(cluster.await(() -> cluster.output("b").contains("serving"))).isTrue();

      Path manifest = tmp.resolve("claim.yaml");
      Files.writeString(manifest, """
          apiVersion: storage.k8s.io/v1
          kind: StorageClass
          metadata: {name: memory}
          provisioner: %s
          volumeBindingMode: Immediate
          ---
          apiVersion: v1
          kind: PersistentVolumeClaim
          metadata: {name: data}
          spec:
            storageClassName: memory
            accessModes: [ReadWriteOnce]
            resources: {requests: {storage: 1Gi}}
          """.formatted(DRIVER));
      Cli.Result apply = cluster.cli("apply", "-f", manifest.toString());
      assertThat(apply.code()).as(apply.err()).isZero();
      assertThat(driver.awaitHeld(EtcdClusterHarness.WAIT))
          .as("a's CreateVolume reached the driver; a's output:\n%s", cluster.output("a")).isTrue();

      a.destroyForcibly(); // SIGKILL mid-call: a neither finishes nor revokes its lease
      assertThat(a.waitFor(EtcdClusterHarness.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      driver.release(); // the driver finishes a's call; nobody hears the answer

      ObjectKey data = new ObjectKey(PersistentVolumeClaim.KIND, "default", "data");
      assertThat(cluster.await(() -> cluster.view().get(data).flatMap(o -> ((PersistentVolumeClaim) o).status().phase())
          .filter("Bound"::equals).isPresent()))
          .as("b bound the claim; b's output:\n%s", cluster.output("b")).isTrue();
      assertThat(cluster.leader()).contains("b");
      assertThat(driver.calls()).as("a's call, then b's repeat of it").isEqualTo(2);
      assertThat(driver.mostAtOnce()).as("never two CreateVolume at once").isEqualTo(1);
      assertThat(backend.listVolumes(ListVolumesRequest.firstPage(100)).entries()).hasSize(1);
      assertThat(cluster.await(() -> cluster.view().state().operations().stream().noneMatch(op -> op.inFlight())))
          .isTrue();

      b.destroy();
      assertThat(b.waitFor(EtcdClusterHarness.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(cluster.leader()).isEmpty();
    }
  }

  private static boolean has(EtcdClusterHarness cluster, String leader) {
    try {
      return cluster.leader().filter(leader::equals).isPresent();
    } catch (Exception e) {
      return false;
    }
  }
}
