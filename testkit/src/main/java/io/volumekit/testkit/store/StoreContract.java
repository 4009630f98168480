package io.volumekit.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.effect.DeleteVolume;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.store.AlreadyExistsException;
import io.volumekit.core.store.ConflictException;
import io.volumekit.core.store.InvalidException;
import io.volumekit.core.store.NotFoundException;
import io.volumekit.core.store.Store;
import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.storage.StorageClass;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API server's write semantics, as every {@link Store} must keep them: run against each store
 * by extending this class and implementing {@link #open(Clock)} (the in-memory store, the etcd
 * store...). The store under test gets the default admission hooks ({@code Admissions.defaults()}).
 *
 * <p>resourceVersions are compared by order only: a durable store numbers them by its own
 * revisions (etcd's are global to the etcd cluster), not from 1.
 */
public abstract class StoreContract {

  /** The time every store under test is given. */
  protected static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  private static final ObjectCodec CODEC = ObjectCodec.standard();
  private static final ObjectKey PV1 = ObjectKey.cluster(PersistentVolume.KIND, "pv1");

  /** The store under test. */
  protected Store store;

  /** A new, empty store with {@code clock} and the default admission hooks. */
  protected abstract Store open(Clock clock) throws Exception;

  /** Releases the store (closes connections); nothing by default. */
  protected void close(Store store) throws Exception {}

  @BeforeEach
  void openStore() throws Exception {
    store = open(CLOCK);
  }

  @AfterEach
  void closeStore() throws Exception {
    close(store);
  }

  /** A hostPath PV with reclaim policy Retain. */
  protected static PersistentVolume pv(String name) {
    return (PersistentVolume) CODEC.decode("""
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: %s}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          persistentVolumeReclaimPolicy: Retain
          hostPath: {path: /data/%s}
        """.formatted(name, name)).single();
  }

  /** A claim in namespace default. */
  protected static PersistentVolumeClaim pvc(String name) {
    return (PersistentVolumeClaim) CODEC.decode("""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: %s, namespace: default}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        """.formatted(name)).single();
  }

  /** A StorageClass (no finalizers: a delete removes it at once). */
  protected static StorageClass sc(String name) {
    return (StorageClass) CODEC.decode("""
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: %s}
        provisioner: example.csi.io
        """.formatted(name)).single();
  }

  private static long version(ApiObject o) {
    return Long.parseLong(o.metadata().resourceVersion().orElseThrow());
  }

  private static PersistentVolume labelled(PersistentVolume pv, String value) {
    return pv.withMetadata(pv.metadata().withLabels(com.google.common.collect.ImmutableMap.of("k", value)));
  }

  @Test
  void createAssignsServerMetadataAndAdmission() {
    ApiObject pv = store.create(pv("pv1"));
    assertThat(pv.metadata().uid()).isPresent();
    assertThat(pv.metadata().resourceVersion()).isPresent();
    assertThat(pv.metadata().generation()).isEqualTo(1);
    assertThat(pv.metadata().creationTimestamp()).contains(CLOCK.instant());
    assertThat(((PersistentVolume) pv).phase()).isEqualTo("Pending");
    assertThat(pv.metadata().finalizers()).containsExactly("kubernetes.io/pv-protection");
    assertThat(store.get(PV1)).contains(pv);
    assertThat(store.state().resourceVersion()).isGreaterThanOrEqualTo(version(pv));
  }

  @Test
  void aSecondCreateOfTheKeyIsAlreadyExists() {
    store.create(pv("pv1"));
    assertThatThrownBy(() -> store.create(pv("pv1"))).isInstanceOf(AlreadyExistsException.class)
        .hasMessage("persistentvolumes \"pv1\" already exists");
  }

  @Test
  void aNamelessCreateTakesItsNameFromGenerateNameOrIsInvalid() {
    PersistentVolumeClaim c = pvc("x");
    ApiObject generated = store.create(c.withMetadata(c.metadata().withName("")
        .withGenerateName(Optional.of("data-"))));
    assertThat(generated.metadata().name()).startsWith("data-").hasSizeGreaterThan("data-".length());
    assertThat(store.get(ObjectKey.of(generated))).contains(generated);
    assertThatThrownBy(() -> store.create(c.withMetadata(c.metadata().withName(""))))
        .isInstanceOf(InvalidException.class).hasMessageContaining("name or generateName is required");
  }

  @Test
  void updateBumpsTheVersionAndANoOpUpdateChangesNothing() {
    PersistentVolume pv = (PersistentVolume) store.create(pv("pv1"));
    store.drainChanges();
    ApiObject same = store.update(pv);
    assertThat(same.metadata().resourceVersion()).isEqualTo(pv.metadata().resourceVersion());
    assertThat(store.drainChanges()).isEmpty();
    PersistentVolume labelled = (PersistentVolume) store.update(labelled(pv, "a"));
    assertThat(version(labelled)).isGreaterThan(version(pv));
    assertThat(labelled.metadata().generation()).isEqualTo(1);
    assertThat(labelled.metadata().uid()).isEqualTo(pv.metadata().uid());
    PersistentVolume specChange = (PersistentVolume) store.update(
        labelled.withSpec(labelled.spec().withPersistentVolumeReclaimPolicy(Optional.of("Delete"))));
    assertThat(specChange.metadata().generation()).isEqualTo(2);
    assertThat(store.get(PV1)).contains(specChange);
  }

  @Test
  void aStaleUpdateIsAConflictWithTheApiServersMessage() {
    PersistentVolume pv = (PersistentVolume) store.create(pv("pv1"));
    store.update(labelled(pv, "a"));
    assertThatThrownBy(() -> store.update(labelled(pv, "b"))).isInstanceOf(ConflictException.class)
        .hasMessage("Operation cannot be fulfilled on persistentvolumes \"pv1\": the object has been"
            + " modified; please apply your changes to the latest version and try again");
    assertThat(((PersistentVolume) store.get(PV1).orElseThrow()).metadata().labels()).containsEntry("k", "a");
  }

  @Test
  void anUpdateWithoutAVersionReplacesTheLatest() {
    PersistentVolume pv = (PersistentVolume) store.create(pv("pv1"));
    store.update(labelled(pv, "a"));
    PersistentVolume unversioned = labelled(pv, "b");
    unversioned = unversioned.withMetadata(unversioned.metadata().withResourceVersion(Optional.empty()));
    ApiObject stored = store.update(unversioned);
    assertThat(stored.metadata().labels()).containsEntry("k", "b");
  }

  @Test
  void serverManagedMetadataStaysTheStores() {
    PersistentVolume pv = (PersistentVolume) store.create(pv("pv1"));
    PersistentVolume tampered = labelled(pv, "a").withMetadata(labelled(pv, "a").metadata()
        .withCreationTimestamp(Optional.of(Instant.EPOCH)).withGeneration(7));
    ApiObject stored = store.update(tampered);
    assertThat(stored.metadata().creationTimestamp()).isEqualTo(pv.metadata().creationTimestamp());
    assertThat(stored.metadata().generation()).isEqualTo(1);
  }

  @Test
  void anUpdateOfAMissingObjectIsNotFound() {
    assertThatThrownBy(() -> store.update(pv("pv1"))).isInstanceOf(NotFoundException.class)
        .hasMessage("persistentvolumes \"pv1\" not found");
  }

  @Test
  void deleteWaitsForFinalizersThenRemoves() {
    store.create(pv("pv1"));
    Optional<ApiObject> deleting = store.delete(PV1, Optional.empty());
    assertThat(deleting).isPresent();
    assertThat(deleting.get().metadata().deletionTimestamp()).contains(CLOCK.instant());
    assertThat(store.delete(PV1, Optional.empty())).contains(deleting.get());
    store.drainChanges();
    ApiObject d = deleting.get();
    assertThatThrownBy(() -> store.update(d.withMetadata(d.metadata().withFinalizers(
        com.google.common.collect.ImmutableList.of("kubernetes.io/pv-protection", "example.com/new")))))
        .isInstanceOf(InvalidException.class).hasMessageContaining("no new finalizers");
    store.update(d.withMetadata(d.metadata().withoutFinalizer("kubernetes.io/pv-protection")));
    assertThat(store.drainChanges()).extracting(Change::type).containsExactly(Change.Type.DELETED);
    assertThat(store.get(PV1)).isEmpty();
    assertThatThrownBy(() -> store.delete(PV1, Optional.empty())).isInstanceOf(NotFoundException.class);
  }

  @Test
  void deleteWithoutFinalizersRemovesAtOnce() {
    ApiObject claim = store.create(sc("fast"));
    store.drainChanges();
    assertThat(store.delete(ObjectKey.of(claim), Optional.empty())).isEmpty();
    assertThat(store.get(ObjectKey.of(claim))).isEmpty();
    assertThat(store.drainChanges()).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo(Change.Type.DELETED);
      assertThat(c.before()).contains(claim);
    });
  }

  @Test
  void aUidPreconditionProtectsAReplacement() {
    store.create(pv("pv1"));
    assertThatThrownBy(() -> store.delete(PV1, Optional.of("other-uid")))
        .isInstanceOf(ConflictException.class).hasMessageContaining("Precondition failed: UID in precondition: other-uid");
    assertThat(store.get(PV1)).isPresent();
  }

  @Test
  void everyChangeIsReportedOnceInOrder() {
    ApiObject a = store.create(pvc("a"));
    ApiObject b = store.create(sc("b"));
    ApiObject a2 = store.update(a.withMetadata(a.metadata().withLabels(
        com.google.common.collect.ImmutableMap.of("k", "v"))));
    store.delete(ObjectKey.of(b), Optional.empty());
    List<Change> changes = store.drainChanges();
    assertThat(changes).extracting(Change::type).containsExactly(
        Change.Type.ADDED, Change.Type.ADDED, Change.Type.MODIFIED, Change.Type.DELETED);
    assertThat(changes.get(2).before()).contains(a);
    assertThat(changes.get(2).after()).contains(a2);
    assertThat(store.drainChanges()).isEmpty();
    assertThat(store.state().list(PersistentVolumeClaim.KIND)).containsExactly(a2);
  }

  @Test
  void operationsAreRecordedAndForgotten() {
    EffectId id = EffectId.of("delete-pv1");
    Operation started = Operation.started(
        new DeleteVolume(id, PV1, "reclaim", "example.csi.io", DeleteVolumeRequest.of("vol-1")), 1);
    store.recordOperation(started);
    assertThat(store.state().operation(id)).contains(started);
    Operation done = started.succeeded(null);
    store.recordOperation(done);
    assertThat(store.state().operation(id)).contains(done);
    store.forgetOperation(id);
    assertThat(store.state().operation(id)).isEmpty();
    assertThat(store.drainChanges()).isEmpty();
  }
}
