package io.volumekit.examples;

import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Event;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ApiObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Reacting to what the engine does with {@link VolumeKit#watch}: the equivalent of a Kubernetes
 * watch (or an informer's event handlers).
 *
 * <p>The listener sees every committed change with the object before and after it: here it prints
 * claim and pod phase transitions and every new Kubernetes Event (Events are objects too). The
 * program reacts to two of them. The driver's pool holds 2Gi, so a 5Gi claim cannot be
 * provisioned: on its {@code ProvisioningFailed} warning the program replaces it with a 1Gi claim.
 * When that claim becomes Bound, the program starts a pod that uses it.
 *
 * <p>The listener runs on the thread that commits the change, inside the engine, so it only
 * records what it saw; the program acts on it between {@link VolumeKit#settle()} calls.
 *
 * <pre>
 * mvn -q -pl examples compile exec:java -Dexec.mainClass=io.volumekit.examples.WatchEvents
 * </pre>
 */
public final class WatchEvents {

  static final String DRIVER = "memory.csi.volumekit.io";

  /**
   * What the example saw.
   *
   * @param observed every line the listener printed, in order
   * @param podRunning whether the pod started on the replacement claim was Running at the end
   */
  public record Outcome(List<String> observed, boolean podRunning) {}

  private WatchEvents() {}

  /** Runs the example in a new temporary directory, printing to standard output. */
  public static void main(String[] args) throws IOException {
    run(System.out, Files.createTempDirectory("volumekit-watch-events"));
  }

  /** Runs the example, printing to {@code out}; the kubelet's directories go under {@code workDir}. */
  public static Outcome run(PrintStream out, Path workDir) {
    // An in-memory driver whose storage pool holds only 2Gi.
    InMemoryCsiDriver small = new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults().withCapacityBytes(2L << 30));
    VolumeKit kit = VolumeKit.builder()
        .driver(DRIVER, small)
        .node("node-1")
        .kubeletRoot(workDir.resolve("kubelet"))
        .deterministic(7)
        .build();

    List<String> observed = new ArrayList<>();
    Deque<ObjectKey> failedClaims = new ArrayDeque<>(); // claims the provisioner gave up on
    Deque<String> boundClaims = new ArrayDeque<>(); // claims that just became Bound

    // The listener: called once per committed change, with both versions of the object.
    kit.watch(change -> {
      Optional<String> line = describe(change);
      line.ifPresent(l -> {
        observed.add(l);
        out.println(l);
      });
      // Remember what to react to.
      change.afterAs(Event.class)
          .filter(e -> change.type() == Change.Type.ADDED && e.reason().orElse("").equals("ProvisioningFailed"))
          .ifPresent(e -> failedClaims.add(ObjectKey.namespaced(PersistentVolumeClaim.KIND,
              e.involvedObject().namespaceOrEmpty(), e.involvedObject().nameOrEmpty())));
      change.afterAs(PersistentVolumeClaim.class)
          .filter(c -> c.isBound() && !change.beforeAs(PersistentVolumeClaim.class).map(PersistentVolumeClaim::isBound).orElse(false))
          .ifPresent(c -> boundClaims.add(c.metadata().name()));
    });

    apply(kit, """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: small-pool
        provisioner: memory.csi.volumekit.io
        volumeBindingMode: Immediate
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: too-big
        spec:
          storageClassName: small-pool
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 5Gi
        """);
    kit.settle();

    // Reaction 1: a claim the driver cannot serve is replaced by a smaller one.
    // (A claim's request cannot shrink in Kubernetes; a new claim is the way.)
    if (!failedClaims.isEmpty()) {
      ObjectKey failed = failedClaims.peek();
      out.println("-> " + failed.name() + " cannot be provisioned; replacing it with a 1Gi claim");
      kit.delete(failed);
      apply(kit, """
          apiVersion: v1
          kind: PersistentVolumeClaim
          metadata:
            name: right-size
          spec:
            storageClassName: small-pool
            accessModes: [ReadWriteOnce]
            resources:
              requests:
                storage: 1Gi
          """);
      kit.settle();
    }

    // Reaction 2: a pod is started on each claim that became Bound.
    while (!boundClaims.isEmpty()) {
      String claim = boundClaims.poll();
      out.println("-> " + claim + " is Bound; starting a pod that uses it");
      apply(kit, """
          apiVersion: v1
          kind: Pod
          metadata:
            name: user-of-%1$s
          spec:
            containers:
              - name: app
                image: busybox
                volumeMounts:
                  - {name: data, mountPath: /data}
            volumes:
              - name: data
                persistentVolumeClaim:
                  claimName: %1$s
          """.formatted(claim));
      kit.settle();
    }

    boolean running = kit.get(Pod.class, "default", "user-of-right-size")
        .flatMap(p -> p.status().phase()).filter("Running"::equals).isPresent();
    return new Outcome(List.copyOf(observed), running);
  }

  /** One line for a claim or pod phase transition or a new Event; nothing for other changes. */
  static Optional<String> describe(Change change) {
    if (change.type() == Change.Type.ADDED && change.object() instanceof Event e) {
      return Optional.of("event " + e.type().orElse("") + " " + e.reason().orElse("") + " "
          + e.involvedObject().kind().orElse("").toLowerCase() + "/" + e.involvedObject().nameOrEmpty() + ": "
          + e.message().orElse(""));
    }
    String before = change.before().map(WatchEvents::phase).orElse("");
    String after = change.after().map(WatchEvents::phase).orElse("");
    if (before.equals(after) || !(change.object() instanceof PersistentVolumeClaim || change.object() instanceof Pod)) {
      return Optional.empty();
    }
    String kind = change.kind().toLowerCase();
    return Optional.of(switch (change.type()) {
      case ADDED -> kind + "/" + change.key().name() + " added (" + after + ")";
      case DELETED -> kind + "/" + change.key().name() + " deleted";
      case MODIFIED -> kind + "/" + change.key().name() + " " + before + " -> " + after;
    });
  }

  private static String phase(ApiObject o) {
    if (o instanceof PersistentVolumeClaim c) {
      return c.phase();
    }
    if (o instanceof Pod p) {
      return p.status().phase().orElse("Pending");
    }
    return "";
  }

  private static void apply(VolumeKit kit, String yaml) {
    Kubectl.apply(kit, yaml); // decode, default the namespace, apply
  }
}
