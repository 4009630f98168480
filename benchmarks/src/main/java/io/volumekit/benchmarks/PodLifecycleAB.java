package io.volumekit.benchmarks;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;

/**
 * Compares the pod lifecycle ({@link PodLifecycleBenchmark.Lifecycles}, engine only) of several
 * builds in one JVM: each {@code benchmarks.jar} is loaded in its own class loader, and their
 * lifecycles run alternately in short slices, so that whatever else the machine runs slows all of
 * them alike. On a shared machine the CPU time of one run moves by 2x with the load; the ratio
 * between builds measured this way moves by a few percent. Prints, per jar, the engine thread's CPU
 * µs per lifecycle (minimum, first quartile, median of the slices), the median's ratio to the first
 * jar, and the bytes allocated per lifecycle.
 *
 * <p>Any jar built from a commit whose {@code PodLifecycleBenchmark.Lifecycles} has the
 * {@code (String, EventRecorder, String)} constructor and {@code run(int)} works (November 2026
 * on). Run: {@code java -Xmx8g -Xmn4g -XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar
 * io.volumekit.benchmarks.PodLifecycleAB warmUp slices perSlice batch jar1 jar2 ...}, e.g.
 * {@code 15000 30 300 1 old.jar new.jar} (15,000 warm-up lifecycles per jar, then 30 slices of
 * 300 each).
 *
 * <p>Mind the class loaders: two byte-identical copies of one jar measured here differ by up to
 * ~30% in one JVM (December 2026: 0.88-1.31 over six runs), because the JIT compiles each engine's
 * code with different profiles (JDK call sites such as {@code Optional.map} see both engines'
 * lambdas), and which copy wins changes from JVM to JVM. To judge a change of a few percent, pass a
 * copy of one jar as a control, run several JVMs with the jars in rotated order, and compare the
 * geometric means of the ratios (after and control against before); allocation per lifecycle is far
 * steadier than CPU time.
 */
public final class PodLifecycleAB {

  private PodLifecycleAB() {}

  public static void main(String[] args) throws Exception {
    int warm = Integer.parseInt(args[0]);
    int slices = Integer.parseInt(args[1]);
    int per = Integer.parseInt(args[2]);
    int batch = Integer.parseInt(args[3]);
    List<String> jars = Arrays.asList(args).subList(4, args.length);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    int n = jars.size();
    Object[] engines = new Object[n];
    Method[] run = new Method[n];
    for (int i = 0; i < n; i++) {
      // The platform loader as parent: each jar brings its own engine, Guava, pcollections.
      URLClassLoader loader = new URLClassLoader(new URL[] {new File(jars.get(i)).toURI().toURL()},
          ClassLoader.getPlatformClassLoader());
      Class<?> recorder = loader.loadClass("io.volumekit.core.event.EventRecorder");
      Object discarding = recorder.getMethod("discarding").invoke(null);
      Class<?> lifecycles = loader.loadClass(PodLifecycleBenchmark.class.getName() + "$Lifecycles");
      Constructor<?> c = lifecycles.getDeclaredConstructor(String.class, recorder, String.class);
      c.setAccessible(true);
      engines[i] = c.newInstance("WaitForFirstConsumer", discarding, "none");
      Method verify = lifecycles.getDeclaredMethod("verifyOne");
      verify.setAccessible(true);
      verify.invoke(engines[i]);
      run[i] = lifecycles.getDeclaredMethod("run", int.class);
      run[i].setAccessible(true);
    }
    for (int w = 0; w < warm / per; w++) {
      for (int i = 0; i < n; i++) {
        slice(run[i], engines[i], per, batch);
      }
    }
    long[][] cpu = new long[n][slices];
    long[] allocated = new long[n];
    for (int s = 0; s < slices; s++) {
      for (int j = 0; j < n; j++) {
        int i = s % 2 == 0 ? j : n - 1 - j; // alternate the order so no jar always runs first
        long c0 = threads.getCurrentThreadCpuTime();
        long a0 = threads.getCurrentThreadAllocatedBytes();
        slice(run[i], engines[i], per, batch);
        cpu[i][s] = threads.getCurrentThreadCpuTime() - c0;
        allocated[i] += threads.getCurrentThreadAllocatedBytes() - a0;
      }
    }
    double first = 0;
    for (int i = 0; i < n; i++) {
      long[] c = cpu[i].clone();
      Arrays.sort(c);
      double median = c[slices / 2] / 1e3 / per;
      if (i == 0) {
        first = median;
      }
      System.out.printf("%-40s batch=%d cpuUsPerLifecycle min=%.1f q1=%.1f median=%.1f ratio=%.2f allocBytesPerLifecycle=%d%n",
          jars.get(i), batch, c[0] / 1e3 / per, c[slices / 4] / 1e3 / per, median, median / first,
          allocated[i] / ((long) slices * per));
    }
  }

  private static void slice(Method run, Object engine, int per, int batch) throws Exception {
    for (int k = 0; k < per / batch; k++) {
      run.invoke(engine, batch);
    }
  }
}
