package io.volumekit.csi.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.ForwardingCsiDriver;
import io.volumekit.core.csi.GetCapacityRequest;
import io.volumekit.core.csi.GetCapacityResponse;
import io.volumekit.core.csi.GetPluginCapabilitiesResponse;
import io.volumekit.core.csi.GetPluginInfoResponse;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.csi.ListVolumesRequest;
import io.volumekit.core.csi.NodeCapability;
import io.volumekit.core.csi.ProbeResponse;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.Volume;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.csi.client.server.CsiGrpcServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrpcCsiDriverTest {
  private static final VolumeCapability RWO = VolumeCapability.mount("ext4", AccessMode.SINGLE_NODE_WRITER);

  @TempDir
  Path dir;

  private CsiEndpoint socket() {
    return CsiEndpoint.unix(dir.resolve("csi.sock"));
  }

  @Test
  void mapsDriverErrorsToTheSameCsiCode() throws Exception {
    try (CsiGrpcServer server = CsiGrpcServer.start(new InMemoryCsiDriver(), socket());
        GrpcCsiDriver client = GrpcCsiDriver.connect(socket().toString())) {
      CsiException e = catchThrowableOfType(CsiException.class,
          () -> client.createVolume(CreateVolumeRequest.of("", 1, RWO)));
      assertThat(e.code()).isEqualTo(CsiCode.INVALID_ARGUMENT);
      assertThat(e.getMessage()).contains("CreateVolume").contains("name");
    }
  }

  @Test
  void secretValuesReachTheDriverButNotErrorMessages() throws Exception {
    CsiDriver recording = new ForwardingCsiDriver(new InMemoryCsiDriver()) {
      @Override
      public io.volumekit.core.csi.CreateVolumeResponse createVolume(CreateVolumeRequest r) {
        assertThat(r.secrets().asMap()).containsEntry("password", "hunter2");
        throw CsiException.invalidArgument("rejected " + r);
      }
    };
    try (CsiGrpcServer server = CsiGrpcServer.start(recording, socket());
        GrpcCsiDriver client = GrpcCsiDriver.connect(socket().toString())) {
      CsiException e = catchThrowableOfType(CsiException.class, () -> client.createVolume(
          CreateVolumeRequest.of("v", 1, RWO).withSecrets(Secrets.of(Map.of("password", "hunter2")))));
      assertThat(e.code()).isEqualTo(CsiCode.INVALID_ARGUMENT);
      assertThat(e.getMessage()).contains("password").doesNotContain("hunter2");
    }
  }

  @Test
  void aCallMadeBeforeTheDriverListensWaitsForTheSocket() throws Exception {
    try (GrpcCsiDriver client = GrpcCsiDriver.connect(socket().toString())) {
      CompletableFuture<GetPluginInfoResponse> pending = CompletableFuture.supplyAsync(client::getPluginInfo);
      try (CsiGrpcServer server = CsiGrpcServer.start(new InMemoryCsiDriver(), socket())) {
        assertThat(pending.get(20, TimeUnit.SECONDS).name()).isEqualTo("memory.csi.volumekit.io");
      }
    }
  }

  @Test
  void reconnectsAfterTheDriverRestartsAndReReadsCapabilities() throws Exception {
    try (GrpcCsiDriver client = GrpcCsiDriver.connect(socket().toString())) {
      CsiGrpcServer first = CsiGrpcServer.start(new InMemoryCsiDriver(), socket());
      assertThat(client.info().nodeCapabilities().has(NodeCapability.STAGE_UNSTAGE_VOLUME)).isTrue();
      Volume v = client.createVolume(CreateVolumeRequest.of("pvc-1", 1 << 20, RWO)).volume();
      assertThat(v.volumeId()).isNotEmpty();
      first.close();
      awaitTrue(() -> client.connectionsLost() >= 1);

      try (CsiGrpcServer second = CsiGrpcServer.start(
          new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults().withStageUnstage(false)), socket())) {
        assertThat(client.probe().ready()).isTrue();
        assertThat(client.info().nodeCapabilities().has(NodeCapability.STAGE_UNSTAGE_VOLUME)).isFalse();
        // the restarted in-memory driver starts empty
        assertThat(client.listVolumes(ListVolumesRequest.firstPage(0)).entries()).isEmpty();
      }
    }
  }

  @Test
  void aSlowDriverFailsWithDeadlineExceededWhichMayStillBeInProgress() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CsiDriver slow = new ForwardingCsiDriver(new InMemoryCsiDriver()) {
      @Override
      public GetCapacityResponse getCapacity(GetCapacityRequest r) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.getCapacity(r);
      }
    };
    try (CsiGrpcServer server = CsiGrpcServer.start(slow, socket());
        GrpcCsiDriver client = GrpcCsiDriver.builder(socket()).callTimeout(Duration.ofMillis(300)).build()) {
      client.awaitReady(Duration.ofSeconds(20)); // connected, with its own deadline
      CsiException e = catchThrowableOfType(CsiException.class, () -> client.getCapacity(GetCapacityRequest.all()));
      assertThat(e.code()).isEqualTo(CsiCode.DEADLINE_EXCEEDED);
      assertThat(e.mayBeInProgress()).isTrue();
      release.countDown();
    }
  }

  @Test
  void unimplementedRpcsAnswerUnimplemented() throws Exception {
    CsiDriver identityOnly = new CsiDriver() {
      @Override
      public GetPluginInfoResponse getPluginInfo() {
        return new GetPluginInfoResponse("x.example.com", "1", null);
      }

      @Override
      public GetPluginCapabilitiesResponse getPluginCapabilities() {
        return new GetPluginCapabilitiesResponse(null);
      }

      @Override
      public ProbeResponse probe() {
        return ProbeResponse.isReady();
      }
    };
    try (CsiGrpcServer server = CsiGrpcServer.start(identityOnly, socket());
        GrpcCsiDriver client = GrpcCsiDriver.connect(socket().toString())) {
      CsiException e = catchThrowableOfType(CsiException.class, () -> client.createVolume(CreateVolumeRequest.of("v", 1, RWO)));
      assertThat(e.code()).isEqualTo(CsiCode.UNIMPLEMENTED);
      assertThat(e.code().retryable()).isFalse();
      DriverInfo info = client.info();
      assertThat(info.name()).isEqualTo("x.example.com");
      assertThat(info.controllerCapabilities().capabilities()).isEmpty();
      assertThat(info.nodeInfo()).isEmpty();
    }
  }

  @Test
  void awaitReadyReturnsOnceTheDriverIsUp() throws Exception {
    try (CsiGrpcServer server = CsiGrpcServer.start(new InMemoryCsiDriver(), socket());
        GrpcCsiDriver client = GrpcCsiDriver.connect(socket().toString())) {
      client.awaitReady(Duration.ofSeconds(10));
      assertThat(client.info().nodeInfo()).isPresent();
    }
  }

  @Test
  void servesAndCallsOverTcpToo() throws Exception {
    try (CsiGrpcServer server = CsiGrpcServer.start(new InMemoryCsiDriver(), CsiEndpoint.parse("127.0.0.1:0"));
        GrpcCsiDriver client = GrpcCsiDriver.connect(server.endpoint().toString())) {
      assertThat(server.endpoint().address()).startsWith("dns:///127.0.0.1:").doesNotEndWith(":0");
      assertThat(client.info().nodeInfo().orElseThrow().nodeId()).isEqualTo("node-1");
    }
  }

  @Test
  void parsesEndpoints() {
    assertThat(CsiEndpoint.parse("unix:///run/csi/csi.sock")).isEqualTo(CsiEndpoint.unix(Path.of("/run/csi/csi.sock")));
    assertThat(CsiEndpoint.parse("/run/csi/csi.sock").kind()).isEqualTo(CsiEndpoint.Kind.UNIX);
    assertThat(CsiEndpoint.parse("localhost:10000").address()).isEqualTo("dns:///localhost:10000");
    assertThat(CsiEndpoint.parse("dns:///h:1").kind()).isEqualTo(CsiEndpoint.Kind.TCP);
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> CsiEndpoint.parse("relative.sock"))).isNotNull();
  }

  @Test
  void refusesWindowsNamedPipeEndpoints() {
    IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
        () -> CsiEndpoint.parse("npipe://./pipe/csi-driver"));
    assertThat(e).hasMessageContaining("named pipe endpoints (npipe://./pipe/csi-driver) are not supported")
        .hasMessageContaining("unix socket");
    // a Windows drive path is not an absolute path on this JVM's file system: refused, not misread
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> CsiEndpoint.parse("unix://C:\\csi\\csi.sock")))
        .isNotNull();
  }

  /** Waits for an asynchronous event (a connection drop noticed by gRPC), failing after 10 s. */
  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
