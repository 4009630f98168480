package io.volumekit.benchmarks;

import com.google.common.util.concurrent.MoreExecutors;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.ControllerGetVolumeRequest;
import io.volumekit.core.csi.ControllerGetVolumeResponse;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.ProbeResponse;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.csi.client.CsiEndpoint;
import io.volumekit.csi.client.GrpcCsiDriver;
import io.volumekit.csi.client.server.CsiGrpcServer;
import io.volumekit.csi.hostpath.HostPathConfig;
import io.volumekit.csi.hostpath.HostPathDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Unary CSI round trips over a unix domain socket: the Java client ({@link GrpcCsiDriver}) calling
 * the Java hostpath driver served by {@code CsiGrpcServer}, both in this JVM but talking only
 * through the socket. Throughput mode gives round trips per second, sample-time mode the latency
 * distribution (p99). {@code probe} is the cheapest RPC (the socket's own cost);
 * {@code controllerGetVolume} carries a full Volume message both ways.
 *
 * <p>Target (docs/performance.md): more than 20,000 round trips per second, p99 below 1 ms.
 *
 * <pre>
 * java -cp ... org.openjdk.jmh.Main CsiRoundTripBenchmark -t 4
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CsiRoundTripBenchmark {

  /** How the server runs driver calls: gRPC's default pool, or directly on the event loop. */
  @Param({"default", "direct"})
  public String serverExecutor;

  private Path dir;
  private CsiGrpcServer server;
  private GrpcCsiDriver client;
  private ControllerGetVolumeRequest getVolume;

  @Setup(Level.Trial)
  public void start() throws IOException {
    dir = Files.createTempDirectory("csi-bench");
    HostPathDriver driver = new HostPathDriver(HostPathConfig.of(dir.resolve("data"), "bench-node")
        .withMountMode(HostPathConfig.MountMode.SYMLINK));
    server = CsiGrpcServer.start(driver, CsiEndpoint.unix(dir.resolve("csi.sock")),
        "direct".equals(serverExecutor) ? MoreExecutors.directExecutor() : null);
    client = GrpcCsiDriver.builder(server.endpoint()).callTimeout(Duration.ofSeconds(10)).build();
    client.awaitReady(Duration.ofSeconds(10));
    String id = client.createVolume(CreateVolumeRequest.of("bench", 1L << 30,
        VolumeCapability.mount("ext4", AccessMode.SINGLE_NODE_WRITER))).volume().volumeId();
    getVolume = new ControllerGetVolumeRequest(id);
  }

  @TearDown(Level.Trial)
  public void stop() throws IOException {
    client.close();
    server.close();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Probe: an empty request and a one-field response. */
  @Benchmark
  public ProbeResponse probe() {
    return client.probe();
  }

  /** ControllerGetVolume: a volume id in, a Volume with topology and status out. */
  @Benchmark
  public ControllerGetVolumeResponse controllerGetVolume() {
    return client.controllerGetVolume(getVolume);
  }
}
