package io.volumekit.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.volumekit.core.Role;
import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.effect.DeleteVolume;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.NodePublish;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.mount.PodVolumeController;
import io.volumekit.core.store.ConflictException;
import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.storage.StorageClass;
import io.volumekit.testkit.etcd.EtcdServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the etcd store adds to the contract: durability, several processes, the watch. */
class EtcdStoreTest {

  private static final AtomicInteger CLUSTERS = new AtomicInteger();
  private static final Duration WAIT = Duration.ofSeconds(30);
  @RegisterExtension
  static final EtcdServer.PerClass ETCD = new EtcdServer.PerClass();

  private final String prefix = "/volumekit/store-" + CLUSTERS.incrementAndGet();
  private final List<EtcdStore> opened = new ArrayList<>();

  @AfterEach
  void closeStores() {
    opened.forEach(EtcdStore::close);
  }

  private EtcdStore open() {
    EtcdStore s = EtcdStore.connect(ETCD.server().endpoint()).prefix(prefix)
        .operationFormat(new SameJvmOperationFormat()).open();
    opened.add(s);
    return s;
  }

  private static StorageClass sc(String name) {
    return (StorageClass) ObjectCodec.standard().decode("""
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: %s}
        provisioner: example.csi.io
        """.formatted(name)).single();
  }

  private static <T extends ApiObject> T labelled(T o, String value) {
    @SuppressWarnings("unchecked")
    T out = (T) o.withMetadata(o.metadata().withLabels(ImmutableMap.of("k", value)));
    return out;
  }

  private static final ObjectKey FAST = ObjectKey.cluster(StorageClass.KIND, "fast");

  @Test
  void objectsAreJsonUnderTheClusterPrefixAndTheVersionIsTheModRevision() throws Exception {
    EtcdStore store = open();
    ApiObject stored = store.create(sc("fast"));
    try (Client raw = Client.builder().endpoints(ETCD.server().endpoint()).build()) {
      KeyValue kv = raw.getKVClient().get(ByteSequence.from(prefix + "/storage.k8s.io/StorageClass/_/fast",
          StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS).getKvs().get(0);
      assertThat(stored.metadata().resourceVersion()).contains(Long.toString(kv.getModRevision()));
      String json = kv.getValue().toString(StandardCharsets.UTF_8);
      assertThat(json).contains("\"kind\":\"StorageClass\"").contains("\"provisioner\":\"example.csi.io\"")
          .doesNotContain("resourceVersion");
    }
  }

  @Test
  void aStoreOpenedLaterListsTheObjectsAndOperations() {
    EtcdStore first = open();
    ApiObject stored = first.create(sc("fast"));
    Operation op = Operation.started(new DeleteVolume(EffectId.of("delete-pv1"),
        ObjectKey.cluster("PersistentVolume", "pv1"), "reclaim", "example.csi.io", DeleteVolumeRequest.of("v1")), 1);
    first.recordOperation(op);
    first.close();

    EtcdStore second = open();
    assertThat(second.get(FAST)).contains(stored);
    assertThat(second.state().operation(op.id())).contains(op);
    assertThat(second.state().resourceVersion())
        .isGreaterThanOrEqualTo(Long.parseLong(stored.metadata().resourceVersion().orElseThrow()));
  }

  private static Operation publishing(String node) {
    return Operation.started(new NodePublish(EffectId.of("publish-" + node), ObjectKey.namespaced("Pod", "default", "app"),
        PodVolumeController.NAME, "example.csi.io", node, "uid", "data", "pv1",
        new NodePublishVolumeRequest("v1", ImmutableMap.of(), "", "/target", Optional.empty(), false, Secrets.none(),
            ImmutableMap.of()), ImmutableList.of()), 1);
  }

  @Test
  void aLeaderTakesOverTheControlPlanesOperationsAndANodeAgentItsNodesOnly() {
    EtcdStore store = open();
    Operation delete = Operation.started(new DeleteVolume(EffectId.of("delete-pv1"),
        ObjectKey.cluster("PersistentVolume", "pv1"), "reclaim", "example.csi.io", DeleteVolumeRequest.of("v1")), 1);
    List.of(delete, publishing("node-1"), publishing("node-2")).forEach(store::recordOperation);

    assertThat(store.takeOverOperations(Role.controlPlane())).isEqualTo(1);
    Operation failed = store.state().operation(delete.id()).orElseThrow();
    assertThat(failed.failed()).isTrue();
    assertThat(failed.uncertain()).as("the call may have happened: it is repeated, not forgotten").isTrue();
    assertThat(failed.failure().orElseThrow().message())
        .isEqualTo("the control plane that started this call stopped before its outcome arrived");
    assertThat(store.state().operations()).filteredOn(Operation::inFlight).extracting(o -> o.id().value())
        .containsExactlyInAnyOrder("publish-node-1", "publish-node-2");

    assertThat(store.takeOverOperations(Role.nodeAgent("node-1"))).isEqualTo(1);
    assertThat(store.state().operation(EffectId.of("publish-node-1")).orElseThrow().failure().orElseThrow().message())
        .isEqualTo("the node agent of node-1 that started this call stopped before its outcome arrived");
    assertThat(store.state().operations()).filteredOn(Operation::inFlight).extracting(o -> o.id().value())
        .containsExactly("publish-node-2");
    try (EtcdStore fresh = open()) {
      assertThat(fresh.state().operations()).containsExactlyInAnyOrderElementsOf(store.state().operations());
    }
  }

  @Test
  void anOperationWhoseOutcomeArrivedMeanwhileIsNotTakenOver() throws Exception {
    EtcdStore a = open();
    EtcdStore b = open();
    Operation started = publishing("node-1");
    a.recordOperation(started);
    b.awaitCurrent(WAIT);
    b.suspendWatch();
    Operation done = started.succeeded(null);
    a.recordOperation(done); // b's snapshot still has it in flight

    assertThat(b.takeOverOperations(Role.nodeAgent("node-1"))).isZero();
    assertThat(b.state().operation(started.id())).as("b read the outcome back").contains(done);
    a.awaitCurrent(WAIT);
    assertThat(a.state().operation(started.id())).contains(done);
  }

  @Test
  void anotherProcesssWritesArriveThroughTheWatchAsChanges() throws Exception {
    EtcdStore a = open();
    EtcdStore b = open();
    CountDownLatch heard = new CountDownLatch(1);
    b.onRemoteChange(heard::countDown);
    ApiObject created = a.create(sc("fast"));
    ApiObject updated = a.update(labelled(created, "x"));
    a.delete(FAST, Optional.empty());
    b.awaitCurrent(WAIT);
    assertThat(b.get(FAST)).isEmpty();
    List<Change> changes = b.drainChanges();
    assertThat(changes).extracting(Change::type)
        .containsExactly(Change.Type.ADDED, Change.Type.MODIFIED, Change.Type.DELETED);
    assertThat(changes.get(1).after()).contains(updated);
    assertThat(heard.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(a.drainChanges()).hasSize(3); // its own, once each: the watch does not repeat them
  }

  @Test
  void aWriteFromAStaleSnapshotIsAConflictAndRefreshesIt() throws Exception {
    EtcdStore a = open();
    EtcdStore b = open();
    ApiObject created = a.create(sc("fast"));
    b.awaitCurrent(WAIT);
    b.suspendWatch();
    ApiObject newer = a.update(labelled(created, "from-a"));
    ApiObject staleInB = b.get(FAST).orElseThrow();
    assertThat(staleInB).isEqualTo(created);
    assertThatThrownBy(() -> b.update(labelled(staleInB, "from-b"))).isInstanceOf(ConflictException.class)
        .hasMessageContaining("the object has been modified");
    assertThat(b.get(FAST)).contains(newer);
    ApiObject unversioned = labelled(staleInB, "from-b");
    ApiObject fromB = b.update(unversioned.withMetadata(unversioned.metadata().withResourceVersion(Optional.empty())));
    assertThat(fromB.metadata().labels()).containsEntry("k", "from-b");
    a.awaitCurrent(WAIT);
    assertThat(a.get(FAST)).contains(fromB);
  }

  @Test
  void aWatchBehindACompactionListsAgainAndReportsTheDifference() throws Exception {
    EtcdStore a = open();
    EtcdStore b = open();
    ApiObject kept = a.create(sc("kept"));
    a.create(sc("gone"));
    b.awaitCurrent(WAIT);
    b.drainChanges();
    b.suspendWatch();
    ApiObject keptNow = a.update(labelled(kept, "v2"));
    a.delete(ObjectKey.cluster(StorageClass.KIND, "gone"), Optional.empty());
    ApiObject added = a.create(sc("added"));
    try (Client raw = Client.builder().endpoints(ETCD.server().endpoint()).build()) {
      raw.getKVClient().compact(Long.parseLong(added.metadata().resourceVersion().orElseThrow()))
          .get(10, TimeUnit.SECONDS);
    }
    CountDownLatch relisted = new CountDownLatch(1);
    // A notification of the changes b saw before the suspension may still be on its way: wait for
    // the one that brings the re-list's result.
    b.onRemoteChange(() -> {
      if (b.get(ObjectKey.cluster(StorageClass.KIND, "added")).isPresent()) {
        relisted.countDown();
      }
    });
    b.resumeWatch();
    assertThat(relisted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(b.state().list(StorageClass.KIND)).containsExactlyInAnyOrder(added, keptNow);
    assertThat(b.drainChanges()).extracting(c -> c.type() + " " + c.key().name())
        .containsExactlyInAnyOrder("MODIFIED kept", "DELETED gone", "ADDED added");
  }

  /**
   * A watch created from a past revision is not synced yet: etcd before 3.4.24 and 3.5.8 answers
   * a progress request with the current revision all the same (etcd issue 15220), before the
   * events the watch still has to deliver. awaitCurrent must not return on that answer.
   */
  @Test
  void awaitCurrentWaitsForAWatchThatIsCatchingUp() throws Exception {
    EtcdStore a = open();
    EtcdStore b = open();
    b.suspendWatch();
    List<ApiObject> created = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      created.add(a.create(sc("sc-" + i)));
    }
    b.resumeWatch(); // a new watch from the revision b last saw, behind the current one
    b.awaitCurrent(WAIT);
    assertThat(b.state().list(StorageClass.KIND)).containsExactlyInAnyOrderElementsOf(created);
  }

  @Test
  void theWatchResumesAfterEtcdRestarts() throws Exception {
    EtcdStore a = open();
    EtcdStore b = open();
    a.create(sc("before"));
    b.awaitCurrent(WAIT);
    ETCD.server().restart();
    ApiObject after = retryUnavailable(() -> a.create(sc("after")));
    b.awaitCurrent(WAIT);
    ObjectKey key = ObjectKey.cluster(StorageClass.KIND, "after");
    assertThat(b.get(key)).contains(after);
  }

  @Test
  void theWatchComesBackAfterAnOutageLongerThanARequestTimeout() throws Exception {
    EtcdStore a = open();
    EtcdStore b = EtcdStore.connect(ETCD.server().endpoint()).prefix(prefix).timeout(Duration.ofSeconds(1))
        .operationFormat(new SameJvmOperationFormat()).open();
    opened.add(b);
    ETCD.server().kill();
    try {
      assertThat(b.awaitRelistFailures(1, WAIT)).isTrue(); // etcd did not answer b's list
    } finally {
      ETCD.server().restart();
    }
    ApiObject after = retryUnavailable(() -> a.create(sc("after")));
    // b's own reads time out after 1 s too: the first ones after the restart may, on a loaded
    // machine, as a caller's would; awaitCurrent is asked again until the deadline.
    retryUnavailable(() -> {
      b.awaitCurrent(WAIT);
      return null;
    });
    assertThat(b.get(ObjectKey.cluster(StorageClass.KIND, "after"))).contains(after);
  }

  @Test
  void writesWaitingForEtcdHoldUpNeitherReadsNorOtherWrites() throws Exception {
    EtcdStore store = open();
    ApiObject before = store.create(sc("before"));
    ExecutorService writers = Executors.newFixedThreadPool(2);
    List<Future<ApiObject>> writes = new ArrayList<>();
    ETCD.server().pause();
    try {
      writes.add(writers.submit(() -> store.create(sc("a"))));
      writes.add(writers.submit(() -> store.create(sc("b"))));
      assertThat(store.awaitPutsInFlight(2, WAIT)).isTrue(); // both sent; etcd answers neither
      assertThat(store.get(ObjectKey.cluster(StorageClass.KIND, "before"))).contains(before);
      assertThat(store.state().list(StorageClass.KIND)).containsExactly(before);
      assertThat(writes).noneMatch(Future::isDone);
    } finally {
      ETCD.server().resume();
    }
    try {
      for (Future<ApiObject> w : writes) {
        ApiObject written = w.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(store.state().list(StorageClass.KIND)).contains(written);
      }
    } finally {
      writers.shutdownNow();
    }
    assertThat(store.drainChanges()).extracting(c -> c.key().name()).containsExactlyInAnyOrder("before", "a", "b");
  }

  @Test
  void aListOfSeveralPagesReadsEveryKeyAtOneRevision() throws Exception {
    EtcdStore a = open();
    List<ApiObject> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(a.create(sc("sc-" + i)));
    }
    a.recordOperation(Operation.started(new DeleteVolume(EffectId.of("del-1"),
        ObjectKey.cluster("PersistentVolume", "pv1"), "reclaim", "example.csi.io", DeleteVolumeRequest.of("v1")), 1));
    EtcdStore b = EtcdStore.connect(ETCD.server().endpoint()).prefix(prefix).listPage(2)
        .operationFormat(new SameJvmOperationFormat()).open();
    opened.add(b);
    assertThat(b.state().list(StorageClass.KIND)).containsExactlyInAnyOrderElementsOf(created);
    assertThat(b.state().operation(EffectId.of("del-1"))).isPresent();
    assertThat(b.drainChanges()).hasSize(5);
  }

  /** Calls {@code call} until etcd answers it (StoreUnavailableException: try again) or WAIT has passed. */
  static <T> T retryUnavailable(java.util.concurrent.Callable<T> call) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try {
        return call.call();
      } catch (StoreUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        TimeUnit.MILLISECONDS.sleep(100); // the client reconnecting, as the runtime's backoff would wait
      }
    }
  }
}
