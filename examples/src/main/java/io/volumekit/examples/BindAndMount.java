package io.volumekit.examples;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.mount.PodVolumes;
import io.volumekit.model.core.ContainerBuilder;
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
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.core.VolumeMount;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.quantity.Quantity;
import io.volumekit.model.storage.StorageClass;
import io.volumekit.model.storage.StorageClassBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Binding, provisioning and mounting with the in-memory CSI driver, objects built in Java.
 *
 * <p>Two claims: {@code static-claim} binds to a PersistentVolume an administrator made in advance
 * (static provisioning), {@code dynamic-claim} gets a new volume from its StorageClass (dynamic
 * provisioning). A pod uses both; once it runs, {@link VolumeKit#podVolumes} says where each of its
 * volume mounts is on the host, as a container runtime would be told.
 *
 * <pre>
 * mvn -q -pl examples compile exec:java -Dexec.mainClass=io.volumekit.examples.BindAndMount
 * </pre>
 */
public final class BindAndMount {

  /** The in-memory driver's name; StorageClasses name it as their provisioner. */
  static final String DRIVER = "memory.csi.volumekit.io";

  /**
   * What the example saw.
   *
   * @param volumeOfClaim each claim's bound PersistentVolume
   * @param hostPathOfMount each container mount path's host path
   * @param podRunning whether the pod was Running with its volumes mounted
   */
  public record Outcome(Map<String, String> volumeOfClaim, Map<String, Path> hostPathOfMount, boolean podRunning) {}

  private BindAndMount() {}

  /** Runs the example in a new temporary directory, printing to standard output. */
  public static void main(String[] args) throws IOException {
    run(System.out, Files.createTempDirectory("volumekit-bind-and-mount"));
  }

  /** Runs the example, printing to {@code out}; the kubelet's directories go under {@code workDir}. */
  public static Outcome run(PrintStream out, Path workDir) {
    // 1. An engine with one node and one CSI driver. deterministic(seed) makes the run repeatable:
    //    a virtual clock, CSI calls on this thread, seeded uids.
    VolumeKit kit = VolumeKit.builder()
        .driver(DRIVER, new InMemoryCsiDriver())
        .node("node-1")
        .kubeletRoot(workDir.resolve("kubelet"))
        .deterministic(42)
        .build();

    // 2. Static provisioning: an administrator's 5Gi volume of no class ("").
    kit.apply(PersistentVolumeBuilder.builder()
        .metadata(ObjectMeta.named("static-pv"))
        .spec(PersistentVolumeSpecBuilder.builder()
            .storageClassName("")
            .capacity(ImmutableMap.of("storage", Quantity.parse("5Gi")))
            .accessModes(ImmutableList.of("ReadWriteOnce"))
            .persistentVolumeReclaimPolicy(Optional.of("Retain"))
            .hostPath(Optional.of(HostPathVolumeSourceBuilder.builder()
                .path(workDir.resolve("static-pv").toString()).build()))
            .build())
        .build());
    kit.apply(claim("static-claim", "", "1Gi")); // class "" = only volumes without a class

    // 3. Dynamic provisioning: a class whose provisioner is the driver; Immediate binding means
    //    the volume is created as soon as the claim exists, before any pod uses it.
    kit.apply(StorageClassBuilder.builder()
        .metadata(ObjectMeta.named("fast"))
        .provisioner(DRIVER)
        .reclaimPolicy(Optional.of("Delete"))
        .volumeBindingMode(Optional.of("Immediate"))
        .build());
    kit.apply(claim("dynamic-claim", "fast", "2Gi"));

    // 4. A pod using both claims. It names no node: the scheduler places it.
    kit.apply(PodBuilder.builder()
        .metadata(ObjectMeta.named("default", "app"))
        .spec(PodSpecBuilder.builder()
            .containers(ImmutableList.of(ContainerBuilder.builder()
                .name("app")
                .image(Optional.of("busybox"))
                .volumeMounts(ImmutableList.of(VolumeMount.of("config", "/etc/app"), VolumeMount.of("data", "/data")))
                .build()))
            .volumes(ImmutableList.of(claimVolume("config", "static-claim"), claimVolume("data", "dynamic-claim")))
            .build())
        .build());

    // 5. Let the controllers run until nothing is left to do: bind, provision, schedule, attach,
    //    stage, publish. In Kubernetes this is the cluster converging.
    kit.settle();

    Map<String, String> volumeOfClaim = new LinkedHashMap<>();
    for (PersistentVolumeClaim c : kit.list(PersistentVolumeClaim.class)) {
      String pv = c.volumeName().orElse("<none>");
      volumeOfClaim.put(c.metadata().name(), pv);
      out.printf("claim %-14s %-8s volume %s%n", c.metadata().name(), c.phase(), pv);
    }
    for (PersistentVolume pv : kit.list(PersistentVolume.class)) {
      out.printf("volume %-40s %-8s reclaim %s%n", pv.metadata().name(), pv.phase(), pv.reclaimPolicy());
    }

    // 6. Where the container runtime would find each volume mount on the host.
    Pod pod = kit.get(Pod.class, "default", "app").orElseThrow();
    PodVolumes volumes = kit.podVolumes(pod);
    out.printf("pod app on %s, %s%n", pod.nodeName().orElse("<no node>"),
        volumes.ready() ? "Running with its volumes mounted" : "not ready");
    Map<String, Path> hostPathOfMount = new LinkedHashMap<>();
    for (PodVolumes.Mount m : volumes.mounts()) {
      m.hostPath().ifPresent(p -> hostPathOfMount.put(m.mountPath(), p));
      out.printf("  %s:%s -> %s%n", m.container(), m.mountPath(),
          m.hostPath().map(Path::toString).orElse("(" + m.error().orElse("not mounted") + ")"));
    }
    return new Outcome(volumeOfClaim, hostPathOfMount, volumes.ready());
  }

  /** A ReadWriteOnce claim in the default namespace. */
  private static PersistentVolumeClaim claim(String name, String storageClass, String size) {
    return PersistentVolumeClaimBuilder.builder()
        .metadata(ObjectMeta.named("default", name))
        .spec(PersistentVolumeClaimSpecBuilder.builder()
            .storageClassName(Optional.of(storageClass))
            .accessModes(ImmutableList.of("ReadWriteOnce"))
            .resources(ResourceRequirementsBuilder.builder()
                .requests(ImmutableMap.of("storage", Quantity.parse(size))).build())
            .build())
        .build();
  }

  /** A pod volume backed by a claim. */
  private static Volume claimVolume(String name, String claim) {
    return VolumeBuilder.builder().name(name)
        .persistentVolumeClaim(Optional.of(new PersistentVolumeClaimVolumeSource(claim, Optional.empty())))
        .build();
  }
}
