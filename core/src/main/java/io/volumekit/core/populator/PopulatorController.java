package io.volumekit.core.populator;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.datasource.ReferenceGrants;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.effect.PopulateVolume;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.core.state.ClaimIndex;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.ContainerBuilder;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimBuilder;
import io.volumekit.model.core.PersistentVolumeClaimSpecBuilder;
import io.volumekit.model.core.PersistentVolumeClaimStatus;
import io.volumekit.model.core.PersistentVolumeClaimVolumeSource;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodBuilder;
import io.volumekit.model.core.PodSpecBuilder;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.core.TypedObjectReference;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.core.VolumeDevice;
import io.volumekit.model.core.VolumeModes;
import io.volumekit.model.core.VolumeMount;
import io.volumekit.model.gateway.ReferenceGrant;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectReference;
import io.volumekit.model.populator.SourceKind;
import io.volumekit.model.storage.StorageClass;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The populator machinery of kubernetes-csi/lib-volume-populator, for every {@link Populator} the
 * embedder registered: fills the volume of a claim whose {@code dataSourceRef} names a registered
 * group/kind, then hands the volume to the claim. Claims of other kinds are not its business (the
 * provisioner and the data source validator report them).
 *
 * <p>For a claim {@code C} (not in a populator namespace, data source in its own namespace), in
 * lib-volume-populator's order and with its names:
 * <ol>
 *   <li>wait for the class and, for WaitForFirstConsumer, for C's {@code volume.kubernetes.io/selected-node};
 *   <li>create the prime claim {@code prime-<C uid>} in the populator namespace with C's access modes,
 *       resources, class and volume mode (and the selected node), and put the finalizer {@code
 *       <prefix>/populate-target-protection} on C;
 *   <li>once the prime claim is bound, create the populator pod {@code populate-<C uid>} mounting it
 *       (on the selected node; Normal {@code PopulatorCreated} "Populator started");
 *   <li>once the pod runs with the volume mounted, call the populator ({@link PopulateVolume}); a
 *       failure is a Warning {@code PopulatorFailed} "Populator failed: &lt;message&gt;" and is retried;
 *       success marks the pod Succeeded (its container exited), so the kubelet unmounts it;
 *   <li>rebind the PV to C: {@code claimRef} = C (uid, resourceVersion) and the annotation {@code
 *       <prefix>/populated-from} = {@code <C namespace>/<data source name>}; the binder then binds C
 *       and marks the prime claim Lost;
 *   <li>once the prime claim is Lost: Normal {@code PopulatorFinished} "Populator finished", delete the
 *       pod and the prime claim, remove C's finalizer.
 * </ol>
 * A claim deleted before it is populated has its pod and prime claim deleted (the prime's volume is
 * reclaimed by its class's policy) and then its finalizer removed. The populator's data source object
 * itself is the embedder's: a populator that cannot find it fails the call, and the claim waits.
 */
public final class PopulatorController implements Controller {

  /** The controller's name. */
  public static final String NAME = "volume-populator";
  /** lib-volume-populator's prime claim prefix: {@code prime-<claim uid>}. */
  public static final String PRIME_PREFIX = "prime-";
  /** lib-volume-populator's populator pod prefix: {@code populate-<claim uid>}. */
  public static final String POD_PREFIX = "populate-";
  /** The populator pod's volume and container names, as lib-volume-populator's. */
  public static final String POD_VOLUME = "target";
  static final String CONTAINER = "populate";
  /** Event reasons, as lib-volume-populator's. */
  public static final String POPULATOR_CREATED = "PopulatorCreated";
  public static final String POPULATOR_FAILED = "PopulatorFailed";
  public static final String POPULATOR_FINISHED = "PopulatorFinished";

  /** A populator's configuration, read once when the engine is built. */
  record Registration(SourceKind kind, String prefix, String namespace, String image, String mountPath,
      String devicePath) {
    static Registration of(Populator p) {
      return new Registration(p.sourceKind(), p.prefix(), p.namespace(), p.image(), p.mountPath(), p.devicePath());
    }

    String finalizer() {
      return prefix + "/populate-target-protection";
    }

    String populatedFrom() {
      return prefix + "/populated-from";
    }

    String source() {
      return prefix + "-populator";
    }
  }

  private final ImmutableMap<SourceKind, Registration> registrations;
  private final Set<String> namespaces;
  private final VolumeHost host;
  private final boolean crossNamespace;

  /**
   * The controller for the populators, laying out the populator pods' volumes as {@code host} does;
   * data sources in other namespaces are refused (the {@code CrossNamespaceVolumeDataSource} gate off).
   */
  public PopulatorController(Collection<? extends Populator> populators, VolumeHost host) {
    this(populators, host, false);
  }

  /**
   * The controller, with the {@code CrossNamespaceVolumeDataSource} gate: on, a data source in
   * another namespace is populated from when a ReferenceGrant there allows it.
   */
  public PopulatorController(Collection<? extends Populator> populators, VolumeHost host, boolean crossNamespace) {
    this.crossNamespace = crossNamespace;
    Map<SourceKind, Registration> m = new LinkedHashMap<>();
    for (Populator p : populators) {
      Registration r = Registration.of(p);
      if (m.put(r.kind(), r) != null) {
        throw new IllegalArgumentException("two populators for " + r.kind());
      }
    }
    this.registrations = ImmutableMap.copyOf(m);
    this.namespaces = m.values().stream().map(Registration::namespace).collect(Collectors.toUnmodifiableSet());
    this.host = java.util.Objects.requireNonNull(host, "host");
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The id of the populate call for the user's claim. */
  public static EffectId populateId(ObjectKey claim) {
    return EffectId.of("populate-" + claim.namespacedName());
  }

  @Override
  public WatchedKinds watches() {
    return WatchedKinds.of(PersistentVolumeClaim.KIND, PersistentVolume.KIND, Pod.KIND, StorageClass.KIND,
        ReferenceGrant.KIND);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    if (registrations.isEmpty()) {
      return;
    }
    switch (change.kind()) {
      case PersistentVolumeClaim.KIND -> {
        if (namespaces.contains(change.key().namespace())) {
          userClaimOf(state, change.key().name(), PRIME_PREFIX).ifPresent(enqueue);
        } else if (change.afterAs(PersistentVolumeClaim.class).or(() -> change.beforeAs(PersistentVolumeClaim.class))
            .flatMap(this::registration).isPresent()) {
          enqueue.accept(change.key());
        }
      }
      case Pod.KIND -> {
        if (namespaces.contains(change.key().namespace())) {
          userClaimOf(state, change.key().name(), POD_PREFIX).ifPresent(enqueue);
        }
      }
      case PersistentVolume.KIND -> {
        Optional<PersistentVolume> pv = change.afterAs(PersistentVolume.class).or(() -> change.beforeAs(PersistentVolume.class));
        Optional<ObjectKey> ref = pv.flatMap(Volumes::claimRefKey);
        if (ref.isPresent() && namespaces.contains(ref.get().namespace())) {
          userClaimOf(state, ref.get().name(), PRIME_PREFIX).ifPresent(enqueue);
        } else {
          ref.ifPresent(enqueue);
        }
      }
      case StorageClass.KIND -> state.index(ClaimIndex.class).unboundClaims(change.key().name()).forEach(enqueue);
      case ReferenceGrant.KIND -> {
        for (PersistentVolumeClaim c : state.list(PersistentVolumeClaim.KIND, PersistentVolumeClaim.class)) {
          if (ReferenceGrants.crossNamespace(c).filter(change.key().namespace()::equals).isPresent()
              && registration(c).isPresent()) {
            enqueue.accept(ObjectKey.of(c));
          }
        }
      }
      default -> {}
    }
  }

  /** The user's claim whose uid the prime claim's or pod's name carries. */
  private static Optional<ObjectKey> userClaimOf(ClusterState state, String name, String prefix) {
    if (!name.startsWith(prefix)) {
      return Optional.empty();
    }
    String uid = name.substring(prefix.length());
    return state.list(PersistentVolumeClaim.KIND, PersistentVolumeClaim.class).stream()
        .filter(c -> c.metadata().uid().filter(uid::equals).isPresent())
        .map(ObjectKey::of)
        .findFirst();
  }

  /** The registration of the claim's data source kind, if a populator fills it. */
  private Optional<Registration> registration(PersistentVolumeClaim claim) {
    return claim.spec().dataSourceRef()
        .filter(r -> !r.name().isEmpty())
        .map(r -> registrations.get(new SourceKind(r.apiGroup().orElse(""), r.kind())));
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    if (!key.kind().equals(PersistentVolumeClaim.KIND) || namespaces.contains(key.namespace())) {
      return Decision.none();
    }
    Optional<PersistentVolumeClaim> found = state.get(key, PersistentVolumeClaim.class);
    Optional<Registration> reg = found.flatMap(this::registration);
    if (reg.isEmpty() || found.get().metadata().uid().isEmpty()) {
      return Decision.none();
    }
    PersistentVolumeClaim claim = found.get();
    TypedObjectReference ref = claim.spec().dataSourceRef().orElseThrow();
    Optional<String> sourceNamespace = ReferenceGrants.crossNamespace(claim);
    if (sourceNamespace.isPresent() && (!crossNamespace || ReferenceGrants.refusal(state, claim).isPresent())) {
      // Not allowed (the gate off, or no ReferenceGrant): the provisioner reports it on the claim.
      return Decision.none();
    }
    return new Sync(state, claim, ref, reg.get(), sourceNamespace.orElse(key.namespace())).run();
  }

  /** One reconcile of one user claim. */
  private final class Sync {
    private final ClusterState state;
    private final PersistentVolumeClaim claim;
    private final TypedObjectReference ref;
    private final Registration reg;
    private final ObjectKey key;
    private final String uid;
    private final ObjectKey primeKey;
    private final ObjectKey podKey;
    private final Optional<PersistentVolumeClaim> prime;
    private final Optional<Pod> pod;
    private final String sourceNamespace;

    Sync(ClusterState state, PersistentVolumeClaim claim, TypedObjectReference ref, Registration reg,
        String sourceNamespace) {
      this.sourceNamespace = sourceNamespace;
      this.state = state;
      this.claim = claim;
      this.ref = ref;
      this.reg = reg;
      this.key = ObjectKey.of(claim);
      this.uid = claim.metadata().uid().orElseThrow();
      this.primeKey = Volumes.claimKey(reg.namespace(), PRIME_PREFIX + uid);
      this.podKey = ObjectKey.namespaced(Pod.KIND, reg.namespace(), POD_PREFIX + uid);
      this.prime = state.get(primeKey, PersistentVolumeClaim.class);
      this.pod = state.get(podKey, Pod.class);
    }

    Decision run() {
      if (claim.metadata().isDeleting()) {
        return cleanUp(Decision.builder(), false);
      }
      if (claim.volumeName().isEmpty()) {
        Optional<Decision> populating = populate();
        if (populating.isPresent()) {
          return populating.get();
        }
      }
      if (prime.isPresent() && !prime.get().phase().equals(PersistentVolumeClaimStatus.LOST)) {
        return Decision.none(); // the binder has not acknowledged the rebind yet
      }
      return cleanUp(Decision.builder(), prime.isPresent());
    }

    /** Steps 1 to 5; empty once the PV is rebound to the claim. */
    private Optional<Decision> populate() {
      String cls = Volumes.storageClass(claim);
      Optional<StorageClass> sc = state.get(Volumes.classKey(cls), StorageClass.class);
      if (!cls.isEmpty() && sc.isEmpty()) {
        return Optional.of(Decision.none()); // called again when the class exists
      }
      Optional<String> node = claim.metadata().annotation(Annotations.SELECTED_NODE).filter(n -> !n.isEmpty());
      boolean wffc = sc.map(Volumes::isWaitForFirstConsumer).orElse(false);
      if (wffc && node.isEmpty()) {
        return Optional.of(Decision.none());
      }
      Decision.Builder d = Decision.builder();
      if (!claim.metadata().hasFinalizer(reg.finalizer())) {
        d.update(claim.withMetadata(claim.metadata().withFinalizer(reg.finalizer())));
      }
      if (prime.isEmpty()) {
        return Optional.of(d.create(primeClaim(wffc ? node : Optional.empty())).build());
      }
      Optional<PersistentVolume> pv = prime.get().volumeName().flatMap(n -> state.get(Volumes.volumeKey(n), PersistentVolume.class));
      if (pv.isEmpty()) {
        return Optional.of(d.build()); // the prime claim is not bound yet
      }
      boolean populated = pod.flatMap(p -> p.status().phase()).filter(PodStatus.SUCCEEDED::equals).isPresent();
      if (!populated) {
        return Optional.of(runPopulator(d, pv.get(), wffc ? node : Optional.empty()));
      }
      ObjectReference claimRef = pv.get().spec().claimRef().orElse(null);
      if (claimRef == null || !claimRef.nameOrEmpty().equals(claim.metadata().name())
          || !claimRef.namespaceOrEmpty().equals(key.namespace()) || !claimRef.uidOrEmpty().equals(uid)) {
        PersistentVolume rebound = pv.get()
            .withMetadata(pv.get().metadata().withAnnotation(reg.populatedFrom(), key.namespace() + "/" + ref.name()))
            .withSpec(pv.get().spec().withClaimRef(Optional.of(Volumes.claimReference(claim))));
        return Optional.of(d.update(rebound).build());
      }
      return d.isEmpty() ? Optional.empty() : Optional.of(d.build());
    }

    /** Step 3 and 4: the populator pod, then the populate call. */
    private Decision runPopulator(Decision.Builder d, PersistentVolume pv, Optional<String> node) {
      if (pod.isEmpty()) {
        return d.create(populatorPod(node))
            .event(EventRecord.normal(reg.source(), key, POPULATOR_CREATED, "Populator started")).build();
      }
      Optional<Operation> op = state.operation(populateId(key));
      if (op.isPresent() && op.get().inFlight()) {
        return d.build();
      }
      if (op.isPresent() && op.get().succeeded()) {
        Pod p = pod.get();
        return d.forget(op.get().id())
            .update(p.withStatus(p.status().withPhase(Optional.of(PodStatus.SUCCEEDED)))).build();
      }
      if (op.isPresent() && op.get().unreportedFailure()) {
        d.acknowledge(op.get().id()).event(EventRecord.warning(reg.source(), key, POPULATOR_FAILED,
            "Populator failed: " + op.get().failure().orElseThrow().message()));
      }
      Pod p = pod.get();
      if (p.metadata().isDeleting() || p.nodeName().isEmpty()
          || !p.status().phase().filter(PodStatus.RUNNING::equals).isPresent()) {
        return d.build(); // the kubelet has not mounted the volume yet
      }
      boolean block = VolumeModes.BLOCK.equals(pv.spec().effectiveVolumeMode());
      String podUid = p.metadata().uid().orElse("");
      String path = (block ? host.blockPublishPath(pv.metadata().name(), podUid)
          : host.csiTarget(podUid, pv.metadata().name())).toString();
      String driver = pv.csi().map(c -> c.driver()).orElse("");
      String handle = pv.csi().map(c -> c.volumeHandle()).orElse("");
      return d.effect(new PopulateVolume(populateId(key), key, NAME, p.nodeName().get(), key, uid, primeKey, reg.kind(),
          ref, sourceNamespace, pv.metadata().name(), driver, handle, block, Optional.of(path))).build();
    }

    /** Step 6, or the clean-up of a deleted claim. */
    private Decision cleanUp(Decision.Builder d, boolean finished) {
      if (finished) {
        d.event(EventRecord.normal(reg.source(), key, POPULATOR_FINISHED, "Populator finished"));
      }
      state.operation(populateId(key)).filter(op -> !op.inFlight()).ifPresent(op -> d.forget(op.id()));
      pod.filter(p -> !p.metadata().isDeleting()).ifPresent(p -> d.delete(podKey, p.metadata().uid().orElse("")));
      prime.filter(p -> !p.metadata().isDeleting()).ifPresent(p -> d.delete(primeKey, p.metadata().uid().orElse("")));
      boolean gone = claim.metadata().isDeleting() ? pod.isEmpty() && prime.isEmpty() : true;
      if (gone && claim.metadata().hasFinalizer(reg.finalizer())) {
        d.update(claim.withMetadata(claim.metadata().withoutFinalizer(reg.finalizer())));
      }
      return d.build();
    }

    private PersistentVolumeClaim primeClaim(Optional<String> node) {
      ObjectMeta meta = ObjectMeta.named(reg.namespace(), primeKey.name());
      if (node.isPresent()) {
        meta = meta.withAnnotation(Annotations.SELECTED_NODE, node.get());
      }
      return PersistentVolumeClaimBuilder.builder()
          .metadata(meta)
          .spec(PersistentVolumeClaimSpecBuilder.builder()
              .accessModes(claim.spec().accessModes())
              .resources(claim.spec().resources())
              .storageClassName(claim.spec().storageClassName())
              .volumeMode(claim.spec().volumeMode())
              .build())
          .build();
    }

    private Pod populatorPod(Optional<String> node) {
      boolean block = VolumeModes.BLOCK.equals(claim.spec().effectiveVolumeMode());
      ContainerBuilder c = ContainerBuilder.builder().name(CONTAINER).image(Optional.of(reg.image()));
      if (block) {
        c.volumeDevices(ImmutableList.of(new VolumeDevice(POD_VOLUME, reg.devicePath())));
      } else {
        c.volumeMounts(ImmutableList.of(VolumeMount.of(POD_VOLUME, reg.mountPath())));
      }
      return PodBuilder.builder()
          .metadata(ObjectMeta.named(reg.namespace(), podKey.name()))
          .spec(PodSpecBuilder.builder()
              .containers(ImmutableList.of(c.build()))
              .restartPolicy(Optional.of("Never"))
              .nodeName(node)
              .volumes(ImmutableList.of(VolumeBuilder.builder().name(POD_VOLUME)
                  .persistentVolumeClaim(Optional.of(new PersistentVolumeClaimVolumeSource(primeKey.name(), Optional.empty())))
                  .build()))
              .build())
          .build();
    }
  }
}
