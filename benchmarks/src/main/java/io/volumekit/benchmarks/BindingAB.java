package io.volumekit.benchmarks;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;

/**
 * {@link BindingCpuTime}'s measurement (the settle that binds {@code n} pre-created claims to
 * {@code n} available volumes) for several builds in one JVM, as {@link PodLifecycleAB} does for
 * the lifecycle: each {@code benchmarks.jar} in its own class loader, rounds alternating between
 * them, so that the load of a shared machine slows all of them alike. Prints, per jar, the engine
 * thread's CPU ms of the settle (each measured round, then the median and its ratio to the first
 * jar) and the bytes allocated per claim.
 *
 * <p>Uses only the public engine API and the benchmarks' {@code Objects}, so it works with any
 * jar since November 2026. Run: {@code java -Xmx10g -Xmn6g -XX:+UseParallelGC -cp
 * benchmarks/target/benchmarks.jar io.volumekit.benchmarks.BindingAB n warmRounds rounds jar1
 * jar2 ...}, e.g. {@code 100000 2 5 old.jar new.jar}.
 */
public final class BindingAB {

  private BindingAB() {}

  /** One build's engine entry points, looked up in its own class loader. */
  private record Build(String jar, Method builder, Method deterministic, Method matcher, Method recorder,
      Method build, Object indexed, Object discarding, Method apply, Method settle, Method pv, Method pvc) {

    static Build load(String jar) throws Exception {
      URLClassLoader loader = new URLClassLoader(new URL[] {new File(jar).toURI().toURL()},
          ClassLoader.getPlatformClassLoader());
      Class<?> kit = loader.loadClass("io.volumekit.core.VolumeKit");
      Class<?> builder = loader.loadClass("io.volumekit.core.VolumeKit$Builder");
      Class<?> matcher = loader.loadClass("io.volumekit.core.binding.VolumeMatcher");
      Class<?> recorder = loader.loadClass("io.volumekit.core.event.EventRecorder");
      Class<?> apiObject = loader.loadClass("io.volumekit.model.meta.ApiObject");
      Class<?> objects = loader.loadClass(Objects.class.getName());
      Method pv = objects.getDeclaredMethod("pv", int.class);
      Method pvc = objects.getDeclaredMethod("pvc", int.class);
      pv.setAccessible(true);
      pvc.setAccessible(true);
      return new Build(jar, kit.getMethod("builder"), builder.getMethod("deterministic", long.class),
          builder.getMethod("matcher", matcher), builder.getMethod("eventRecorder", recorder),
          builder.getMethod("build"),
          loader.loadClass("io.volumekit.core.binding.IndexedVolumeMatcher").getConstructor().newInstance(),
          recorder.getMethod("discarding").invoke(null), kit.getMethod("apply", apiObject), kit.getMethod("settle"),
          pv, pvc);
    }

    /** CPU ns and bytes allocated by the settle that binds the claims. */
    long[] round(int n, com.sun.management.ThreadMXBean threads) throws Exception {
      Object b = builder.invoke(null);
      b = deterministic.invoke(b, 1L);
      b = matcher.invoke(b, indexed);
      b = recorder.invoke(b, discarding);
      Object kit = build.invoke(b);
      for (int i = 0; i < n; i++) {
        apply.invoke(kit, pv.invoke(null, i));
      }
      settle.invoke(kit);
      for (int i = 0; i < n; i++) {
        apply.invoke(kit, pvc.invoke(null, i));
      }
      System.gc();
      long c0 = threads.getCurrentThreadCpuTime();
      long a0 = threads.getCurrentThreadAllocatedBytes();
      settle.invoke(kit);
      return new long[] {threads.getCurrentThreadCpuTime() - c0, threads.getCurrentThreadAllocatedBytes() - a0};
    }
  }

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    int warm = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    List<String> jars = Arrays.asList(args).subList(3, args.length);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Build[] builds = new Build[jars.size()];
    for (int i = 0; i < builds.length; i++) {
      builds[i] = Build.load(jars.get(i));
    }
    long[][] cpu = new long[builds.length][rounds];
    long[] bytes = new long[builds.length];
    for (int r = 0; r < warm + rounds; r++) {
      for (int j = 0; j < builds.length; j++) {
        int i = r % 2 == 0 ? j : builds.length - 1 - j; // alternate the order
        long[] m = builds[i].round(n, threads);
        if (r >= warm) {
          cpu[i][r - warm] = m[0];
          bytes[i] = m[1];
        }
      }
    }
    double first = 0;
    for (int i = 0; i < builds.length; i++) {
      long[] c = cpu[i].clone();
      Arrays.sort(c);
      double median = c[rounds / 2] / 1e6;
      if (i == 0) {
        first = median;
      }
      StringBuilder each = new StringBuilder();
      for (long x : cpu[i]) {
        each.append(each.length() == 0 ? "" : ",").append(x / 1_000_000);
      }
      System.out.printf("%-40s n=%d engineCpuMs=[%s] median=%.0f ratio=%.2f allocBytesPerClaim=%d%n",
          builds[i].jar(), n, each, median, median / first, bytes[i] / n);
    }
  }
}
