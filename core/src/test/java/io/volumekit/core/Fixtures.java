package io.volumekit.core;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.ListVolumesRequest;
import io.volumekit.core.csi.ListVolumesResponse;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.CSIPersistentVolumeSourceBuilder;
import io.volumekit.model.core.Event;
import io.volumekit.model.core.HostPathVolumeSource;
import io.volumekit.model.core.HostPathVolumeSourceBuilder;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeBuilder;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimBuilder;
import io.volumekit.model.core.PersistentVolumeClaimSpecBuilder;
import io.volumekit.model.core.PersistentVolumeClaimVolumeSource;
import io.volumekit.model.core.PersistentVolumeSpecBuilder;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodBuilder;
import io.volumekit.model.core.PodSpecBuilder;
import io.volumekit.model.core.ResourceRequirementsBuilder;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectMetaBuilder;
import io.volumekit.model.meta.ObjectReference;
import io.volumekit.model.quantity.Quantity;
import io.volumekit.model.storage.StorageClass;
import io.volumekit.model.storage.StorageClassBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Small builders for the objects the control-plane tests use. */
public final class Fixtures {

  private Fixtures() {}

  public static final String NS = "default";
  public static final String DRIVER = "memory.csi.volumekit.io";
  public static final String RWO = "ReadWriteOnce";
  public static final String ROX = "ReadOnlyMany";
  public static final String RWX = "ReadWriteMany";

  /** A static hostPath PV with Retain policy, class "", RWO, of the size. */
  public static PersistentVolume pv(String name, String size) {
    return PersistentVolumeBuilder.builder()
        .metadata(ObjectMeta.named(name))
        .spec(PersistentVolumeSpecBuilder.builder()
            .capacity(ImmutableMap.of("storage", Quantity.parse(size)))
            .accessModes(ImmutableList.of(RWO))
            .persistentVolumeReclaimPolicy(Optional.of("Retain"))
            .hostPath(Optional.of(HostPathVolumeSourceBuilder.builder().path("/data/" + name).build()))
            .build())
        .build();
  }

  /** A static CSI PV of the driver. */
  public static PersistentVolume csiPv(String name, String size, String handle) {
    PersistentVolume p = pv(name, size);
    return p.withSpec(p.spec().withHostPath(Optional.<HostPathVolumeSource>empty())
        .withCsi(Optional.of(CSIPersistentVolumeSourceBuilder.builder().driver(DRIVER).volumeHandle(handle).build())));
  }

  public static PersistentVolume withClass(PersistentVolume pv, String cls) {
    return pv.withSpec(pv.spec().withStorageClassName(cls));
  }

  public static PersistentVolume withModes(PersistentVolume pv, String... modes) {
    return pv.withSpec(pv.spec().withAccessModes(ImmutableList.copyOf(modes)));
  }

  public static PersistentVolume withPolicy(PersistentVolume pv, String policy) {
    return pv.withSpec(pv.spec().withPersistentVolumeReclaimPolicy(Optional.of(policy)));
  }

  public static PersistentVolume withLabels(PersistentVolume pv, String key, String value) {
    return pv.withMetadata(pv.metadata().withLabels(ImmutableMap.of(key, value)));
  }

  public static PersistentVolume preBound(PersistentVolume pv, String claim, String uid) {
    return pv.withSpec(pv.spec().withClaimRef(Optional.of(new ObjectReference(Optional.empty(),
        Optional.of(NS), Optional.of(claim), uid.isEmpty() ? Optional.empty() : Optional.of(uid),
        Optional.empty(), Optional.empty(), Optional.empty()))));
  }

  /** A claim of the size with class unset (nil), RWO. */
  public static PersistentVolumeClaim pvc(String name, String size) {
    return PersistentVolumeClaimBuilder.builder()
        .metadata(ObjectMeta.named(NS, name))
        .spec(PersistentVolumeClaimSpecBuilder.builder()
            .accessModes(ImmutableList.of(RWO))
            .resources(ResourceRequirementsBuilder.builder()
                .requests(ImmutableMap.of("storage", Quantity.parse(size))).build())
            .build())
        .build();
  }

  public static PersistentVolumeClaim withClass(PersistentVolumeClaim c, String cls) {
    return c.withSpec(c.spec().withStorageClassName(Optional.of(cls)));
  }

  public static PersistentVolumeClaim withModes(PersistentVolumeClaim c, String... modes) {
    return c.withSpec(c.spec().withAccessModes(ImmutableList.copyOf(modes)));
  }

  public static PersistentVolumeClaim withVolumeName(PersistentVolumeClaim c, String pv) {
    return c.withSpec(c.spec().withVolumeName(Optional.of(pv)));
  }

  /** A StorageClass for the in-memory driver, Immediate, Delete. */
  public static StorageClass sc(String name) {
    return sc(name, DRIVER);
  }

  public static StorageClass sc(String name, String provisioner) {
    return StorageClassBuilder.builder()
        .metadata(ObjectMeta.named(name))
        .provisioner(provisioner)
        .reclaimPolicy(Optional.of("Delete"))
        .volumeBindingMode(Optional.of("Immediate"))
        .build();
  }

  public static StorageClass wffc(StorageClass sc) {
    return sc.withVolumeBindingMode(Optional.of("WaitForFirstConsumer"));
  }

  public static StorageClass asDefault(StorageClass sc) {
    return sc.withMetadata(sc.metadata().withAnnotation(StorageClass.IS_DEFAULT_CLASS, "true"));
  }

  /** A pod using the claims, on the node (empty = unscheduled). */
  public static Pod pod(String name, String node, String... claims) {
    List<io.volumekit.model.core.Volume> vols = new ArrayList<>();
    for (String c : new java.util.LinkedHashSet<>(List.of(claims))) {
      vols.add(VolumeBuilder.builder().name("v-" + c)
          .persistentVolumeClaim(Optional.of(new PersistentVolumeClaimVolumeSource(c, Optional.empty())))
          .build());
    }
    return PodBuilder.builder()
        .metadata(ObjectMeta.named(NS, name))
        .spec(PodSpecBuilder.builder().volumes(ImmutableList.copyOf(vols))
            .containers(ImmutableList.of(io.volumekit.model.core.ContainerBuilder.builder()
                .name("app").image(java.util.Optional.of("busybox:1.36")).build()))
            .nodeName(node.isEmpty() ? Optional.empty() : Optional.of(node)).build())
        .build();
  }

  public static ObjectKey pvKey(String name) {
    return ObjectKey.cluster(PersistentVolume.KIND, name);
  }

  public static ObjectKey pvcKey(String name) {
    return ObjectKey.namespaced(PersistentVolumeClaim.KIND, NS, name);
  }

  /** Reasons of the events about the object, oldest first. */
  public static List<String> reasons(VolumeKit kit, ObjectKey key) {
    return kit.events(key).stream().map(e -> e.reason().orElse("")).collect(Collectors.toList());
  }

  /** "Reason: message" of the events about the object. */
  public static List<String> eventTexts(VolumeKit kit, ObjectKey key) {
    return kit.events(key).stream().map(e -> e.reason().orElse("") + ": " + e.message().orElse(""))
        .collect(Collectors.toList());
  }

  /** Volume ids the driver holds. */
  public static List<String> driverVolumes(CsiDriver d) {
    ListVolumesResponse r = d.listVolumes(ListVolumesRequest.firstPage(0));
    return r.entries().stream().map(e -> e.volume().volumeId()).sorted().collect(Collectors.toList());
  }

  public static ObjectMeta meta(String name) {
    return ObjectMetaBuilder.builder().name(name).build();
  }

  public static List<Event> all(VolumeKit kit) {
    return kit.events();
  }
}
