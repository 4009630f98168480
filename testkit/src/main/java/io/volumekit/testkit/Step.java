package io.volumekit.testkit;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.apps.StatefulSet;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.storage.StorageClass;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One step of a simulated history: a user or administrator action, time passing, or a driver
 * restart. Steps are plain data (they carry every name and size they use), so a history is a list
 * that replays exactly and can be shrunk by dropping steps; {@code toString()} is the line a
 * reproduction prints.
 *
 * <p>Implement it to simulate your own actions; the built-in steps are the records below.
 */
public interface Step {

  /** Performs the step on the cluster. */
  void run(Cluster cluster);

  /** The key of a simulated claim. */
  static ObjectKey claimKey(String name) {
    return ObjectKey.namespaced(PersistentVolumeClaim.KIND, SimObjects.NAMESPACE, name);
  }

  /** The key of a simulated pod. */
  static ObjectKey podKey(String name) {
    return ObjectKey.namespaced(Pod.KIND, SimObjects.NAMESPACE, name);
  }

  /** The key of a PV. */
  static ObjectKey volumeKey(String name) {
    return ObjectKey.cluster(PersistentVolume.KIND, name);
  }

  /** The key of a node. */
  static ObjectKey nodeKey(String name) {
    return ObjectKey.cluster(Node.KIND, name);
  }

  /** The key of a StorageClass. */
  static ObjectKey classKey(String name) {
    return ObjectKey.cluster(StorageClass.KIND, name);
  }

  private static String modes(List<String> modes) {
    return modes.stream().map(AccessModes::shortName).collect(Collectors.joining(",", "[", "]"));
  }

  private static String size(long bytes) {
    return bytes % (1L << 30) == 0 ? (bytes >> 30) + "Gi" : bytes + "B";
  }

  /** Creates a StorageClass of the simulated driver. */
  record CreateClass(String name, String reclaimPolicy, String bindingMode, boolean isDefault) implements Step {
    @Override
    public void run(Cluster c) {
      c.create(SimObjects.storageClass(name, reclaimPolicy, bindingMode, isDefault));
    }

    @Override
    public String toString() {
      return "create class " + name + " reclaim=" + reclaimPolicy + " binding=" + bindingMode
          + (isDefault ? " (default)" : "");
    }
  }

  /** Creates a {@link SimObjects#securedClass}: its volumes need per-claim secrets. */
  record CreateSecuredClass(String name) implements Step {
    @Override
    public void run(Cluster c) {
      c.create(SimObjects.securedClass(name));
    }

    @Override
    public String toString() {
      return "create class " + name + " reclaim=Delete binding=Immediate secrets=${pvc.name}-creds";
    }
  }

  /** Creates a Secret in the simulated namespace. */
  record CreateSecret(String name) implements Step {
    @Override
    public void run(Cluster c) {
      c.create(SimObjects.secret(name));
    }

    @Override
    public String toString() {
      return "create secret " + name;
    }
  }

  /** Deletes a Secret (kubectl delete secret), whether or not a volume still needs it. */
  record DeleteSecret(String name) implements Step {
    @Override
    public void run(Cluster c) {
      c.delete(ObjectKey.namespaced(io.volumekit.model.core.Secret.KIND, SimObjects.NAMESPACE, name));
    }

    @Override
    public String toString() {
      return "delete secret " + name;
    }
  }

  /** Deletes a StorageClass. */
  record DeleteClass(String name) implements Step {
    @Override
    public void run(Cluster c) {
      c.delete(classKey(name));
    }

    @Override
    public String toString() {
      return "delete class " + name;
    }
  }

  /** Creates a claim; an empty {@code storageClass} leaves the class unset. */
  record CreateClaim(String name, Optional<String> storageClass, long bytes, ImmutableList<String> accessModes,
      String volumeName) implements Step {
    public CreateClaim {
      Objects.requireNonNull(storageClass, "storageClass");
      accessModes = ImmutableList.copyOf(accessModes);
      volumeName = Objects.requireNonNullElse(volumeName, "");
    }

    @Override
    public void run(Cluster c) {
      c.create(SimObjects.claim(name, storageClass, bytes, accessModes, volumeName));
    }

    @Override
    public String toString() {
      return "create claim " + name + " class=" + storageClass.map(s -> s.isEmpty() ? "\"\"" : s).orElse("<unset>")
          + " " + size(bytes) + " " + modes(accessModes) + (volumeName.isEmpty() ? "" : " volumeName=" + volumeName);
    }
  }

  /**
   * The user changes a claim's request (kubectl apply of a larger, or after a failed expansion a
   * smaller, {@code resources.requests.storage}); the API server may refuse it.
   */
  record ResizeClaim(String name, long bytes) implements Step {
    @Override
    public void run(Cluster c) {
      c.update(claimKey(name), o -> {
        PersistentVolumeClaim claim = (PersistentVolumeClaim) o;
        var requests = new java.util.LinkedHashMap<>(claim.spec().resources().requests());
        requests.put("storage", io.volumekit.model.quantity.Quantity.ofBytes(bytes));
        return claim.withSpec(claim.spec().withResources(claim.spec().resources().withRequests(
            com.google.common.collect.ImmutableMap.copyOf(requests))));
      });
    }

    @Override
    public String toString() {
      return "resize claim " + name + " to " + size(bytes);
    }
  }

  /** Deletes a claim. */
  record DeleteClaim(String name) implements Step {
    @Override
    public void run(Cluster c) {
      c.delete(claimKey(name));
    }

    @Override
    public String toString() {
      return "delete claim " + name;
    }
  }

  /** The administrator creates a backing volume and a static CSI PV for it. */
  record CreateVolume(String name, String storageClass, long bytes, ImmutableList<String> accessModes,
      String reclaimPolicy) implements Step {
    public CreateVolume {
      accessModes = ImmutableList.copyOf(accessModes);
    }

    @Override
    public void run(Cluster c) {
      if (c.state().contains(volumeKey(name))) {
        return;
      }
      c.createBackingVolume("static-" + name, bytes).ifPresent(handle ->
          c.create(SimObjects.volume(name, storageClass, bytes, accessModes, reclaimPolicy, handle)));
    }

    @Override
    public String toString() {
      return "create pv " + name + " class=" + (storageClass.isEmpty() ? "\"\"" : storageClass) + " " + size(bytes)
          + " " + modes(accessModes) + " reclaim=" + reclaimPolicy;
    }
  }

  /** Deletes a PV. */
  record DeleteVolume(String name) implements Step {
    @Override
    public void run(Cluster c) {
      c.delete(volumeKey(name));
    }

    @Override
    public String toString() {
      return "delete pv " + name;
    }
  }

  /** Changes a PV's reclaim policy. */
  record SetReclaimPolicy(String name, String reclaimPolicy) implements Step {
    @Override
    public void run(Cluster c) {
      c.update(volumeKey(name), o -> {
        PersistentVolume pv = (PersistentVolume) o;
        return pv.withSpec(pv.spec().withPersistentVolumeReclaimPolicy(Optional.of(reclaimPolicy)));
      });
    }

    @Override
    public String toString() {
      return "set pv " + name + " reclaim=" + reclaimPolicy;
    }
  }

  /** The administrator creates a VolumeAttributesClass of the simulated driver. */
  record CreateAttributesClass(String name, ImmutableMap<String, String> parameters) implements Step {
    public CreateAttributesClass {
      parameters = ImmutableMap.copyOf(parameters);
    }

    @Override
    public void run(Cluster c) {
      c.create(io.volumekit.model.storage.VolumeAttributesClassBuilder.builder()
          .metadata(io.volumekit.model.meta.ObjectMeta.named(name)).driverName(SimObjects.DRIVER)
          .parameters(parameters).build());
    }

    @Override
    public String toString() {
      return "create vac " + name + " " + parameters;
    }
  }

  /** The user sets a claim's {@code volumeAttributesClassName} (a modification once it is bound). */
  record SetClaimAttributesClass(String claim, String attributesClass) implements Step {
    @Override
    public void run(Cluster c) {
      c.update(claimKey(claim), o -> {
        PersistentVolumeClaim pvc = (PersistentVolumeClaim) o;
        return pvc.withSpec(pvc.spec().withVolumeAttributesClassName(Optional.of(attributesClass)));
      });
    }

    @Override
    public String toString() {
      return "set claim " + claim + " vac=" + attributesClass;
    }
  }

  /**
   * Creates a pod using the claims, on the node if it is not empty, with a generic ephemeral
   * volume of the class {@code ephemeralClass} if it is not empty.
   */
  record CreatePod(String name, String node, ImmutableList<String> claims, String ephemeralClass) implements Step {
    public CreatePod {
      claims = ImmutableList.copyOf(claims);
      ephemeralClass = Objects.requireNonNullElse(ephemeralClass, "");
    }

    /** A pod without an ephemeral volume. */
    public CreatePod(String name, String node, ImmutableList<String> claims) {
      this(name, node, claims, "");
    }

    @Override
    public void run(Cluster c) {
      c.create(SimObjects.pod(name, node, claims, ephemeralClass));
    }

    @Override
    public String toString() {
      return "create pod " + name + (node.isEmpty() ? "" : " on " + node) + " claims=" + claims
          + (ephemeralClass.isEmpty() ? "" : " ephemeral=" + ephemeralClass);
    }
  }

  /** Binds an unscheduled pod to a node (sets {@code spec.nodeName}, as the scheduler's binding does). */
  record BindPod(String name, String node) implements Step {
    @Override
    public void run(Cluster c) {
      c.update(podKey(name), o -> {
        Pod p = (Pod) o;
        return p.nodeName().isPresent() ? p : p.withSpec(p.spec().withNodeName(Optional.of(node)));
      });
    }

    @Override
    public String toString() {
      return "bind pod " + name + " to " + node;
    }
  }

  /** Deletes a pod. */
  record DeletePod(String name) implements Step {
    @Override
    public void run(Cluster c) {
      c.delete(podKey(name));
    }

    @Override
    public String toString() {
      return "delete pod " + name;
    }
  }

  /** Adds a Ready node (a node joining, or a lost node coming back as a new object). */
  record AddNode(String name) implements Step {
    @Override
    public void run(Cluster c) {
      c.create(SimObjects.node(name));
    }

    @Override
    public String toString() {
      return "add node " + name;
    }
  }

  /** Deletes a node object (the node is gone for good). */
  record DeleteNode(String name) implements Step {
    @Override
    public void run(Cluster c) {
      c.delete(nodeKey(name));
    }

    @Override
    public String toString() {
      return "delete node " + name;
    }
  }

  /** Adds a taint to a node, or removes it when {@code effect} is empty. */
  record TaintNode(String name, String key, String effect) implements Step {
    @Override
    public void run(Cluster c) {
      c.update(nodeKey(name), o -> SimObjects.withTaint((Node) o, key, effect));
    }

    @Override
    public String toString() {
      return effect.isEmpty() ? "untaint node " + name + " " + key : "taint node " + name + " " + key + ":" + effect;
    }
  }

  /**
   * A node is lost (Ready=False and the unreachable NoExecute taint, as the node lifecycle
   * controller writes; its CSI node plugin stops answering) or returns (Ready=True, taint
   * removed, the plugin answers again).
   */
  record SetNodeReady(String name, boolean ready) implements Step {
    @Override
    public void run(Cluster c) {
      c.update(nodeKey(name), o -> {
        Node n = SimObjects.withReady((Node) o, ready);
        return ready ? SimObjects.withTaint(n, SimObjects.OUT_OF_SERVICE_TAINT, "") : n;
      });
      c.driver().nodeReachable(name, ready);
    }

    @Override
    public String toString() {
      return (ready ? "node returns " : "node lost ") + name;
    }
  }

  /**
   * A node is shut down for good (non-graceful node shutdown): Ready=False with the unreachable
   * taint, its CSI plugin stops answering and its mounts are gone with the machine; then the
   * administrator marks it {@code node.kubernetes.io/out-of-service}, which lets its pods be
   * deleted and its volumes be detached by force. {@link SetNodeReady} with {@code true} brings it
   * back (and the administrator removes the out-of-service taint).
   */
  record ShutdownNode(String name) implements Step {
    @Override
    public void run(Cluster c) {
      if (!c.state().contains(nodeKey(name))) {
        return;
      }
      c.update(nodeKey(name), o -> SimObjects.withReady((Node) o, false));
      c.driver().nodeReachable(name, false);
      c.driver().destroyNode(name);
      c.update(nodeKey(name), o -> SimObjects.withTaint((Node) o, SimObjects.OUT_OF_SERVICE_TAINT, "NoExecute"));
    }

    @Override
    public String toString() {
      return "node shut down " + name + " (marked out-of-service)";
    }
  }

  /** Virtual time passes. */
  record AdvanceTime(Duration duration) implements Step {
    @Override
    public void run(Cluster c) {
      c.advance(duration);
    }

    @Override
    public String toString() {
      return "time passes " + duration.toMillis() + "ms";
    }
  }

  /** The engine settles (faults continue). */
  record Settle() implements Step {
    @Override
    public void run(Cluster c) {
      c.settle();
    }

    @Override
    public String toString() {
      return "settle";
    }
  }

  /** The CSI driver restarts, keeping or losing its in-flight work, and is down for a while. */
  record RestartDriver(boolean keepInFlight, Duration downtime) implements Step {
    @Override
    public void run(Cluster c) {
      c.driver().restart(keepInFlight, downtime);
    }

    @Override
    public String toString() {
      return "driver restarts (" + (keepInFlight ? "keeps" : "loses") + " in-flight work, down "
          + downtime.toMillis() + "ms)";
    }
  }

  /** The key of a simulated StatefulSet. */
  static ObjectKey statefulSetKey(String name) {
    return ObjectKey.namespaced(StatefulSet.KIND, SimObjects.NAMESPACE, name);
  }

  /** Creates a StatefulSet ({@link SimObjects#statefulSet}). */
  record CreateStatefulSet(String name, int replicas, boolean parallel, String whenDeleted, String whenScaled)
      implements Step {
    @Override
    public void run(Cluster c) {
      c.create(SimObjects.statefulSet(name, replicas, parallel, whenDeleted, whenScaled));
    }

    @Override
    public String toString() {
      return "create statefulset " + name + " replicas=" + replicas + (parallel ? " Parallel" : " OrderedReady")
          + " whenDeleted=" + whenDeleted + " whenScaled=" + whenScaled;
    }
  }

  /** Scales a StatefulSet (sets {@code spec.replicas}, as {@code kubectl scale} does). */
  record ScaleStatefulSet(String name, int replicas) implements Step {
    @Override
    public void run(Cluster c) {
      c.update(statefulSetKey(name), o -> {
        StatefulSet s = (StatefulSet) o;
        return s.withSpec(s.spec().withReplicas(Optional.of(replicas)));
      });
    }

    @Override
    public String toString() {
      return "scale statefulset " + name + " to " + replicas;
    }
  }

  /** Deletes a StatefulSet (background cascading: the garbage collector deletes what it owns). */
  record DeleteStatefulSet(String name) implements Step {
    @Override
    public void run(Cluster c) {
      c.delete(statefulSetKey(name));
    }

    @Override
    public String toString() {
      return "delete statefulset " + name;
    }
  }
}
