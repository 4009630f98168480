package io.volumekit.benchmarks;

import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolume;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Optional;

/**
 * One change applied to states of 10k and 1M objects, timed by the thread's CPU time (the
 * companion of {@link EventApplyBenchmark} for overloaded machines): prints ns of CPU per change.
 *
 * <p>Run: {@code java -Xmx10g -Xmn6g -XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar
 * io.volumekit.benchmarks.EventApplyCpuTime}.
 */
public final class EventApplyCpuTime {

  private EventApplyCpuTime() {}

  public static void main(String[] args) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int objects : new int[] {10_000, 1_000_000, 10_000, 1_000_000}) {
      ClusterState s = ClusterState.empty();
      for (int k = 0; k < objects / 2; k++) {
        PersistentVolume pv = Objects.pv(k);
        s = s.put(pv.withStatus(pv.status().withPhase(Optional.of("Available"))));
        s = s.put(Objects.pvc(k));
      }
      PersistentVolume[] flips = new PersistentVolume[64];
      for (int i = 0; i < flips.length; i++) {
        PersistentVolume pv = Objects.pv((int) ((long) i * (objects / 2) / flips.length));
        flips[i] = pv.withStatus(pv.status().withPhase(Optional.of(i % 2 == 0 ? "Released" : "Available")));
      }
      int changes = 400_000;
      for (int warm = 0; warm < 2; warm++) {
        ClusterState t = s;
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        for (int i = 0; i < changes; i++) {
          PersistentVolume pv = flips[i % flips.length];
          t = t.put((i / flips.length) % 2 == 0 ? pv : pv.withStatus(pv.status().withPhase(Optional.of("Available"))));
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        long wall = System.nanoTime() - wall0;
        if (warm == 1) {
          System.out.printf("objects=%d cpuNsPerChange=%d wallNsPerChange=%d size=%d%n",
              objects, cpu / changes, wall / changes, t.size());
        }
      }
    }
  }
}
