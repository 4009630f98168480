package io.volumekit.examples;

import io.volumekit.core.VolumeKit;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.mount.PodVolumes;
import io.volumekit.core.populator.PopulateException;
import io.volumekit.core.populator.PopulateRequest;
import io.volumekit.core.populator.Populator;
import io.volumekit.csi.hostpath.HostPathConfig;
import io.volumekit.csi.hostpath.HostPathDriver;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.populator.SourceKind;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A volume populator plugged into the engine: volumekit's version of lib-volume-populator's {@code
 * hello-populator}. A claim whose {@code dataSourceRef} names a {@code Hello} (group {@code
 * hello.example.com}) gets a volume that already holds the file {@code spec.fileName} with {@code
 * spec.fileContents} (a newline added if missing), written before the claim is bound.
 *
 * <p>The engine does the populator machinery (a prime claim in namespace {@code hello}, a populator
 * pod mounting it, the rebind of the filled volume to the user's claim); this class only writes the
 * file into the mounted volume. volumekit stores no custom resources, so the {@code Hello} objects
 * are given to the populator with {@link #define} instead of {@code kubectl apply}; a claim naming
 * one that is not defined gets a {@code PopulatorFailed} event and waits.
 *
 * <pre>
 * mvn -q -pl examples compile exec:java -Dexec.mainClass=io.volumekit.examples.HelloPopulator
 * </pre>
 */
public final class HelloPopulator implements Populator {

  /** The data source's API group, also the populator's prefix (annotations, finalizer, events). */
  public static final String GROUP = "hello.example.com";
  /** The data source's kind. */
  public static final String KIND = "Hello";

  /**
   * A {@code Hello} data source's spec: the file to write into the volume and its contents.
   *
   * @param fileName a file name (no directory part)
   * @param fileContents what the file holds
   */
  public record Hello(String fileName, String fileContents) {
    public Hello {
      Objects.requireNonNull(fileName, "fileName");
      Objects.requireNonNull(fileContents, "fileContents");
    }
  }

  private final Map<String, Hello> hellos = new ConcurrentHashMap<>();

  /** Defines (or replaces) the {@code Hello} object {@code namespace/name}. */
  public HelloPopulator define(String namespace, String name, Hello hello) {
    hellos.put(namespace + "/" + name, Objects.requireNonNull(hello, "hello"));
    return this;
  }

  @Override
  public SourceKind sourceKind() {
    return new SourceKind(GROUP, KIND);
  }

  @Override
  public String namespace() {
    return "hello"; // hello-populator's default --namespace
  }

  @Override
  public void populate(PopulateRequest request) throws PopulateException, IOException {
    String key = request.sourceNamespace() + "/" + request.dataSource().name();
    Hello hello = hellos.get(key);
    if (hello == null) {
      throw new PopulateException(KIND + "." + GROUP + " \"" + key + "\" not found");
    }
    if (hello.fileName().isEmpty() || hello.fileContents().isEmpty()) {
      throw new PopulateException("Missing required arg: spec.fileName and spec.fileContents must not be empty");
    }
    Path target = request.path().orElseThrow(() -> new PopulateException("the volume is not mounted"));
    String contents = hello.fileContents().endsWith("\n") ? hello.fileContents() : hello.fileContents() + "\n";
    byte[] bytes = contents.getBytes(StandardCharsets.UTF_8);
    if (request.block()) {
      Files.write(target, bytes, StandardOpenOption.WRITE); // the raw device: the contents at offset 0
      return;
    }
    Path file = target.resolve(hello.fileName()).normalize();
    if (!file.getParent().equals(target.normalize()) || hello.fileName().contains("/")) {
      throw new PopulateException("spec.fileName: Invalid value: \"" + hello.fileName() + "\": must be a file name");
    }
    Files.write(file, bytes);
  }

  /** A class, a Hello-populated claim and a pod reading it: what a user would {@code kubectl apply}. */
  static final String MANIFESTS = """
      apiVersion: storage.k8s.io/v1
      kind: StorageClass
      metadata:
        name: hostpath
      provisioner: hostpath.csi.volumekit.io
      reclaimPolicy: Delete
      volumeBindingMode: WaitForFirstConsumer
      ---
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: greeted
      spec:
        storageClassName: hostpath
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 1Gi
        dataSourceRef:
          apiGroup: hello.example.com
          kind: Hello
          name: greeting
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: reader
      spec:
        containers:
          - name: reader
            image: busybox
            command: ["cat", "/data/hello.txt"]
            volumeMounts:
              - name: data
                mountPath: /data
        volumes:
          - name: data
            persistentVolumeClaim:
              claimName: greeted
      """;

  /**
   * What the example saw.
   *
   * @param volume the claim's PersistentVolume
   * @param populatedFrom the PV's {@code hello.example.com/populated-from} annotation
   * @param readThroughPod the file as the reader pod sees it through its mount
   * @param events the claim's events, {@code reason: message}
   */
  public record Outcome(String volume, String populatedFrom, String readThroughPod, java.util.List<String> events) {}

  /** Runs the example in a new temporary directory, printing to standard output. */
  public static void main(String[] args) throws IOException {
    run(System.out, Files.createTempDirectory("volumekit-hello-populator"));
  }

  /** Runs the example, printing to {@code out}; volumes and kubelet directories go under {@code workDir}. */
  public static Outcome run(PrintStream out, Path workDir) throws IOException {
    // 1. The populator, with the Hello object the claim will name.
    HelloPopulator hello = new HelloPopulator()
        .define("default", "greeting", new Hello("hello.txt", "Hello, world!"));
    // 2. An engine with the hostpath driver (volumes are directories) and the populator plugged in.
    HostPathDriver hostpath = new HostPathDriver(HostPathConfig.of(workDir.resolve("data"), "node-1"));
    VolumeKit kit = VolumeKit.builder()
        .driver(HostPathDriver.DRIVER_NAME, hostpath)
        .node("node-1")
        .kubeletRoot(workDir.resolve("kubelet"))
        .populator(hello)
        .deterministic(42) // a virtual clock: retries and backoff cost no real time
        .build();
    // 3. The claim waits for its first consumer; the pod makes the scheduler pick node-1, the
    //    populator fills a volume there, and the volume is bound to the claim before the pod mounts it.
    Kubectl.apply(kit, MANIFESTS);
    kit.settle();

    PersistentVolumeClaim claim = kit.get(PersistentVolumeClaim.class, "default", "greeted").orElseThrow();
    java.util.List<String> events = kit.events(ObjectKey.of(claim)).stream()
        .map(e -> e.reason().orElse("") + ": " + e.message().orElse("")).toList();
    events.forEach(e -> out.println("  event " + e));
    if (!claim.isBound()) {
      throw new IllegalStateException("claim greeted is " + claim.phase() + ", not Bound");
    }
    PersistentVolume pv = kit.get(PersistentVolume.class, "", claim.volumeName().orElseThrow()).orElseThrow();
    String from = pv.metadata().annotation(GROUP + "/populated-from").orElse("");
    out.println("claim greeted Bound to " + pv.metadata().name() + ", populated from " + from);

    // 4. Read the file as the reader pod's container would.
    PodVolumes volumes = kit.podVolumes(ObjectKey.namespaced(Pod.KIND, "default", "reader"));
    Path mountedAt = volumes.mounts().get(0).hostPath().orElseThrow();
    String read = Files.readString(mountedAt.resolve("hello.txt"));
    out.print("pod reader " + (volumes.ready() ? "Running" : "not ready") + ", /data/hello.txt: " + read);

    // 5. Tear down: the pod's volume is unmounted before the pod goes; the claim's volume is deleted.
    kit.delete(ObjectKey.namespaced(Pod.KIND, "default", "reader"));
    kit.settle();
    kit.delete(ObjectKey.of(claim));
    kit.settle();
    return new Outcome(pv.metadata().name(), from, read, events);
  }
}
