package io.volumekit.testkit;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.model.apps.StatefulSet;
import io.volumekit.model.apps.StatefulSetBuilder;
import io.volumekit.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy;
import io.volumekit.model.apps.StatefulSetSpec;
import io.volumekit.model.apps.StatefulSetSpecBuilder;
import io.volumekit.model.core.CSIPersistentVolumeSourceBuilder;
import io.volumekit.model.core.ContainerBuilder;
import io.volumekit.model.core.PodTemplateSpec;
import io.volumekit.model.meta.LabelSelector;
import io.volumekit.model.core.EphemeralVolumeSource;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.NodeBuilder;
import io.volumekit.model.core.NodeCondition;
import io.volumekit.model.core.NodeConditionBuilder;
import io.volumekit.model.core.NodeSpecBuilder;
import io.volumekit.model.core.NodeStatusBuilder;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeBuilder;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimBuilder;
import io.volumekit.model.core.PersistentVolumeClaimSpecBuilder;
import io.volumekit.model.core.PersistentVolumeClaimTemplate;
import io.volumekit.model.core.PersistentVolumeClaimVolumeSource;
import io.volumekit.model.core.PersistentVolumeSpecBuilder;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodBuilder;
import io.volumekit.model.core.PodSpecBuilder;
import io.volumekit.model.core.ResourceRequirementsBuilder;
import io.volumekit.model.core.Secret;
import io.volumekit.model.core.SecretBuilder;
import io.volumekit.model.core.Taint;
import io.volumekit.model.core.TaintBuilder;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectMetaBuilder;
import io.volumekit.model.quantity.Quantity;
import io.volumekit.model.storage.StorageClass;
import io.volumekit.model.storage.StorageClassBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builders for the objects a simulated history creates: minimal, valid, Kubernetes-shaped.
 * Every claim and pod lives in namespace {@link #NAMESPACE}.
 */
public final class SimObjects {

  private SimObjects() {}

  /** The namespace of every simulated claim and pod. */
  public static final String NAMESPACE = "default";

  /** The CSI driver name the simulation registers its driver under. */
  public static final String DRIVER = "memory.csi.volumekit.io";

  /** The mutable parameters (VolumeAttributesClass parameters) the simulated driver accepts. */
  public static final java.util.Set<String> MUTABLE_PARAMETER_KEYS = java.util.Set.of("iops", "throughput");

  /** The taint an administrator puts on a node that is shut down (non-graceful node shutdown). */
  public static final String OUT_OF_SERVICE_TAINT = "node.kubernetes.io/out-of-service";

  /** The taint a node controller puts on an unreachable node. */
  public static final String UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";

  /** The name of the secret a claim of a {@link #securedClass} class needs: {@code <claim>-creds}. */
  public static String secretOf(String claim) {
    return claim + "-creds";
  }

  /** A Secret in {@link #NAMESPACE} (its value is a constant: the simulation never checks data). */
  public static Secret secret(String name) {
    return SecretBuilder.builder().metadata(ObjectMeta.named(NAMESPACE, name))
        .stringData(ImmutableMap.of("password", "sim")).build();
  }

  /**
   * An Immediate/Delete StorageClass of the simulated driver whose provisioner, controller-publish
   * and node-stage secrets are {@code ${pvc.name}-creds} in the claim's namespace: each claim
   * needs its own secret to be provisioned, and its volume's DeleteVolume, ControllerPublish and
   * NodeStage read it.
   */
  public static StorageClass securedClass(String name) {
    StorageClass sc = storageClass(name, "Delete", "Immediate", false);
    ImmutableMap.Builder<String, String> p = ImmutableMap.builder();
    for (String op : List.of("provisioner", "controller-publish", "node-stage")) {
      p.put("csi.storage.k8s.io/" + op + "-secret-name", "${pvc.name}-creds");
      p.put("csi.storage.k8s.io/" + op + "-secret-namespace", "${pvc.namespace}");
    }
    return sc.withParameters(p.build());
  }

  /** A StorageClass of the simulated driver. */
  public static StorageClass storageClass(String name, String reclaimPolicy, String bindingMode, boolean isDefault) {
    ObjectMeta meta = ObjectMeta.named(name);
    if (isDefault) {
      meta = meta.withAnnotation(StorageClass.IS_DEFAULT_CLASS, "true");
    }
    return StorageClassBuilder.builder()
        .metadata(meta)
        .provisioner(DRIVER)
        .reclaimPolicy(Optional.of(reclaimPolicy))
        .volumeBindingMode(Optional.of(bindingMode))
        .allowVolumeExpansion(Optional.of(true))
        .build();
  }

  /**
   * A claim of the size (bytes) and access modes; {@code storageClass} empty means "unset" (the
   * default class applies), {@code volumeName} pre-binds it when not empty.
   */
  public static PersistentVolumeClaim claim(
      String name, Optional<String> storageClass, long bytes, List<String> accessModes, String volumeName) {
    return PersistentVolumeClaimBuilder.builder()
        .metadata(ObjectMeta.named(NAMESPACE, name))
        .spec(PersistentVolumeClaimSpecBuilder.builder()
            .accessModes(ImmutableList.copyOf(accessModes))
            .storageClassName(storageClass)
            .volumeName(volumeName.isEmpty() ? Optional.empty() : Optional.of(volumeName))
            .resources(ResourceRequirementsBuilder.builder()
                .requests(ImmutableMap.of("storage", Quantity.ofBytes(bytes))).build())
            .build())
        .build();
  }

  /** A statically provisioned CSI PV over the backing volume {@code handle}. */
  public static PersistentVolume volume(
      String name, String storageClass, long bytes, List<String> accessModes, String reclaimPolicy, String handle) {
    return PersistentVolumeBuilder.builder()
        .metadata(ObjectMeta.named(name))
        .spec(PersistentVolumeSpecBuilder.builder()
            .capacity(ImmutableMap.of("storage", Quantity.ofBytes(bytes)))
            .accessModes(ImmutableList.copyOf(accessModes))
            .persistentVolumeReclaimPolicy(Optional.of(reclaimPolicy))
            .storageClassName(storageClass)
            .csi(Optional.of(CSIPersistentVolumeSourceBuilder.builder().driver(DRIVER).volumeHandle(handle).build()))
            .build())
        .build();
  }

  /** A pod using the claims, bound to the node if {@code node} is not empty. */
  public static Pod pod(String name, String node, List<String> claims) {
    return pod(name, node, claims, "");
  }

  /**
   * A pod using the claims, bound to the node if {@code node} is not empty, and with a generic
   * ephemeral volume {@code scratch} (claim {@code <pod>-scratch}, 1 GiB RWO) of the class {@code
   * ephemeralClass} unless it is empty.
   */
  public static Pod pod(String name, String node, List<String> claims, String ephemeralClass) {
    List<io.volumekit.model.core.Volume> vols = new ArrayList<>();
    for (String c : claims) {
      vols.add(VolumeBuilder.builder().name("vol-" + c)
          .persistentVolumeClaim(Optional.of(new PersistentVolumeClaimVolumeSource(c, Optional.empty())))
          .build());
    }
    if (!ephemeralClass.isEmpty()) {
      vols.add(VolumeBuilder.builder().name("scratch")
          .ephemeral(Optional.of(new EphemeralVolumeSource(Optional.of(new PersistentVolumeClaimTemplate(
              Optional.empty(),
              PersistentVolumeClaimSpecBuilder.builder()
                  .accessModes(ImmutableList.of("ReadWriteOnce"))
                  .storageClassName(Optional.of(ephemeralClass))
                  .resources(ResourceRequirementsBuilder.builder()
                      .requests(ImmutableMap.of("storage", Quantity.ofBytes(1L << 30))).build())
                  .build())))))
          .build());
    }
    return PodBuilder.builder()
        .metadata(ObjectMeta.named(NAMESPACE, name))
        .spec(PodSpecBuilder.builder()
            .volumes(ImmutableList.copyOf(vols))
            .containers(ImmutableList.of(io.volumekit.model.core.ContainerBuilder.builder()
                .name("app").image(Optional.of("busybox")).build()))
            .nodeName(node.isEmpty() ? Optional.empty() : Optional.of(node))
            .build())
        .build();
  }

  /**
   * A pod whose container mounts the claims {@code mounts} ({@code volumeMounts} at {@code
   * /data/<claim>}) and maps the claims {@code devices} ({@code volumeDevices} at {@code
   * /dev/<claim>}), each through the pod volume {@code vol-<claim>}; bound to the node if {@code
   * node} is not empty. A claim in both lists is mapped only.
   */
  public static Pod podWithDevices(String name, String node, List<String> mounts, List<String> devices) {
    List<String> claims = new ArrayList<>(devices);
    List<io.volumekit.model.core.VolumeMount> volumeMounts = new ArrayList<>();
    for (String c : mounts) {
      if (!claims.contains(c)) {
        claims.add(c);
        volumeMounts.add(io.volumekit.model.core.VolumeMount.of("vol-" + c, "/data/" + c));
      }
    }
    List<io.volumekit.model.core.VolumeDevice> volumeDevices = new ArrayList<>();
    for (String c : devices) {
      volumeDevices.add(new io.volumekit.model.core.VolumeDevice("vol-" + c, "/dev/" + c));
    }
    Pod p = pod(name, node, claims, "");
    io.volumekit.model.core.Container app = p.spec().containers().get(0)
        .withVolumeMounts(ImmutableList.copyOf(volumeMounts)).withVolumeDevices(ImmutableList.copyOf(volumeDevices));
    return p.withSpec(p.spec().withContainers(ImmutableList.of(app)));
  }

  /** A Ready node labelled {@code kubernetes.io/hostname=<name>}. */
  public static Node node(String name) {
    return NodeBuilder.builder()
        .metadata(ObjectMetaBuilder.builder().name(name)
            .labels(ImmutableMap.of("kubernetes.io/hostname", name)).build())
        .spec(NodeSpecBuilder.builder().build())
        .status(NodeStatusBuilder.builder().conditions(ImmutableList.of(ready(true))).build())
        .build();
  }

  /** The node with its Ready condition set, and the unreachable NoExecute taint when not ready. */
  public static Node withReady(Node node, boolean ready) {
    List<Taint> taints = new ArrayList<>();
    for (Taint t : node.spec().taints()) {
      if (!t.key().equals(UNREACHABLE_TAINT)) {
        taints.add(t);
      }
    }
    if (!ready) {
      taints.add(taint(UNREACHABLE_TAINT, "NoExecute"));
    }
    List<NodeCondition> conditions = new ArrayList<>();
    for (NodeCondition c : node.status().conditions()) {
      if (!c.type().equals("Ready")) {
        conditions.add(c);
      }
    }
    conditions.add(ready(ready));
    return node.withSpec(node.spec().withTaints(ImmutableList.copyOf(taints)))
        .withStatus(node.status().withConditions(ImmutableList.copyOf(conditions)));
  }

  /** The node with the taint added, or removed if {@code effect} is empty. */
  public static Node withTaint(Node node, String key, String effect) {
    List<Taint> taints = new ArrayList<>();
    for (Taint t : node.spec().taints()) {
      if (!t.key().equals(key)) {
        taints.add(t);
      }
    }
    if (!effect.isEmpty()) {
      taints.add(taint(key, effect));
    }
    return node.withSpec(node.spec().withTaints(ImmutableList.copyOf(taints)));
  }

  private static Taint taint(String key, String effect) {
    return TaintBuilder.builder().key(key).effect(effect).build();
  }

  private static NodeCondition ready(boolean ready) {
    return NodeConditionBuilder.builder().type("Ready").status(ready ? "True" : "False")
        .reason(Optional.of(ready ? "KubeletReady" : "NodeStatusUnknown")).build();
  }

  /**
   * A StatefulSet {@code name} of {@code replicas} pods labelled app=&lt;name&gt;, each with a claim
   * {@code data-<name>-<ordinal>} (1Gi, ReadWriteOnce, class {@code fast}), OrderedReady or Parallel,
   * with the retention policy.
   */
  public static StatefulSet statefulSet(String name, int replicas, boolean parallel, String whenDeleted,
      String whenScaled) {
    PersistentVolumeClaim template = PersistentVolumeClaimBuilder.builder()
        .metadata(ObjectMeta.named("data"))
        .spec(PersistentVolumeClaimSpecBuilder.builder()
            .accessModes(ImmutableList.of("ReadWriteOnce"))
            .storageClassName(Optional.of("fast"))
            .resources(ResourceRequirementsBuilder.builder()
                .requests(ImmutableMap.of("storage", Quantity.ofBytes(1L << 30))).build())
            .build())
        .build();
    PodTemplateSpec pod = new PodTemplateSpec(
        ObjectMetaBuilder.builder().labels(ImmutableMap.of("app", name)).build(),
        PodSpecBuilder.builder().containers(ImmutableList.of(
            ContainerBuilder.builder().name("app").image(Optional.of("busybox")).build())).build());
    StatefulSetSpec spec = StatefulSetSpecBuilder.builder()
        .replicas(Optional.of(replicas))
        .selector(Optional.of(LabelSelector.of(java.util.Map.of("app", name))))
        .template(pod)
        .podManagementPolicy(Optional.of(parallel ? StatefulSetSpec.PARALLEL : StatefulSetSpec.ORDERED_READY))
        .persistentVolumeClaimRetentionPolicy(Optional.of(new StatefulSetPersistentVolumeClaimRetentionPolicy(
            Optional.of(whenDeleted), Optional.of(whenScaled))))
        .volumeClaimTemplates(ImmutableList.of(template))
        .build();
    return StatefulSetBuilder.builder().metadata(ObjectMeta.named(NAMESPACE, name)).spec(spec).build();
  }
}
