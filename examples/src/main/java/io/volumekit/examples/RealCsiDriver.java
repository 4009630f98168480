package io.volumekit.examples;

import io.volumekit.core.VolumeKit;
import io.volumekit.core.mount.PodVolumes;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.csi.client.CsiEndpoint;
import io.volumekit.csi.client.GrpcCsiDriver;
import io.volumekit.csi.client.server.CsiGrpcServer;
import io.volumekit.csi.hostpath.HostPathConfig;
import io.volumekit.csi.hostpath.HostPathDriver;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * volumekit driving a real CSI driver over gRPC, as the kubelet and the external provisioner do.
 *
 * <p>The hostpath driver ({@code hostpath.csi.volumekit.io}: every volume is a directory) is
 * served on a unix socket in a temporary directory, the way a driver's DaemonSet serves {@code
 * /var/lib/kubelet/plugins/<driver>/csi.sock}. The engine talks to it only through a {@link
 * GrpcCsiDriver}: CreateVolume for the claim, then ControllerPublish, NodeStage and NodePublish
 * for the pod. The example then writes a file through the pod's mount, as the container would,
 * finds it in the driver's volume directory, and tears everything down again (NodeUnpublish,
 * NodeUnstage, ControllerUnpublish, DeleteVolume). When the process may mount (root), the driver
 * publishes with real bind mounts; otherwise with symlinks.
 *
 * <pre>
 * mvn -q -pl examples compile exec:java -Dexec.mainClass=io.volumekit.examples.RealCsiDriver
 * </pre>
 */
public final class RealCsiDriver {

  /** A class for the driver, a claim and a pod using it: what a user would {@code kubectl apply}. */
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
        name: notes
      spec:
        storageClassName: hostpath
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 1Gi
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: writer
      spec:
        containers:
          - name: writer
            image: busybox
            command: ["sh", "-c", "echo hello > /notes/hello.txt"]
            volumeMounts:
              - name: notes
                mountPath: /notes
        volumes:
          - name: notes
            persistentVolumeClaim:
              claimName: notes
      """;

  /**
   * What the example saw.
   *
   * @param volumeHandle the driver's id of the provisioned volume
   * @param mountedAt the pod's host path of {@code /notes}
   * @param publishMode how the driver published the volume ({@code bind} or {@code symlink})
   * @param writtenInVolume the file's content as read back from the driver's volume directory
   * @param volumeDeleted whether the volume's directory was gone after the claim was deleted
   */
  public record Outcome(String volumeHandle, Path mountedAt, String publishMode, String writtenInVolume,
      boolean volumeDeleted) {}

  private RealCsiDriver() {}

  /** Runs the example in a new temporary directory, printing to standard output. */
  public static void main(String[] args) throws IOException {
    run(System.out, Files.createTempDirectory("volumekit-real-csi"));
  }

  /** Runs the example, printing to {@code out}; the socket, volumes and kubelet directories go under {@code workDir}. */
  public static Outcome run(PrintStream out, Path workDir) throws IOException {
    // 1. The driver process: a HostPathDriver for node-1 keeping its volumes under data/,
    //    served on a unix socket. (Standalone: java -jar volumekit-csi-hostpath-*-all.jar --endpoint ...)
    HostPathDriver hostpath = new HostPathDriver(HostPathConfig.of(workDir.resolve("data"), "node-1"));
    CsiEndpoint endpoint = CsiEndpoint.unix(workDir.resolve("csi.sock"));
    try (CsiGrpcServer server = CsiGrpcServer.start(hostpath, endpoint);
        // 2. The client side: any csi.v1 driver at that endpoint looks like this to volumekit.
        GrpcCsiDriver driver = GrpcCsiDriver.connect(endpoint.toString())) {
      out.println("driver " + driver.getPluginInfo().name() + " serving at " + endpoint);

      // 3. The engine, with the driver registered under its name and one node. The node's
      //    registration (NodeGetInfo over the socket) labels the Node with the driver's topology.
      //    Node calls go to the same socket; the engine's kubelet creates the staging directory
      //    and the publish target's parent before NodeStage/NodePublish, as the kubelet does.
      VolumeKit kit = VolumeKit.builder()
          .driver(HostPathDriver.DRIVER_NAME, driver)
          .node("node-1")
          .kubeletRoot(workDir.resolve("kubelet"))
          .build();
      Kubectl.apply(kit, MANIFESTS); // decode, default the namespace, apply (as kubectl apply -f)
      kit.settle();

      // 4. The claim is bound to a volume the driver created; the pod runs with it mounted.
      PersistentVolumeClaim claim = kit.get(PersistentVolumeClaim.class, "default", "notes").orElseThrow();
      if (!claim.isBound()) {
        // Not expected; the events say why, as `kubectl describe` would show them.
        kit.events().forEach(e -> out.println("  " + e.type().orElse("") + " " + e.reason().orElse("") + ": "
            + e.message().orElse("")));
        throw new IllegalStateException("claim notes is " + claim.phase() + ", not Bound");
      }
      PersistentVolume pv = kit.get(PersistentVolume.class, "", claim.volumeName().orElseThrow()).orElseThrow();
      String handle = pv.csi().orElseThrow().volumeHandle();
      out.println("claim notes " + claim.phase() + " to " + pv.metadata().name() + ", volume handle " + handle);
      PodVolumes volumes = kit.podVolumes(ObjectKey.namespaced(Pod.KIND, "default", "writer"));
      Path mountedAt = volumes.mounts().get(0).hostPath().orElseThrow();
      out.println("pod writer " + (volumes.ready() ? "Running" : "not ready") + ", /notes is " + mountedAt
          + " (published by " + hostpath.publishMode() + ")");

      // 5. Do what the container would: write through the mount. The bytes land in the driver's volume.
      Files.writeString(mountedAt.resolve("hello.txt"), "hello from the pod\n");
      Path inVolume = hostpath.volumePath(handle).resolve("hello.txt");
      String written = Files.readString(inVolume);
      out.print("read back from " + inVolume + ": " + written);

      // 6. Tear down as Kubernetes does: the pod's volumes are unpublished, unstaged and detached
      //    before the pod goes away; then the claim's deletion makes the provisioner call
      //    DeleteVolume (reclaim policy Delete).
      kit.delete(ObjectKey.namespaced(Pod.KIND, "default", "writer"));
      kit.settle();
      kit.delete(ObjectKey.namespaced(PersistentVolumeClaim.KIND, "default", "notes"));
      kit.settle();
      boolean deleted = !Files.exists(hostpath.volumePath(handle));
      out.println("pod and claim deleted; volume " + handle + (deleted ? " deleted by the driver" : " still there"));
      return new Outcome(handle, mountedAt, hostpath.publishMode(), written, deleted);
    }
  }
}
