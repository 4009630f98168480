package io.volumekit.core.mount;

import static io.volumekit.core.mount.KubeletOperations.failedMount;
import static io.volumekit.core.mount.KubeletOperations.ownershipId;
import static io.volumekit.core.mount.KubeletOperations.setupId;
import static io.volumekit.core.mount.KubeletOperations.stageId;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.csi.NodeCapability;
import io.volumekit.core.csi.NodeGetVolumeStatsRequest;
import io.volumekit.core.csi.NodeGetVolumeStatsResponse;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.VolumeCondition;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.controller.PeriodicEffect;
import io.volumekit.core.api.Reasons;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.NodeGetVolumeStats;
import io.volumekit.core.effect.NodePublish;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.effect.SetVolumeOwnership;
import io.volumekit.core.mount.KubeletOperations.Outcome;
import io.volumekit.core.migration.InTreePlugin;
import io.volumekit.core.migration.TranslationException;
import io.volumekit.core.podvolume.DriverInfo;
import io.volumekit.core.podvolume.InlineMigratedVolumes;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.PodIndex;
import io.volumekit.core.token.ServiceAccountTokenRequest;
import io.volumekit.core.node.KubeletPathLayout;
import io.volumekit.core.node.NodeOs;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.CSIVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodSecurityContext;
import io.volumekit.model.core.Volume;
import io.volumekit.model.storage.CSIDriver;
import io.volumekit.model.storage.CSIDriverSpec;
import io.volumekit.model.storage.TokenRequest;
import io.volumekit.model.storage.VolumeAttachment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The setup of a pod's CSI volumes for the {@link PodVolumeController}: a claim's volume is
 * published ({@code NodePublishVolume}) once it is attached and its device staged, an inline
 * ephemeral volume once its CSIDriver allows the Ephemeral mode; then the kubelet-side fsGroup
 * change follows where the driver's {@code fsGroupPolicy} asks for it. A claim bound to a PV whose
 * source is neither CSI, hostPath nor local is refused with a FailedMount (no plugin mounts it).
 */
final class CsiVolumeSetup {

  private final VolumeHost host;
  /** The CSI paths of the Linux nodes' kubelets: made once, not per setup. */
  private final KubeletPathLayout linuxPaths;

  CsiVolumeSetup(VolumeHost host) {
    this.host = host;
    this.linuxPaths = host.csiPaths(NodeOs.LINUX);
  }

  /** {@link KubeletOperations#csiPaths} with the Linux layout made once. */
  private KubeletPathLayout csiPaths(ClusterState state, String node) {
    NodeOs os = KubeletOperations.nodeOs(state, node);
    return os == NodeOs.LINUX ? linuxPaths : host.csiPaths(os);
  }

  /**
   * The start of a volume's failure messages: {@code MountVolume.SetUp failed for volume "<name>" : },
   * or {@code MapVolume.MapPodDevice ...} for a Block volume.
   */
  private static String failurePrefix(boolean block, String specName) {
    return (block ? "MapVolume.MapPodDevice" : "MountVolume.SetUp") + " failed for volume \"" + specName + "\" : ";
  }

  /** Whether the pod volume's claim exists, is not being deleted and is not bound (yet). */
  private static boolean claimNotBound(ClusterState state, Pod pod, Volume v) {
    return PodVolumeSupport.claimKey(pod, v)
        .flatMap(k -> state.get(k, PersistentVolumeClaim.class))
        .filter(c -> !c.metadata().isDeleting())
        .map(c -> c.volumeName().isEmpty() || !c.isBound())
        .orElse(false);
  }

  /** The kubelet's FailedMount text for a volume its desired-state populator could not process. */
  private static String notProcessed(String volume, String why) {
    return "Unable to attach or mount volumes: unmounted volumes=[" + volume + "], unattached volumes=[" + volume
        + "], failed to process volumes=[" + volume + "]: " + why;
  }

  /**
   * A claim's volume.
   *
   * @param id the volume's setup id ({@link KubeletOperations#setupId})
   * @param op its operation, as the caller read it
   */
  Outcome setupClaim(ClusterState state, Pod pod, String node, String uid, Volume v, EffectId id, Optional<Operation> op,
      Decision.Builder b) {
    PodVolumeSupport.ClaimLookup lookup = PodVolumeSupport.lookup(state, pod, v);
    PersistentVolume pv;
    if (lookup instanceof PodVolumeSupport.ClaimLookup.Bound bound) {
      pv = bound.pv();
    } else if (op.filter(Operation::succeeded).isPresent()) {
      // Set up already (docs/cases/node-side.md, M9a): the kubelet's desired-state populator does not
      // look at the claims of a pod it has processed again (podPreviouslyProcessed), so a claim
      // deleted (or gone) under a Running pod changes nothing and reports nothing; the volume stays
      // mounted (and is republished and measured as before) until the pod goes.
      Optional<PersistentVolume> volume = PodVolumes.boundVolume(state, pod, v);
      if (volume.isEmpty()) {
        return Outcome.READY;
      }
      pv = volume.get();
    } else {
      PodVolumeSupport.ClaimLookup.Problem p = (PodVolumeSupport.ClaimLookup.Problem) lookup;
      // An unbound claim is a wait too, but nothing else explains it to a pod put on the node
      // directly (spec.nodeName, so no scheduler event): the kubelet's populator fails with "PVC is
      // not bound" and reports FailedMount; here that is said at once instead of after its 2 min
      // timeout.
      if (!p.waiting() || claimNotBound(state, pod, v)) {
        b.event(failedMount(pod, "Unable to attach or mount volumes: unmounted volumes=[" + v.name()
            + "], unattached volumes=[" + v.name() + "]: error processing " + p.message()));
      }
      return Outcome.WAITING;
    }
    String pvName = pv.metadata().name();
    // A CSI PV needs no migration plugin: looked for only without a CSI source.
    Optional<InTreePlugin> migrated = pv.csi().isPresent() ? Optional.empty() : host.migration().plugin(pv);
    if (migrated.isPresent()) {
      // CSI migration: the kubelet mounts an in-tree PV through its translated CSI source.
      try {
        pv = migrated.get().translateInTreePVToCSI(pv);
      } catch (TranslationException e) {
        b.event(failedMount(pod, PodVolumeController.unsupported(v.name(), pvName, "failed to translate "
            + migrated.get().inTreePluginName() + " volume to " + migrated.get().csiDriverName() + ": " + e.getMessage())));
        return Outcome.WAITING;
      }
    }
    return setupPersistent(state, pod, node, uid, v, pv, pvName, PodVolumeSupport.claimKey(pod, v), id, op, b);
  }

  /**
   * An inline in-tree volume of a migrated plugin: mounted as the PV its plugin's {@code
   * translateInTreeInlineVolumeToCSI} makes (named {@code <driver>-<id>}, which names its pod
   * directory), its device known by its {@link io.volumekit.core.api.Volumes#inlineVolumeName}.
   */
  Outcome setupInlineMigrated(ClusterState state, Pod pod, String node, String uid, Volume v, InTreePlugin plugin,
      EffectId id, Optional<Operation> op, Decision.Builder b) {
    Optional<InlineMigratedVolumes.Inline> inline;
    try {
      inline = InlineMigratedVolumes.translate(host.migration(), pod, v);
    } catch (TranslationException e) {
      b.event(failedMount(pod, PodVolumeController.unsupported(v.name(), v.name(), "failed to translate "
          + plugin.inTreePluginName() + " volume to " + plugin.csiDriverName() + ": " + e.getMessage())));
      return Outcome.WAITING;
    }
    if (inline.isEmpty()) {
      return Outcome.WAITING; // not translated to a CSI source: nothing mounts it (no plugin does this)
    }
    return setupPersistent(state, pod, node, uid, v, inline.get().pv(), inline.get().name(), Optional.empty(), id, op, b);
  }

  /**
   * The publish of a PV (a claim's, or an inline volume's translation) once attached and staged.
   *
   * @param device the device name: the PV's name, or an inline volume's inline name
   * @param claim the claim, for a claim's PV
   */
  private Outcome setupPersistent(ClusterState state, Pod pod, String node, String uid, Volume v, PersistentVolume pv,
      String device, Optional<ObjectKey> claim, EffectId id, Optional<Operation> op, Decision.Builder b) {
    String pvName = pv.metadata().name();
    Optional<String> mismatch = BlockVolumes.modeMismatch(pod, v.name(), pv.spec().effectiveVolumeMode());
    if (mismatch.isPresent()) {
      b.event(failedMount(pod, notProcessed(v.name(), mismatch.get())));
      return Outcome.WAITING;
    }
    if (pv.csi().isEmpty()) {
      if (pv.spec().hostPath().isPresent()) {
        return LocalVolumeSetup.setupHostPath(state, pod, node, uid, v.name(), pvName, pv.spec().hostPath().get(), b);
      }
      if (pv.spec().local().isPresent()) {
        return Outcome.READY; // a directory or disk already on the node: the runtime bind-mounts it
      }
      String source = pv.spec().sources().keySet().stream().findFirst().orElse("");
      b.event(failedMount(pod, PodVolumeController.unsupported(v.name(), pvName,
          "persistent volume source \"" + source + "\" is not supported")));
      return Outcome.WAITING;
    }
    CSIPersistentVolumeSource csi = pv.csi().get();
    String driver = csi.driver();
    Optional<DriverInfo> info = host.driver(driver);
    if (info.isEmpty() || PodVolumeSupport.nodeId(state, node, driver).isEmpty()) {
      b.event(failedMount(pod, "MountVolume.MountDevice failed for volume \"" + pvName
          + "\" : kubernetes.io/csi: attacher.MountDevice failed to create newCsiDriverClient: driver name "
          + driver + " not found in the list of registered CSI drivers"));
      return Outcome.WAITING;
    }
    Optional<String> twoContexts = SELinuxMounts.twoContexts(state, host.seLinuxMount(), node, pv, pod);
    if (twoContexts.isPresent()) {
      // The volume manager refuses to add the volume to its desired state: nothing is mounted.
      b.event(failedMount(pod, notProcessed(v.name(), twoContexts.get())));
      return Outcome.WAITING;
    }
    if (PodVolumeSupport.onlyMode(pv.spec().accessModes(), AccessModes.READ_WRITE_ONCE_POD) && claim.isPresent()
        && usedByAnotherPod(state, pod, claim.get())) {
      b.event(failedMount(pod, "MountVolume.SetUp failed for volume \"" + pvName
          + "\" : volume uses the ReadWriteOncePod access mode and is already in use by another pod"));
      return Outcome.WAITING;
    }
    ImmutableMap<String, String> publishContext = ImmutableMap.of();
    if (PodVolumeSupport.attachRequired(state, driver)) {
      Optional<VolumeAttachment> va = state.get(PodVolumeSupport.attachmentKey(csi.volumeHandle(), driver, node),
          VolumeAttachment.class);
      if (va.isEmpty() || !va.get().status().attached() || va.get().metadata().isDeleting()) {
        return Outcome.WAITING;
      }
      publishContext = va.get().status().attachmentMetadata();
    }
    Optional<Operation> staged = state.operation(stageId(node, device)).filter(Operation::succeeded);
    if (staged.isEmpty()) {
      return Outcome.WAITING;
    }
    Optional<String> seLinuxContext = SELinuxMounts.context(state, host.seLinuxMount(), node, pv, pod);
    Optional<String> conflict = SELinuxMounts.conflict(pvName, SELinuxMounts.stagedContext(staged.get()), seLinuxContext);
    if (conflict.isPresent() && !op.filter(Operation::succeeded).isPresent()) {
      // Another pod's context is on the device: a genuine conflict while it is published there, else
      // DeviceStagingController unstages and stages it again with this pod's context.
      if (DeviceStagingController.publishedOnNode(state, node, device)) {
        b.event(failedMount(pod, "MountVolume.SetUp failed for volume \"" + pvName + "\" : " + conflict.get()));
      }
      return Outcome.WAITING;
    }
    boolean readOnly = v.persistentVolumeClaim().flatMap(s -> s.readOnly()).orElse(false)
        || csi.readOnly().orElse(false)
        || PodVolumeSupport.onlyMode(pv.spec().accessModes(), AccessModes.READ_ONLY_MANY);
    boolean block = pv.spec().effectiveVolumeMode().equals("Block");
    KubeletPathLayout paths = csiPaths(state, node);
    String target = block ? paths.blockPublishPath(pvName, uid) : paths.csiTarget(uid, pvName);
    if (op.isPresent() && op.get().succeeded()) {
      // The failure prefix is made only for a failure to report (a running pod's sync reports none).
      republish(state, pod, uid, v.name(), driver, op.get(), b, block, pvName);
      collectStats(state, pod, uid, v.name(), pvName, claim, info.get(), op.get(), target, b);
      if (block) {
        return Outcome.READY; // no filesystem to chown
      }
      return ownership(state, pod, node, uid, v, target, readOnly,
          csi.fsType().orElse(""), pv.spec().accessModes(), driver, info.get(), b, false, pvName);
    }
    if (op.isPresent() && op.get().inFlight()) {
      return Outcome.WAITING;
    }
    String prefix = failurePrefix(block, pvName);
    Optional<Secrets> secrets = Optional.of(Secrets.none());
    if (csi.nodePublishSecretRef().isPresent()) {
      var ref = csi.nodePublishSecretRef().get();
      secrets = PodVolumeSupport.secrets(state, ref.namespace().orElse(""), ref.name());
      if (secrets.isEmpty()) {
        b.event(failedMount(pod, prefix + "kubernetes.io/csi: mounter.SetUpAt failed to get CSI persistent source: "
            + "failed to fetch secret " + ref.namespace().orElse("") + "/" + ref.name()));
        return Outcome.WAITING;
      }
    }
    Map<String, String> context = new LinkedHashMap<>(csi.volumeAttributes());
    podInfo(state, driver, pod, false).ifPresent(context::putAll);
    VolumeCapability cap = KubeletOperations.capability(pv.spec().accessModes(), csi.fsType().orElse(""), pv.spec().mountOptions(),
        pv.spec().effectiveVolumeMode().equals("Block"), info.get(), pod, seLinuxContext);
    NodePublishVolumeRequest request = new NodePublishVolumeRequest(csi.volumeHandle(), publishContext,
        info.get().stages() ? KubeletOperations.stagingPath(paths, pv, driver, csi.volumeHandle()) : "",
        target, Optional.of(cap), readOnly, secrets.get(), ImmutableMap.copyOf(context));
    if (op.isPresent()) {
      KubeletOperations.reportFailure(b, pod, id, op.get(), prefix);
    }
    b.effect(new NodePublish(id, ObjectKey.of(pod), PodVolumeController.NAME, driver, node, uid, v.name(), device, request,
        tokenRequests(state, driver, pod)));
    return Outcome.WAITING;
  }

  Outcome setupInline(ClusterState state, Pod pod, String node, String uid, Volume v, CSIVolumeSource csi,
      Decision.Builder b) {
    String driver = csi.driver();
    String prefix = failurePrefix(false, v.name());
    Optional<CSIDriver> object = PodVolumeSupport.csiDriver(state, driver);
    if (object.isEmpty()) {
      b.event(failedMount(pod, prefix + "volume mode \"Ephemeral\" not supported by driver " + driver + " (no CSIDriver object)"));
      return Outcome.WAITING;
    }
    List<String> modes = object.get().spec().effectiveVolumeLifecycleModes();
    if (!modes.contains(CSIDriverSpec.EPHEMERAL)) {
      b.event(failedMount(pod, prefix + "volume mode \"Ephemeral\" not supported by driver " + driver
          + " (only supports " + modes.stream().map(m -> "\"" + m + "\"").toList() + ")"));
      return Outcome.WAITING;
    }
    Optional<DriverInfo> info = host.driver(driver);
    if (info.isEmpty() || PodVolumeSupport.nodeId(state, node, driver).isEmpty()) {
      b.event(failedMount(pod, prefix + "kubernetes.io/csi: mounter.SetUpAt failed to get CSI client: driver name "
          + driver + " not found in the list of registered CSI drivers"));
      return Outcome.WAITING;
    }
    EffectId id = setupId(uid, v.name());
    Optional<Operation> op = state.operation(id);
    String target = csiPaths(state, node).csiTarget(uid, v.name());
    if (op.isPresent() && op.get().succeeded()) {
      republish(state, pod, uid, v.name(), driver, op.get(), b, false, v.name());
      collectStats(state, pod, uid, v.name(), v.name(), Optional.empty(), info.get(), op.get(), target, b);
      return ownership(state, pod, node, uid, v, target, csi.readOnly().orElse(false),
          csi.fsType().orElse(""), List.of(AccessModes.READ_WRITE_ONCE), driver, info.get(), b, false, v.name());
    }
    if (op.isPresent() && op.get().inFlight()) {
      return Outcome.WAITING;
    }
    Secrets secrets = Secrets.none();
    if (csi.nodePublishSecretRef().isPresent()) {
      Optional<Secrets> s = PodVolumeSupport.secrets(state, pod.metadata().namespaceOrEmpty(),
          csi.nodePublishSecretRef().get().name());
      if (s.isEmpty()) {
        b.event(failedMount(pod, prefix + "kubernetes.io/csi: failed to fetch secret "
            + pod.metadata().namespaceOrEmpty() + "/" + csi.nodePublishSecretRef().get().name()));
        return Outcome.WAITING;
      }
      secrets = s.get();
    }
    Map<String, String> context = new LinkedHashMap<>(csi.volumeAttributes());
    podInfo(state, driver, pod, true).ifPresent(context::putAll);
    VolumeCapability cap = KubeletOperations.capability(List.of(AccessModes.READ_WRITE_ONCE), csi.fsType().orElse(""), List.of(), false,
        info.get(), pod, Optional.empty()); // inline volumes have no PV: never an SELinux mount
    NodePublishVolumeRequest request = new NodePublishVolumeRequest(PodVolumeSupport.inlineVolumeId(uid, v.name()), ImmutableMap.of(),
        "", target, Optional.of(cap), csi.readOnly().orElse(false), secrets,
        ImmutableMap.copyOf(context));
    if (op.isPresent()) {
      KubeletOperations.reportFailure(b, pod, id, op.get(), prefix);
    }
    b.effect(new NodePublish(id, ObjectKey.of(pod), PodVolumeController.NAME, driver, node, uid, v.name(), v.name(), request,
        tokenRequests(state, driver, pod)));
    return Outcome.WAITING;
  }

  /**
   * The kubelet-side fsGroup change after NodePublish (docs/cases/node-side.md rows FG2-FG4): only
   * when the pod has an fsGroup, the node plugin does not take it as {@code volume_mount_group},
   * the volume is writable, and the CSIDriver's {@code fsGroupPolicy} (default
   * ReadWriteOnceWithFSType) allows it: {@code File}, or an fsType and ReadWriteOnce (inline
   * volumes count as ReadWriteOnce). {@code fsGroupChangePolicy: OnRootMismatch} skips an
   * unchanged tree.
   */
  private Outcome ownership(ClusterState state, Pod pod, String node, String uid, Volume v, String target,
      boolean readOnly, String fsType, List<String> pvModes, String driver, DriverInfo info, Decision.Builder b,
      boolean block, String specName) {
    Optional<Long> fsGroup = pod.spec().securityContext().flatMap(PodSecurityContext::fsGroup);
    if (fsGroup.isEmpty() || readOnly || info.node().contains(NodeCapability.VOLUME_MOUNT_GROUP)
        || !KubeletOperations.nodeOs(state, node).changesOwnership()) {
      return Outcome.READY;
    }
    String policy = PodVolumeSupport.csiDriver(state, driver).flatMap(d -> d.spec().fsGroupPolicy())
        .orElse("ReadWriteOnceWithFSType");
    boolean applies = policy.equals("File") || (policy.equals("ReadWriteOnceWithFSType") && !fsType.isEmpty()
        && (pvModes.isEmpty() || pvModes.contains(AccessModes.READ_WRITE_ONCE)));
    if (!applies) {
      return Outcome.READY;
    }
    EffectId id = ownershipId(uid, v.name());
    Optional<Operation> op = state.operation(id);
    if (op.isPresent() && op.get().succeeded()) {
      return Outcome.READY;
    }
    if (op.isPresent() && op.get().inFlight()) {
      return Outcome.WAITING;
    }
    if (op.isPresent()) {
      KubeletOperations.reportFailure(b, pod, id, op.get(),
          failurePrefix(block, specName) + "applyFSGroup failed for vol " + v.name() + ": ");
    }
    boolean onRootMismatch = pod.spec().securityContext().flatMap(PodSecurityContext::fsGroupChangePolicy)
        .filter("OnRootMismatch"::equals).isPresent();
    b.effect(new SetVolumeOwnership(id, ObjectKey.of(pod), PodVolumeController.NAME, node, uid, v.name(), target,
        fsGroup.get(), onRootMismatch, false));
    return Outcome.WAITING;
  }

  /**
   * The tokens the driver asks for (CSIDriver {@code tokenRequests}, docs/cases/node-side.md rows
   * TK1-TK3): one per audience, for the pod's service account, bound to the pod, valid for the
   * entry's {@code expirationSeconds} or the TokenRequest default of one hour. Issued by the
   * runtime when NodePublishVolume is called, whatever {@code podInfoOnMount} says.
   */
  static ImmutableList<ServiceAccountTokenRequest> tokenRequests(ClusterState state, String driver, Pod pod) {
    Optional<CSIDriver> object = PodVolumeSupport.csiDriver(state, driver);
    if (object.isEmpty()) {
      return ImmutableList.of();
    }
    ImmutableList.Builder<ServiceAccountTokenRequest> out = ImmutableList.builder();
    for (TokenRequest t : object.get().spec().tokenRequests()) {
      out.add(new ServiceAccountTokenRequest(pod.metadata().namespaceOrEmpty(),
          pod.spec().serviceAccountName().orElse("default"), t.audience(),
          t.expirationSeconds().orElse(ServiceAccountTokenRequest.DEFAULT_EXPIRATION_SECONDS),
          pod.metadata().name(), pod.metadata().uid().orElse("")));
    }
    return out.build();
  }

  /**
   * CSIDriver {@code requiresRepublish} (docs/cases/node-side.md row TK4): while the pod keeps the
   * volume, NodePublishVolume is called again on the same target every {@link
   * PodVolumeController#RESYNC_PERIOD} (the kubelet's pod sync), with fresh tokens. One {@code
   * refresh} operation at a time: scheduled, then performed, then forgotten and scheduled anew; a
   * failure is reported as FailedMount and retried with backoff, the volume staying published.
   */
  private static void republish(ClusterState state, Pod pod, String uid, String volume, String driver,
      Operation published, Decision.Builder b, boolean block, String specName) {
    boolean requires = PodVolumeSupport.csiDriver(state, driver)
        .flatMap(d -> d.spec().requiresRepublish()).orElse(false);
    if (!requires || !(published.effect() instanceof NodePublish p)) {
      return;
    }
    EffectId id = KubeletOperations.refreshId(uid, volume);
    PeriodicEffect.step(state.operation(id), p.withId(id), PodVolumeController.RESYNC_PERIOD,
        PeriodicEffect.OnFailure.RETRY, b)
        .ifPresent(done -> KubeletOperations.reportFailure(b, pod, id, done, failurePrefix(block, specName)));
  }

  /**
   * The kubelet's volume statistics (docs/cases/node-side.md rows H1-H3): when the node plugin has
   * GET_VOLUME_STATS, NodeGetVolumeStats on the publish target every {@link
   * PodVolumeController#STATS_PERIOD} while the pod keeps the volume. The runtime hands each answer
   * to the stats cache ({@code VolumeKit.volumeStats}); with VOLUME_CONDITION an abnormal condition
   * is a Warning {@code VolumeConditionAbnormal} "Volume <name>: <message>" on the pod, each period
   * it stays abnormal. A failed call is only retried next period, as the kubelet only logs it.
   */
  private static void collectStats(ClusterState state, Pod pod, String uid, String volume, String volumeName, Optional<ObjectKey> claim,
      DriverInfo info, Operation published, String target, Decision.Builder b) {
    if (!info.node().contains(NodeCapability.GET_VOLUME_STATS) || !(published.effect() instanceof NodePublish p)) {
      return;
    }
    EffectId id = KubeletOperations.statsId(uid, volume);
    NodeGetVolumeStats stats = new NodeGetVolumeStats(id, ObjectKey.of(pod), PodVolumeController.NAME, p.driver(),
        p.node(), uid, volume, volumeName, claim, new NodeGetVolumeStatsRequest(p.request().volumeId(), target, ""));
    PeriodicEffect.step(state.operation(id), stats, PodVolumeController.STATS_PERIOD,
            PeriodicEffect.OnFailure.NEXT_PERIOD, b)
        .filter(done -> info.node().contains(NodeCapability.VOLUME_CONDITION))
        .flatMap(done -> done.resultAs(NodeGetVolumeStatsResponse.class))
        .flatMap(NodeGetVolumeStatsResponse::volumeCondition)
        .filter(VolumeCondition::abnormal)
        .ifPresent(c -> b.event(EventRecord.warning(KubeletOperations.EVENT_SOURCE, ObjectKey.of(pod),
            Reasons.VOLUME_CONDITION_ABNORMAL, "Volume " + volume + ": " + c.message())));
  }

  /** The pod info keys a driver with {@code podInfoOnMount} gets in volume_context. */
  static Optional<Map<String, String>> podInfo(ClusterState state, String driver, Pod pod, boolean ephemeral) {
    boolean on = PodVolumeSupport.csiDriver(state, driver).flatMap(d -> d.spec().podInfoOnMount()).orElse(false);
    if (!on) {
      return Optional.empty();
    }
    Map<String, String> m = new LinkedHashMap<>();
    m.put("csi.storage.k8s.io/pod.name", pod.metadata().name());
    m.put("csi.storage.k8s.io/pod.namespace", pod.metadata().namespaceOrEmpty());
    m.put("csi.storage.k8s.io/pod.uid", pod.metadata().uid().orElse(""));
    m.put("csi.storage.k8s.io/serviceAccount.name", pod.spec().serviceAccountName().orElse("default"));
    m.put(PodVolumeController.EPHEMERAL_KEY, Boolean.toString(ephemeral));
    return Optional.of(m);
  }

  private static boolean usedByAnotherPod(ClusterState state, Pod pod, ObjectKey claim) {
    for (ObjectKey pk : state.index(PodIndex.class).podsUsing(claim)) {
      if (pk.equals(ObjectKey.of(pod))) {
        continue;
      }
      Optional<Pod> other = state.get(pk, Pod.class);
      if (other.isEmpty()) {
        continue;
      }
      String ouid = other.get().metadata().uid().orElse("");
      for (Volume ov : other.get().spec().volumes()) {
        if (PodVolumeSupport.usesClaim(other.get(), ov, claim)
            && state.operation(setupId(ouid, ov.name())).filter(KubeletOperations::mounted).isPresent()) {
          return true;
        }
      }
    }
    return false;
  }
}
