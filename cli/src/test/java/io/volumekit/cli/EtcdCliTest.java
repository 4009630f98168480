package io.volumekit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.volumekit.csi.client.CsiEndpoint;
import io.volumekit.core.csi.ControllerCapability;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.csi.ListVolumesRequest;
import io.volumekit.core.effect.NodePublish;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.csi.client.server.CsiGrpcServer;
import io.volumekit.model.core.Event;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.storage.VolumeAttachment;
import io.volumekit.cli.engine.JsonOperationFormat;
import io.volumekit.store.etcd.EtcdStore;
import io.volumekit.testkit.csi.GatedCsiDriver;
import io.volumekit.testkit.etcd.EtcdServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command on a cluster kept in etcd ({@code --store etcd://...}): each invocation is a client
 * that reads and writes the objects there, and {@code volumekit serve} processes do the work. The
 * failover test runs two {@code serve --control-plane} processes on one CSI driver (a real gRPC
 * server on a unix socket) and kills the leader with SIGKILL while its CreateVolume is in the
 * driver: the standby takes over once the lease has expired, issues the call again (never while
 * the first is running) and binds the claim, with one volume in the driver; its attach twin holds
 * the leader's ControllerPublishVolume of a pod's volume instead, and the pod runs. The node-agent tests
 * hold a pod's NodePublishVolume in the driver instead: a node agent SIGKILLed and restarted on
 * its node takes over its mount from the store and the pod runs; a new leader elected meanwhile
 * leaves a live agent's mount alone.
 */
class EtcdCliTest {

  private static final AtomicInteger CLUSTERS = new AtomicInteger();
  private static final String DRIVER = "memory.csi.volumekit.io";
  private static final ObjectKey DATA = new ObjectKey(PersistentVolumeClaim.KIND, "default", "data");
  @RegisterExtension
  static final EtcdServer.PerClass ETCD = new EtcdServer.PerClass();

  @TempDir Path tmp;

  @BeforeAll
  static void patientProbes() {
    // serve waits this long for a --csi driver's first Probe (a loaded machine can be slow).
    System.setProperty(io.volumekit.cli.engine.EngineClusters.PROBE_TIMEOUT_PROPERTY, "30");
  }

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

      assertThat(cluster.await(() -> bound(cluster)))
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
    try (CsiGrpcServer server = CsiGrpcServer.start(driver, CsiEndpoint.unix(socket));
        EtcdClusterHarness cluster = new EtcdClusterHarness(ETCD.server(), prefix, tmp)) {
      Process[] ab = leaderAndStandbyWithACallHeld(cluster, driver, socket);
      Process a = ab[0];
      Process b = ab[1];

      a.destroyForcibly(); // SIGKILL mid-call: a neither finishes nor revokes its lease
      assertThat(a.waitFor(EtcdClusterHarness.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      driver.release(); // the driver finishes a's call; nobody hears the answer

      assertThat(cluster.await(() -> bound(cluster)))
          .as("b bound the claim; b's output:\n%s", cluster.output("b")).isTrue();
      assertThat(cluster.leader()).contains("b");
      assertThat(driver.calls()).as("a's call, then b's repeat of it").isEqualTo(2);
      assertThat(driver.mostAtOnce()).as("never two CreateVolume at once").isEqualTo(1);
      assertThat(backend.listVolumes(ListVolumesRequest.firstPage(100)).entries()).hasSize(1);
      awaitNothingInFlight(cluster);

      b.destroy();
      assertThat(b.waitFor(EtcdClusterHarness.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(cluster.leader()).isEmpty();
    }
  }

  /**
   * Starts candidate {@code a} (awaited as the leader) and standby {@code b} on the driver's
   * socket, applies the claim and waits until a's CreateVolume is held in the driver.
   */
  private Process[] leaderAndStandbyWithACallHeld(EtcdClusterHarness cluster, GatedCsiDriver driver, Path socket)
      throws Exception {
    String csi = DRIVER + "=unix://" + socket;
    Process a = cluster.serve("a", "--control-plane", "--csi", csi);
    assertThat(cluster.await(() -> has(cluster, "a"))).as("a leads; its output:\n%s", cluster.output("a")).isTrue();
    Process b = cluster.serve("b", "--control-plane", "--csi", csi);
    assertThat(cluster.await(() -> cluster.output("b").contains("serving"))).isTrue();
    applyClaim(cluster);
    assertThat(driver.awaitHeld(EtcdClusterHarness.WAIT))
        .as("a's CreateVolume reached the driver; a's output:\n%s", cluster.output("a")).isTrue();
    return new Process[] {a, b};
  }

  /** Waits until no operation of the cluster is in flight (every call's outcome recorded, or forgotten). */
  private static void awaitNothingInFlight(EtcdClusterHarness cluster) throws Exception {
    assertThat(cluster.await(() -> cluster.view().state().operations().stream().noneMatch(op -> op.inFlight())))
        .as("nothing left in flight: %s", cluster.view().state().operations()).isTrue();
  }

  /** Applies an Immediate StorageClass of the in-memory driver and a claim {@code data} of it. */
  private void applyClaim(EtcdClusterHarness cluster) throws Exception {
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
  }

  private static boolean bound(EtcdClusterHarness cluster) {
    return cluster.view().get(DATA).flatMap(o -> ((PersistentVolumeClaim) o).status().phase())
        .filter("Bound"::equals).isPresent();
  }

  @Test
  void aLeaderPausedPastItsLeaseIsFencedWhenItResumesAndNoticesItWasDeposed() throws Exception {
    InMemoryCsiDriver backend = new InMemoryCsiDriver();
    GatedCsiDriver driver = new GatedCsiDriver(backend, EtcdClusterHarness.WAIT);
    Path socket = tmp.resolve("csi.sock");
    try (CsiGrpcServer server = CsiGrpcServer.start(driver, CsiEndpoint.unix(socket));
        EtcdClusterHarness cluster = new EtcdClusterHarness(ETCD.server(), prefix, tmp)) {
      Process[] ab = leaderAndStandbyWithACallHeld(cluster, driver, socket);
      Process a = ab[0];
      Process b = ab[1];

      EtcdClusterHarness.signal(a, "STOP"); // a long GC pause: no renewals, no writes, the lease runs out
      driver.release(); // the driver answers a's call; a hears it only when it resumes
      assertThat(cluster.await(() -> has(cluster, "b"))).as("b leads; b's output:\n%s", cluster.output("b")).isTrue();
      assertThat(cluster.await(() -> bound(cluster))).as("b bound the claim; b's output:\n%s", cluster.output("b")).isTrue();
      awaitNothingInFlight(cluster);
      Map<String, Long> settled = cluster.revisions();

      EtcdClusterHarness.signal(a, "CONT"); // a wakes up with CreateVolume's answer and a lease that is gone
      assertThat(cluster.await(() -> cluster.output("a").contains("was deposed")))
          .as("a noticed it was deposed; a's output:\n%s", cluster.output("a")).isTrue();
      assertThat(cluster.leader()).contains("b");
      assertThat(cluster.revisions()).as("a's late writes were refused: nothing of the cluster changed").isEqualTo(settled);
      assertThat(driver.calls()).as("a's call, then b's repeat of it").isEqualTo(2);
      assertThat(driver.mostAtOnce()).as("never two CreateVolume at once").isEqualTo(1);
      assertThat(backend.listVolumes(ListVolumesRequest.firstPage(100)).entries()).hasSize(1);
      assertThat(a.isAlive()).as("a campaigns again as a standby").isTrue();
      assertThat(bound(cluster)).isTrue();

      b.destroy(); // SIGTERM: b resigns, and the rebuilt a takes over
      assertThat(b.waitFor(EtcdClusterHarness.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(cluster.await(() -> has(cluster, "a"))).as("a leads again; a's output:\n%s", cluster.output("a")).isTrue();
      assertThat(driver.calls()).as("the new term of a repeats nothing").isEqualTo(2);
    }
  }

  @Test
  void etcdRestartedWhileClaimsAreAppliedAndProvisionedLosesNothing() throws Exception {
    InMemoryCsiDriver backend = new InMemoryCsiDriver();
    Path socket = tmp.resolve("csi.sock");
    int claims = 20;
    try (CsiGrpcServer server = CsiGrpcServer.start(backend, CsiEndpoint.unix(socket));
        EtcdClusterHarness cluster = new EtcdClusterHarness(ETCD.server(), prefix, tmp)) {
      Process a = cluster.serve("a", "--control-plane", "--csi", DRIVER + "=unix://" + socket);
      assertThat(cluster.await(() -> has(cluster, "a"))).as("a leads; its output:\n%s", cluster.output("a")).isTrue();
      applyClaim(cluster); // the StorageClass and a first claim

      // A client applies claims one after the other, retrying each until etcd takes it.
      AtomicInteger applied = new AtomicInteger(1);
      AtomicReference<String> refused = new AtomicReference<>("");
      Thread client = new Thread(() -> {
        long deadline = System.nanoTime() + EtcdClusterHarness.WAIT.toNanos();
        while (applied.get() < claims && System.nanoTime() < deadline) {
          Cli.Result r = cluster.cliWithInput(claimManifest("c-" + applied.get()), "apply", "-f", "-");
          if (r.code() == 0) {
            applied.incrementAndGet();
          } else {
            refused.set(r.err());
          }
        }
      });
      client.start();
      assertThat(cluster.await(() -> cluster.view().state().list(PersistentVolume.KIND).size() >= 3))
          .as("provisioning is under way; a's output:\n%s", cluster.output("a")).isTrue();

      ETCD.server().restart(); // SIGKILL mid-writes, then a start on the same data

      client.join(EtcdClusterHarness.WAIT.toMillis());
      assertThat(applied.get()).as("every claim applied (last refusal: %s)", refused.get()).isEqualTo(claims);
      assertThat(cluster.await(() -> cluster.view().state().list(PersistentVolumeClaim.KIND, PersistentVolumeClaim.class)
          .stream().filter(c -> c.status().phase().filter("Bound"::equals).isPresent()).count() == claims))
          .as("every claim bound; a's output:\n%s", cluster.output("a")).isTrue();
      awaitNothingInFlight(cluster);
      assertThat(a.isAlive()).isTrue();
      assertThat(backend.listVolumes(ListVolumesRequest.firstPage(100)).entries())
          .as("one volume per claim: no CreateVolume lost or its volume doubled").hasSize(claims);
      assertThat(cluster.view().state().list(PersistentVolume.KIND)).hasSize(claims);

      // The view's watch resumed after the restart: its snapshot is what a fresh list reads.
      cluster.view().awaitCurrent(EtcdClusterHarness.WAIT);
      try (EtcdStore fresh = EtcdStore.connect(ETCD.server().endpoint()).prefix(prefix)
          .operationFormat(new JsonOperationFormat()).open()) {
        assertThat(cluster.view().state().all()).containsExactlyInAnyOrderElementsOf(fresh.state().all());
      }
    }
  }

  /**
   * The kubelet's restart: the agent is SIGKILLed while its NodePublishVolume is in the driver;
   * the driver finishes that call, which nobody hears; the agent is started again on the same
   * node and takes over its node's operation from the store, so it publishes once more (CSI node
   * calls are idempotent) and the pod runs.
   */
  @Test
  void aNodeAgentKilledWhileMountingResumesFromTheStoreAndThePodRuns() throws Exception {
    InMemoryCsiDriver backend = new InMemoryCsiDriver();
    GatedCsiDriver driver = new GatedCsiDriver(backend, GatedCsiDriver.Call.NODE_PUBLISH_VOLUME, EtcdClusterHarness.WAIT);
    Path socket = tmp.resolve("csi.sock");
    try (CsiGrpcServer server = CsiGrpcServer.start(driver, CsiEndpoint.unix(socket));
        EtcdClusterHarness cluster = new EtcdClusterHarness(ETCD.server(), prefix, tmp)) {
      String csi = DRIVER + "=unix://" + socket;
      killAgentWhileItMounts(cluster, driver, csi);
      driver.release(); // the driver finishes the mount; nobody hears the answer
      cluster.serve("node-1", "--node", "node-1", "--csi", csi); // the same node, the same kubelet directory

      assertThat(cluster.await(() -> running(cluster)))
          .as("the pod runs; the agent's output:\n%s", cluster.output("node-1")).isTrue();
      assertThat(driver.calls(GatedCsiDriver.Call.NODE_PUBLISH_VOLUME)).as("the lost mount, then its repeat").isEqualTo(2);
      assertThat(takeoverEvents(cluster)).as("the pod was told why its mount was repeated").singleElement(STRING)
          .matches("FailedMount: MountVolume\\.SetUp failed for volume \"pvc-[^\"]+\" : rpc error: code = Unavailable"
              + " desc = the node agent of node-1 that started this call stopped before its outcome arrived");
      assertThat(driver.mostAtOnce(GatedCsiDriver.Call.NODE_PUBLISH_VOLUME)).isEqualTo(1);
      assertThat(driver.calls(GatedCsiDriver.Call.NODE_STAGE_VOLUME)).as("staged before the kill, repeated at most once")
          .isBetween(1, 2);
      assertThat(driver.mostAtOnce(GatedCsiDriver.Call.NODE_STAGE_VOLUME)).isEqualTo(1);
      assertThat(driver.calls(GatedCsiDriver.Call.CONTROLLER_PUBLISH_VOLUME)).as("the control plane attached once").isEqualTo(1);
      assertThat(driver.calls(GatedCsiDriver.Call.CREATE_VOLUME)).isEqualTo(1);
      awaitNothingInFlight(cluster);
    }
  }

  /**
   * The agent restarts while the call of its killed run still runs in the driver: its repeat is
   * answered ABORTED, as CSI asks of a driver with an operation pending for the volume, and
   * retried with backoff until the driver has finished the first; then the pod runs.
   */
  @Test
  void aNodeAgentRestartedWhileItsLostMountStillRunsRetriesUntilTheDriverLetsItAndThePodRuns() throws Exception {
    InMemoryCsiDriver backend = new InMemoryCsiDriver();
    GatedCsiDriver driver = new GatedCsiDriver(backend, GatedCsiDriver.Call.NODE_PUBLISH_VOLUME, EtcdClusterHarness.WAIT)
        .abortingWhileHeld();
    Path socket = tmp.resolve("csi.sock");
    try (CsiGrpcServer server = CsiGrpcServer.start(driver, CsiEndpoint.unix(socket));
        EtcdClusterHarness cluster = new EtcdClusterHarness(ETCD.server(), prefix, tmp)) {
      String csi = DRIVER + "=unix://" + socket;
      killAgentWhileItMounts(cluster, driver, csi);
      cluster.serve("node-1", "--node", "node-1", "--csi", csi); // the killed run's mount is still held

      assertThat(driver.awaitAborted(EtcdClusterHarness.WAIT))
          .as("the restarted agent repeated the mount; its output:\n%s", cluster.output("node-1")).isTrue();
      driver.release();
      assertThat(cluster.await(() -> running(cluster)))
          .as("the pod runs; the agent's output:\n%s", cluster.output("node-1")).isTrue();
      assertThat(driver.calls(GatedCsiDriver.Call.NODE_PUBLISH_VOLUME))
          .as("the lost mount, then the repeat the driver let through").isEqualTo(2);
      assertThat(driver.mostAtOnce(GatedCsiDriver.Call.NODE_PUBLISH_VOLUME)).isEqualTo(1);
      awaitNothingInFlight(cluster);
    }
  }

  /**
   * Starts a control plane {@code cp} and the node agent node-1 on the driver's socket, holds the
   * agent's NodePublishVolume of a pod ({@link #podWithACallHeld}) and SIGKILLs the agent mid-mount.
   */
  private void killAgentWhileItMounts(EtcdClusterHarness cluster, GatedCsiDriver driver, String csi) throws Exception {
    cluster.serve("cp", "--control-plane", "--csi", csi);
    Process agent = cluster.serve("node-1", "--node", "node-1", "--csi", csi);
    assertThat(cluster.await(() -> has(cluster, "cp"))).as("cp leads; its output:\n%s", cluster.output("cp")).isTrue();
    podWithACallHeld(cluster, driver);
    agent.destroyForcibly(); // SIGKILL mid-mount
    assertThat(agent.waitFor(EtcdClusterHarness.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
  }

  /**
   * A new control-plane leader takes over the control plane's operations only: the NodePublishVolume
   * of a live node agent, held in the driver while the leader is SIGKILLed and a standby takes
   * over, stays the agent's (in flight, not failed and repeated beside the running call).
   */
  @Test
  void aNewLeaderLeavesALiveNodeAgentsMountAlone() throws Exception {
    InMemoryCsiDriver backend = new InMemoryCsiDriver();
    GatedCsiDriver driver = new GatedCsiDriver(backend, GatedCsiDriver.Call.NODE_PUBLISH_VOLUME, EtcdClusterHarness.WAIT);
    Path socket = tmp.resolve("csi.sock");
    try (CsiGrpcServer server = CsiGrpcServer.start(driver, CsiEndpoint.unix(socket));
        EtcdClusterHarness cluster = new EtcdClusterHarness(ETCD.server(), prefix, tmp)) {
      Process a = leaderStandbyAndAgentWithAPodsCallHeld(cluster, driver, socket);

      a.destroyForcibly(); // SIGKILL of the leader while the agent mounts
      assertThat(a.waitFor(EtcdClusterHarness.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(cluster.await(() -> has(cluster, "b"))).as("b leads; b's output:\n%s", cluster.output("b")).isTrue();
      // b settles only after its takeover: a claim it binds shows the takeover is over.
      Cli.Result other = cluster.cliWithInput(claimManifest("other"), "apply", "-f", "-");
      assertThat(other.code()).as(other.err()).isZero();
      ObjectKey otherKey = new ObjectKey(PersistentVolumeClaim.KIND, "default", "other");
      assertThat(cluster.await(() -> cluster.view().get(otherKey).flatMap(o -> ((PersistentVolumeClaim) o).status().phase())
          .filter("Bound"::equals).isPresent())).as("b provisions; b's output:\n%s", cluster.output("b")).isTrue();
      assertThat(cluster.view().state().operations()).filteredOn(op -> op.effect() instanceof NodePublish)
          .singleElement().matches(op -> op.inFlight(), "the agent's mount is still in flight, not taken over");

      driver.release();
      assertThat(cluster.await(() -> running(cluster)))
          .as("the pod runs; the agent's output:\n%s", cluster.output("node-1")).isTrue();
      assertThat(driver.calls(GatedCsiDriver.Call.NODE_PUBLISH_VOLUME)).as("one mount, not repeated").isEqualTo(1);
      assertThat(takeoverEvents(cluster)).isEmpty();
      assertThat(driver.mostAtOnce(GatedCsiDriver.Call.NODE_PUBLISH_VOLUME)).isEqualTo(1);
      awaitNothingInFlight(cluster);
    }
  }

  /**
   * The external-attacher's failover: leader {@code a} is SIGKILLed while its ControllerPublishVolume
   * of a pod's volume is in the driver (which advertises PUBLISH_UNPUBLISH_VOLUME, so the volume is
   * attached before the node agent mounts it); once a's lease has expired standby {@code b} takes
   * the attach over from the store, repeats the call (never beside the first, which the driver
   * finished meanwhile), the VolumeAttachment is attached and the pod runs on the one volume.
   */
  @Test
  void aStandbyTakesOverAnAttachWhoseLeaderWasKilled() throws Exception {
    InMemoryCsiDriver backend = new InMemoryCsiDriver();
    assertThat(backend.controllerGetCapabilities().capabilities()).contains(ControllerCapability.PUBLISH_UNPUBLISH_VOLUME);
    GatedCsiDriver driver =
        new GatedCsiDriver(backend, GatedCsiDriver.Call.CONTROLLER_PUBLISH_VOLUME, EtcdClusterHarness.WAIT);
    Path socket = tmp.resolve("csi.sock");
    try (CsiGrpcServer server = CsiGrpcServer.start(driver, CsiEndpoint.unix(socket));
        EtcdClusterHarness cluster = new EtcdClusterHarness(ETCD.server(), prefix, tmp)) {
      Process a = leaderStandbyAndAgentWithAPodsCallHeld(cluster, driver, socket);
      assertThat(cluster.leader()).as("the held ControllerPublishVolume is a's").contains("a");
      assertThat(attached(cluster)).isFalse();

      a.destroyForcibly(); // SIGKILL mid-attach: a neither finishes nor revokes its lease
      assertThat(a.waitFor(EtcdClusterHarness.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      driver.release(); // the driver attaches; nobody hears the answer

      assertThat(cluster.await(() -> has(cluster, "b"))).as("b leads; b's output:\n%s", cluster.output("b")).isTrue();
      assertThat(cluster.await(() -> attached(cluster)))
          .as("b attached the volume; b's output:\n%s", cluster.output("b")).isTrue();
      assertThat(cluster.await(() -> running(cluster)))
          .as("the pod runs; the agent's output:\n%s", cluster.output("node-1")).isTrue();
      assertThat(takeoverEvents(cluster)).as("the pod was told why its attach was repeated").singleElement(STRING)
          .matches("FailedAttachVolume: AttachVolume\\.Attach failed for volume \"pvc-[^\"]+\" : rpc error: code = Unavailable"
              + " desc = the control plane that started this call stopped before its outcome arrived");
      assertThat(driver.calls(GatedCsiDriver.Call.CONTROLLER_PUBLISH_VOLUME)).as("a's attach, then b's repeat of it")
          .isEqualTo(2);
      assertThat(driver.mostAtOnce(GatedCsiDriver.Call.CONTROLLER_PUBLISH_VOLUME))
          .as("never two ControllerPublishVolume at once").isEqualTo(1);
      assertThat(driver.calls(GatedCsiDriver.Call.CREATE_VOLUME)).isEqualTo(1);
      assertThat(backend.listVolumes(ListVolumesRequest.firstPage(100)).entries()).as("no volume leaked").hasSize(1);
      assertThat(cluster.view().state().list(VolumeAttachment.KIND)).hasSize(1);
      awaitNothingInFlight(cluster);
    }
  }

  /**
   * Starts control-plane candidate {@code a} (awaited as the leader), standby {@code b} and the
   * node agent node-1 on the driver's socket, and holds the driver's gated call for a pod
   * ({@link #podWithACallHeld}); returns a.
   */
  private Process leaderStandbyAndAgentWithAPodsCallHeld(EtcdClusterHarness cluster, GatedCsiDriver driver, Path socket)
      throws Exception {
    String csi = DRIVER + "=unix://" + socket;
    Process a = cluster.serve("a", "--control-plane", "--csi", csi);
    assertThat(cluster.await(() -> has(cluster, "a"))).as("a leads; its output:\n%s", cluster.output("a")).isTrue();
    cluster.serve("b", "--control-plane", "--csi", csi);
    cluster.serve("node-1", "--node", "node-1", "--csi", csi);
    assertThat(cluster.await(() -> cluster.output("b").contains("serving"))).isTrue();
    podWithACallHeld(cluster, driver);
    return a;
  }

  /**
   * Waits for the node agent node-1, applies a claim and a pod using it, and waits until the
   * driver holds its gated call for them (the attach's ControllerPublishVolume or the mount's
   * NodePublishVolume).
   */
  private void podWithACallHeld(EtcdClusterHarness cluster, GatedCsiDriver driver) throws Exception {
    assertThat(cluster.await(() -> cluster.output("node-1").contains("serving"))).isTrue();
    applyClaim(cluster);
    Cli.Result pod = cluster.cliWithInput("""
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
          volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
          containers: [{name: app, image: busybox, volumeMounts: [{name: data, mountPath: /data}]}]
        """, "apply", "-f", "-");
    assertThat(pod.code()).as(pod.err()).isZero();
    assertThat(driver.awaitHeld(EtcdClusterHarness.WAIT))
        .as("the held call reached the driver; the agent's output:\n%s\na's output (if it leads):\n%s",
            cluster.output("node-1"), cluster.output("a")).isTrue();
  }

  /** The pod's events about a taken-over operation, as "reason: message". */
  private static List<String> takeoverEvents(EtcdClusterHarness cluster) {
    return cluster.view().state().list(Event.KIND, Event.class).stream()
        .filter(e -> e.message().orElse("").contains("stopped before its outcome arrived"))
        .map(e -> e.reason().orElse("") + ": " + e.message().orElse("")).toList();
  }

  private static boolean attached(EtcdClusterHarness cluster) {
    return cluster.view().state().list(VolumeAttachment.KIND, VolumeAttachment.class).stream()
        .anyMatch(va -> va.status().attached());
  }

  private static boolean running(EtcdClusterHarness cluster) {
    return cluster.view().get(new ObjectKey(Pod.KIND, "default", "app")).flatMap(o -> ((Pod) o).status().phase())
        .filter("Running"::equals).isPresent();
  }

  private static String claimManifest(String name) {
    return """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: %s}
        spec:
          storageClassName: memory
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        """.formatted(name);
  }

  private static boolean has(EtcdClusterHarness cluster, String leader) {
    try {
      return cluster.leader().filter(leader::equals).isPresent();
    } catch (Exception e) {
      return false;
    }
  }
}
