package io.volumekit.testkit;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.VolumeModes;
import io.volumekit.model.meta.ApiObject;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The steps of a history with raw block volumes ({@link HistoryGenerator#withBlockVolumes()}):
 * claims and statically provisioned PVs with {@code volumeMode: Block} ({@link AsBlock}), and pods
 * whose container maps claims through {@code volumeDevices} and mounts others through {@code
 * volumeMounts} ({@link CreatePod}), so that a claim's mode and its use sometimes disagree (the
 * kubelet then refuses the pod).
 */
public final class BlockSteps {

  private BlockSteps() {}

  /**
   * A {@link Step.CreateClaim} or {@link Step.CreateVolume} whose claim or PV has {@code
   * volumeMode: Block}: the step runs against the cluster with every claim and PV it creates made
   * a Block one.
   */
  public record AsBlock(Step step) implements Step {
    public AsBlock {
      Objects.requireNonNull(step, "step");
    }

    @Override
    public void run(Cluster c) {
      step.run(new BlockCreating(c));
    }

    @Override
    public String toString() {
      return step.toString().replaceFirst("^create ", "create block ");
    }
  }

  /** Creates a pod mounting the claims {@code mounts} and mapping the claims {@code devices} ({@link SimObjects#podWithDevices}). */
  public record CreatePod(String name, String node, ImmutableList<String> mounts, ImmutableList<String> devices)
      implements Step {
    public CreatePod {
      mounts = ImmutableList.copyOf(mounts);
      devices = ImmutableList.copyOf(devices);
    }

    @Override
    public void run(Cluster c) {
      c.create(SimObjects.podWithDevices(name, node, mounts, devices));
    }

    @Override
    public String toString() {
      return "create pod " + name + (node.isEmpty() ? "" : " on " + node) + " mounts=" + mounts + " devices=" + devices;
    }
  }

  /** The cluster, except that the claims and PVs it creates get {@code volumeMode: Block}. */
  private record BlockCreating(Cluster c) implements Cluster {
    @Override
    public ClusterState state() {
      return c.state();
    }

    @Override
    public void create(ApiObject object) {
      if (object instanceof PersistentVolumeClaim claim) {
        c.create(claim.withSpec(claim.spec().withVolumeMode(Optional.of(VolumeModes.BLOCK))));
      } else if (object instanceof PersistentVolume pv) {
        c.create(pv.withSpec(pv.spec().withVolumeMode(Optional.of(VolumeModes.BLOCK))));
      } else {
        c.create(object);
      }
    }

    @Override
    public void update(ObjectKey key, UnaryOperator<ApiObject> change) {
      c.update(key, change);
    }

    @Override
    public void delete(ObjectKey key) {
      c.delete(key);
    }

    @Override
    public Optional<String> createBackingVolume(String name, long bytes) {
      return c.createBackingVolume(name, bytes);
    }

    @Override
    public void advance(Duration duration) {
      c.advance(duration);
    }

    @Override
    public void settle() {
      c.settle();
    }

    @Override
    public FaultInjectingCsiDriver driver() {
      return c.driver();
    }
  }
}
