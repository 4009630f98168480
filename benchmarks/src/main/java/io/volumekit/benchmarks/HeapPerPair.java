package io.volumekit.benchmarks;

import io.volumekit.core.VolumeKit;
import io.volumekit.core.event.EventRecorder;
import io.volumekit.core.state.ClusterState;

/**
 * Heap per bound PV+PVC pair (docs/performance.md, "Heap per bound PV+PVC pair"): binds N pairs, then measures the used heap
 * of the retained {@link ClusterState} (after full GCs) against an empty engine, divided by N.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.volumekit.benchmarks.HeapPerPair 100000}.
 */
public final class HeapPerPair {

  private HeapPerPair() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    long before = used();
    VolumeKit kit = VolumeKit.builder().deterministic(1).eventRecorder(EventRecorder.discarding()).build();
    for (int i = 0; i < n; i++) {
      kit.apply(Objects.pv(i));
      kit.apply(Objects.pvc(i));
    }
    kit.settle();
    ClusterState state = kit.state();
    long bound = state.list("PersistentVolumeClaim").stream()
        .filter(o -> ((io.volumekit.model.core.PersistentVolumeClaim) o).isBound()).count();
    kit = null;
    long after = used();
    double perPair = (after - before) / (double) n;
    // Keep the state reachable until after the measurement.
    System.out.printf("pairs=%d bound=%d objects=%d heapBytes=%d bytesPerPair=%.0f%n",
        n, bound, state.size(), after - before, perPair);
  }

  private static long used() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
