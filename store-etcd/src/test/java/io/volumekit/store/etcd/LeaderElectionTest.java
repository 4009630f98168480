package io.volumekit.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.storage.StorageClass;
import io.volumekit.testkit.csi.GatedCsiDriver;
import io.volumekit.testkit.etcd.EtcdServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two control planes (two engines, each with its own etcd client) on one etcd: only the elected
 * one acts, a deposed leader's late writes are refused, and a standby takes over the work in flight.
 */
class LeaderElectionTest {

  private static final AtomicInteger CLUSTERS = new AtomicInteger();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final LeaderElection.Options FAST = new LeaderElection.Options(Duration.ofSeconds(2), Duration.ofMillis(100));
  private static final String DRIVER = "memory.csi.volumekit.io";
  @RegisterExtension
  static final EtcdServer.PerClass ETCD = new EtcdServer.PerClass();

  private final String prefix = "/volumekit/election-" + CLUSTERS.incrementAndGet();
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private EtcdStore open() {
    EtcdStore s = EtcdStore.connect(ETCD.server().endpoint()).prefix(prefix)
        .operationFormat(new SameJvmOperationFormat()).open();
    opened.add(s);
    return s;
  }

  private LeaderElection elect(EtcdStore store, String identity) {
    LeaderElection e = LeaderElection.of(store, identity, FAST).begin();
    opened.add(e);
    return e;
  }

  /** An election of {@code store} that has won (the first in its cluster). */
  private LeaderElection leader(EtcdStore store, String identity) throws InterruptedException {
    LeaderElection e = elect(store, identity);
    assertThat(e.awaitLeadership(WAIT)).isTrue();
    return e;
  }

  private static ApiObject decode(String yaml) {
    return ObjectCodec.standard().decode(yaml).single();
  }

  private static StorageClass sc(String name) {
    return (StorageClass) decode("""
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: %s}
        provisioner: %s
        reclaimPolicy: Delete
        """.formatted(name, DRIVER));
  }

  @Test
  void aDeposedLeadersLateWritesAreRefused() throws Exception {
    EtcdStore a = open();
    EtcdStore b = open();
    LeaderElection ea = leader(a, "a");
    LeaderElection eb = elect(b, "b");
    assertThat(eb.isLeader()).isFalse();
    assertThat(ea.currentLeader()).contains("a");
    ApiObject early = a.create(sc("early"));

    ea.abandon(); // stops renewing, like a process that was paused or killed
    assertThat(eb.awaitLeadership(WAIT)).isTrue();
    assertThat(eb.currentLeader()).contains("b");

    assertThatThrownBy(() -> a.create(sc("late"))).isInstanceOf(FencedException.class)
        .hasMessageContaining("not the leader");
    assertThatThrownBy(() -> a.delete(ObjectKey.of(early), java.util.Optional.empty()))
        .isInstanceOf(FencedException.class);
    b.awaitCurrent(WAIT);
    assertThat(b.get(ObjectKey.cluster(StorageClass.KIND, "late"))).isEmpty();
    assertThat(b.create(sc("from-b")).metadata().name()).isEqualTo("from-b");
  }

  @Test
  void aClosedLeaderHandsOverAtOnce() throws Exception {
    EtcdStore a = open();
    EtcdStore b = open();
    LeaderElection ea = leader(a, "a");
    LeaderElection eb = elect(b, "b");
    ea.close();
    assertThat(eb.awaitLeadership(WAIT)).isTrue();
    assertThatThrownBy(() -> a.create(sc("late"))).isInstanceOf(FencedException.class);
  }

  @Test
  void aStandbyWhoseRequestsFailedWhileEtcdWasDownCampaignsAgain() throws Exception {
    EtcdStore a = open();
    EtcdStore b = open();
    LeaderElection ea = leader(a, "a");
    LeaderElection eb = elect(b, "b");

    ETCD.server().kill();
    try {
      assertThat(eb.awaitSetbacks(1, WAIT)).isTrue(); // a campaign request failed or timed out
    } finally {
      ETCD.server().restart();
    }
    ea.abandon();
    assertThat(eb.awaitLeadership(WAIT)).isTrue();
    assertThat(eb.currentLeader()).contains("b");
  }

  @Test
  void aStandbyWhoseFirstLeaseRequestTimedOutCampaignsAgain() throws Exception {
    EtcdStore a = open();
    EtcdStore b = open();
    LeaderElection ea = leader(a, "a");

    ETCD.server().pause();
    LeaderElection eb;
    try {
      eb = elect(b, "b");
      assertThat(eb.awaitSetbacks(1, WAIT)).isTrue(); // the grant timed out after the TTL
    } finally {
      ETCD.server().resume();
    }
    ea.abandon();
    assertThat(eb.awaitLeadership(WAIT)).isTrue();
    assertThat(eb.currentLeader()).contains("b");
  }

  @Test
  void aStandbyTakesOverAProvisioningTheLeaderStartedAndIssuesItOnce() throws Exception {
    InMemoryCsiDriver backend = new InMemoryCsiDriver();
    GatedCsiDriver gate = new GatedCsiDriver(backend, WAIT); // holds A's call: A is the first to provision
    EtcdStore a = open();
    EtcdStore b = open();
    VolumeKit kitA = VolumeKit.builder().driver(DRIVER, gate).store(clock -> a).build();
    VolumeKit kitB = VolumeKit.builder().driver(DRIVER, gate).store(clock -> b).build();
    LeaderElection ea = leader(a, "a");
    LeaderElection eb = elect(b, "b");

    kitA.apply(sc("fast"));
    kitA.apply(decode("""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data, namespace: default}
        spec:
          storageClassName: fast
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        """));
    CompletableFuture<Void> leaderA = CompletableFuture.runAsync(() -> kitA.settle());
    assertThat(gate.awaitHeld(WAIT)).isTrue();
    b.awaitCurrent(WAIT);
    assertThat(b.state().operations()).singleElement().satisfies(op -> assertThat(op.inFlight()).isTrue());

    ea.abandon(); // A stops renewing mid-call, as if killed
    assertThat(eb.awaitLeadership(WAIT)).isTrue();
    Operation takenOver = b.state().operations().iterator().next();
    assertThat(takenOver.failed()).isTrue();
    assertThat(takenOver.uncertain()).isTrue();

    gate.release(); // A's call returns late; whatever A writes now is refused
    try {
      leaderA.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e).hasRootCauseInstanceOf(FencedException.class);
    }
    b.awaitCurrent(WAIT);
    assertThat(b.state().operations()).containsExactly(takenOver);
    assertThat(b.state().list(io.volumekit.model.core.PersistentVolume.KIND)).isEmpty();

    kitB.settle();
    PersistentVolumeClaim claim = kitB.get(PersistentVolumeClaim.class, "default", "data").orElseThrow();
    assertThat(claim.status().phase()).contains("Bound");
    assertThat(gate.calls()).isEqualTo(2); // once per leader: the new one repeats the idempotent call
    assertThat(gate.mostAtOnce()).isEqualTo(1); // never two at once
    assertThat(backend.listVolumes(io.volumekit.core.csi.ListVolumesRequest.firstPage(100))
        .entries()).hasSize(1); // no leaked volume
    assertThat(b.state().operations()).extracting(Operation::id).doesNotContain(EffectId.of("provision-default/data"));
  }
}
