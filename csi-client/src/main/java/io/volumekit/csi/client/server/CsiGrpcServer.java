package io.volumekit.csi.client.server;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.PluginCapability;
import io.volumekit.csi.client.CsiEndpoint;
import io.volumekit.csi.client.internal.ProtoMapper;
import io.volumekit.csi.client.internal.proto.ControllerGrpc;
import io.volumekit.csi.client.internal.proto.Csi;
import io.volumekit.csi.client.internal.proto.GroupControllerGrpc;
import io.volumekit.csi.client.internal.proto.IdentityGrpc;
import io.volumekit.csi.client.internal.proto.NodeGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a core {@link CsiDriver} as a csi.v1 gRPC server (Identity, Controller and Node services
 * on one endpoint, as the spec requires), normally on a unix domain socket. The GroupController
 * service is served too when the driver advertises the GROUP_CONTROLLER_SERVICE plugin capability
 * at start; otherwise its RPCs answer UNIMPLEMENTED like any unknown service.
 *
 * <p>{@link CsiException}s become gRPC statuses with the same code and the exception's
 * description; any other exception from the driver becomes INTERNAL. RPCs the driver does not
 * implement (the port's defaults) or the core port does not model answer UNIMPLEMENTED. A stale socket file left by a
 * previous process is removed before binding, and the socket is removed on {@link #close()}.
 *
 * <pre>{@code
 * try (CsiGrpcServer server = CsiGrpcServer.start(driver, CsiEndpoint.parse("unix:///run/csi.sock"))) {
 *   server.awaitTermination();
 * }
 * }</pre>
 */
public final class CsiGrpcServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CsiGrpcServer.class);

  private final Server server;
  private final CsiEndpoint endpoint;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;

  private CsiGrpcServer(Server server, CsiEndpoint endpoint, EventLoopGroup boss, EventLoopGroup workers) {
    this.server = server;
    this.endpoint = endpoint;
    this.boss = boss;
    this.workers = workers;
  }

  /** Starts serving {@code driver} at {@code endpoint}, running driver calls on gRPC's default executor. */
  public static CsiGrpcServer start(CsiDriver driver, CsiEndpoint endpoint) throws IOException {
    return start(driver, endpoint, null);
  }

  /**
   * Starts serving {@code driver} at {@code endpoint}, running driver calls on {@code executor}
   * (null: gRPC's default cached pool). A direct executor is fastest for a driver that never
   * blocks.
   */
  public static CsiGrpcServer start(CsiDriver driver, CsiEndpoint endpoint, Executor executor) throws IOException {
    NettyServerBuilder builder;
    EventLoopGroup boss = null;
    EventLoopGroup workers = null;
    if (endpoint.kind() == CsiEndpoint.Kind.UNIX) {
      Path socket = endpoint.socketPath();
      Files.createDirectories(socket.getParent());
      if (Files.exists(socket) && !Files.isDirectory(socket)) {
        Files.delete(socket); // stale socket from a previous run
      }
      boss = new EpollEventLoopGroup(1);
      workers = new EpollEventLoopGroup(2);
      builder = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
          .channelType(EpollServerDomainSocketChannel.class)
          .bossEventLoopGroup(boss)
          .workerEventLoopGroup(workers)
          .withChildOption(ChannelOption.SO_KEEPALIVE, null); // not a unix socket option; null removes it
    } else {
      String target = endpoint.address().replaceFirst("^dns:///", "");
      int colon = target.lastIndexOf(':');
      builder = NettyServerBuilder.forAddress(
          new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1))));
    }
    if (executor != null) {
      builder.executor(executor);
    }
    builder.addService(new IdentityService(driver)).addService(new ControllerService(driver))
        .addService(new NodeService(driver));
    if (advertisesGroupController(driver)) {
      builder.addService(new GroupControllerService(driver));
    }
    Server server;
    try {
      server = builder.build().start();
    } catch (IOException | RuntimeException e) {
      shutdown(boss, workers);
      throw e;
    }
    CsiEndpoint bound = endpoint;
    if (endpoint.kind() == CsiEndpoint.Kind.TCP) {
      String target = endpoint.address().replaceFirst("^dns:///", "");
      bound = new CsiEndpoint(CsiEndpoint.Kind.TCP,
          "dns:///" + target.substring(0, target.lastIndexOf(':')) + ":" + server.getPort());
    }
    LOG.info("serving CSI driver at {}", bound);
    return new CsiGrpcServer(server, bound, boss, workers);
  }

  /** The endpoint served (for TCP with port 0, the port actually bound). */
  public CsiEndpoint endpoint() {
    return endpoint;
  }

  /** Blocks until the server has shut down. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Stops accepting calls, waits briefly for running ones, and removes the socket file. */
  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    shutdown(boss, workers);
    if (endpoint.kind() == CsiEndpoint.Kind.UNIX) {
      try {
        Files.deleteIfExists(endpoint.socketPath());
      } catch (IOException e) {
        LOG.warn("could not remove socket {}: {}", endpoint.socketPath(), e.toString());
      }
    }
    LOG.info("stopped serving CSI driver at {}", endpoint);
  }

  private static void shutdown(EventLoopGroup... groups) {
    for (EventLoopGroup g : groups) {
      if (g != null) {
        g.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      }
    }
  }

  /**
   * Whether the driver offers the GroupController service. A driver that cannot answer
   * GetPluginCapabilities at start (not ready yet) is served the service anyway: its own answers,
   * UNIMPLEMENTED by default, then speak for it.
   */
  private static boolean advertisesGroupController(CsiDriver driver) {
    try {
      return driver.getPluginCapabilities().has(PluginCapability.GROUP_CONTROLLER_SERVICE);
    } catch (CsiException e) {
      LOG.info("GetPluginCapabilities failed at start ({}); serving the GroupController service", e.code());
      return true;
    }
  }

  /** Runs one driver call and completes the observer with its answer or its status. */
  static <R> void unary(String rpc, StreamObserver<R> observer, Supplier<R> call) {
    R response;
    try {
      response = call.get();
    } catch (CsiException e) {
      observer.onError(Status.fromCodeValue(e.code().value()).withDescription(e.description()).asRuntimeException());
      return;
    } catch (RuntimeException e) {
      // Never log the request: it may carry secrets and mount flags.
      LOG.warn("{} failed inside the driver: {}", rpc, e.toString());
      observer.onError(Status.INTERNAL.withDescription(rpc + ": " + e.getClass().getSimpleName() + ": " + e.getMessage())
          .asRuntimeException());
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  private static final class IdentityService extends IdentityGrpc.IdentityImplBase {
    private final CsiDriver d;

    IdentityService(CsiDriver d) {
      this.d = d;
    }

    @Override
    public void getPluginInfo(Csi.GetPluginInfoRequest r, StreamObserver<Csi.GetPluginInfoResponse> o) {
      unary("GetPluginInfo", o, () -> ProtoMapper.toProto(d.getPluginInfo()));
    }

    @Override
    public void getPluginCapabilities(Csi.GetPluginCapabilitiesRequest r,
        StreamObserver<Csi.GetPluginCapabilitiesResponse> o) {
      unary("GetPluginCapabilities", o, () -> ProtoMapper.toProto(d.getPluginCapabilities()));
    }

    @Override
    public void probe(Csi.ProbeRequest r, StreamObserver<Csi.ProbeResponse> o) {
      unary("Probe", o, () -> ProtoMapper.toProto(d.probe()));
    }
  }

  private static final class ControllerService extends ControllerGrpc.ControllerImplBase {
    private final CsiDriver d;

    ControllerService(CsiDriver d) {
      this.d = d;
    }

    @Override
    public void createVolume(Csi.CreateVolumeRequest r, StreamObserver<Csi.CreateVolumeResponse> o) {
      unary("CreateVolume", o, () -> ProtoMapper.toProto(d.createVolume(ProtoMapper.fromProto(r))));
    }

    @Override
    public void deleteVolume(Csi.DeleteVolumeRequest r, StreamObserver<Csi.DeleteVolumeResponse> o) {
      unary("DeleteVolume", o, () -> {
        d.deleteVolume(ProtoMapper.fromProto(r));
        return Csi.DeleteVolumeResponse.getDefaultInstance();
      });
    }

    @Override
    public void controllerPublishVolume(Csi.ControllerPublishVolumeRequest r,
        StreamObserver<Csi.ControllerPublishVolumeResponse> o) {
      unary("ControllerPublishVolume", o,
          () -> ProtoMapper.toProto(d.controllerPublishVolume(ProtoMapper.fromProto(r))));
    }

    @Override
    public void controllerUnpublishVolume(Csi.ControllerUnpublishVolumeRequest r,
        StreamObserver<Csi.ControllerUnpublishVolumeResponse> o) {
      unary("ControllerUnpublishVolume", o, () -> {
        d.controllerUnpublishVolume(ProtoMapper.fromProto(r));
        return Csi.ControllerUnpublishVolumeResponse.getDefaultInstance();
      });
    }

    @Override
    public void validateVolumeCapabilities(Csi.ValidateVolumeCapabilitiesRequest r,
        StreamObserver<Csi.ValidateVolumeCapabilitiesResponse> o) {
      unary("ValidateVolumeCapabilities", o,
          () -> ProtoMapper.toProto(d.validateVolumeCapabilities(ProtoMapper.fromProto(r))));
    }

    @Override
    public void listVolumes(Csi.ListVolumesRequest r, StreamObserver<Csi.ListVolumesResponse> o) {
      unary("ListVolumes", o, () -> ProtoMapper.toProto(d.listVolumes(ProtoMapper.fromProto(r))));
    }

    @Override
    public void getCapacity(Csi.GetCapacityRequest r, StreamObserver<Csi.GetCapacityResponse> o) {
      unary("GetCapacity", o, () -> ProtoMapper.toProto(d.getCapacity(ProtoMapper.fromProto(r))));
    }

    @Override
    public void controllerGetCapabilities(Csi.ControllerGetCapabilitiesRequest r,
        StreamObserver<Csi.ControllerGetCapabilitiesResponse> o) {
      unary("ControllerGetCapabilities", o, () -> ProtoMapper.toProto(d.controllerGetCapabilities()));
    }

    @Override
    public void createSnapshot(Csi.CreateSnapshotRequest r, StreamObserver<Csi.CreateSnapshotResponse> o) {
      unary("CreateSnapshot", o, () -> ProtoMapper.toProto(d.createSnapshot(ProtoMapper.fromProto(r))));
    }

    @Override
    public void deleteSnapshot(Csi.DeleteSnapshotRequest r, StreamObserver<Csi.DeleteSnapshotResponse> o) {
      unary("DeleteSnapshot", o, () -> {
        d.deleteSnapshot(ProtoMapper.fromProto(r));
        return Csi.DeleteSnapshotResponse.getDefaultInstance();
      });
    }

    @Override
    public void listSnapshots(Csi.ListSnapshotsRequest r, StreamObserver<Csi.ListSnapshotsResponse> o) {
      unary("ListSnapshots", o, () -> ProtoMapper.toProto(d.listSnapshots(ProtoMapper.fromProto(r))));
    }

    @Override
    public void getSnapshot(Csi.GetSnapshotRequest r, StreamObserver<Csi.GetSnapshotResponse> o) {
      unary("GetSnapshot", o, () -> ProtoMapper.toProto(d.getSnapshot(ProtoMapper.fromProto(r))));
    }

    @Override
    public void controllerExpandVolume(Csi.ControllerExpandVolumeRequest r,
        StreamObserver<Csi.ControllerExpandVolumeResponse> o) {
      unary("ControllerExpandVolume", o,
          () -> ProtoMapper.toProto(d.controllerExpandVolume(ProtoMapper.fromProto(r))));
    }

    @Override
    public void controllerModifyVolume(Csi.ControllerModifyVolumeRequest r,
        StreamObserver<Csi.ControllerModifyVolumeResponse> o) {
      unary("ControllerModifyVolume", o,
          () -> ProtoMapper.toProto(d.controllerModifyVolume(ProtoMapper.fromProto(r))));
    }

    @Override
    public void controllerGetVolume(Csi.ControllerGetVolumeRequest r,
        StreamObserver<Csi.ControllerGetVolumeResponse> o) {
      unary("ControllerGetVolume", o, () -> ProtoMapper.toProto(d.controllerGetVolume(ProtoMapper.fromProto(r))));
    }
  }

  private static final class GroupControllerService extends GroupControllerGrpc.GroupControllerImplBase {
    private final CsiDriver d;

    GroupControllerService(CsiDriver d) {
      this.d = d;
    }

    @Override
    public void groupControllerGetCapabilities(Csi.GroupControllerGetCapabilitiesRequest r,
        StreamObserver<Csi.GroupControllerGetCapabilitiesResponse> o) {
      unary("GroupControllerGetCapabilities", o, () -> ProtoMapper.toProto(d.groupControllerGetCapabilities()));
    }

    @Override
    public void createVolumeGroupSnapshot(Csi.CreateVolumeGroupSnapshotRequest r,
        StreamObserver<Csi.CreateVolumeGroupSnapshotResponse> o) {
      unary("CreateVolumeGroupSnapshot", o,
          () -> ProtoMapper.toProto(d.createVolumeGroupSnapshot(ProtoMapper.fromProto(r))));
    }

    @Override
    public void deleteVolumeGroupSnapshot(Csi.DeleteVolumeGroupSnapshotRequest r,
        StreamObserver<Csi.DeleteVolumeGroupSnapshotResponse> o) {
      unary("DeleteVolumeGroupSnapshot", o, () -> {
        d.deleteVolumeGroupSnapshot(ProtoMapper.fromProto(r));
        return Csi.DeleteVolumeGroupSnapshotResponse.getDefaultInstance();
      });
    }

    @Override
    public void getVolumeGroupSnapshot(Csi.GetVolumeGroupSnapshotRequest r,
        StreamObserver<Csi.GetVolumeGroupSnapshotResponse> o) {
      unary("GetVolumeGroupSnapshot", o,
          () -> ProtoMapper.toProto(d.getVolumeGroupSnapshot(ProtoMapper.fromProto(r))));
    }
  }

  private static final class NodeService extends NodeGrpc.NodeImplBase {
    private final CsiDriver d;

    NodeService(CsiDriver d) {
      this.d = d;
    }

    @Override
    public void nodeStageVolume(Csi.NodeStageVolumeRequest r, StreamObserver<Csi.NodeStageVolumeResponse> o) {
      unary("NodeStageVolume", o, () -> {
        d.nodeStageVolume(ProtoMapper.fromProto(r));
        return Csi.NodeStageVolumeResponse.getDefaultInstance();
      });
    }

    @Override
    public void nodeUnstageVolume(Csi.NodeUnstageVolumeRequest r, StreamObserver<Csi.NodeUnstageVolumeResponse> o) {
      unary("NodeUnstageVolume", o, () -> {
        d.nodeUnstageVolume(ProtoMapper.fromProto(r));
        return Csi.NodeUnstageVolumeResponse.getDefaultInstance();
      });
    }

    @Override
    public void nodePublishVolume(Csi.NodePublishVolumeRequest r, StreamObserver<Csi.NodePublishVolumeResponse> o) {
      unary("NodePublishVolume", o, () -> {
        d.nodePublishVolume(ProtoMapper.fromProto(r));
        return Csi.NodePublishVolumeResponse.getDefaultInstance();
      });
    }

    @Override
    public void nodeUnpublishVolume(Csi.NodeUnpublishVolumeRequest r,
        StreamObserver<Csi.NodeUnpublishVolumeResponse> o) {
      unary("NodeUnpublishVolume", o, () -> {
        d.nodeUnpublishVolume(ProtoMapper.fromProto(r));
        return Csi.NodeUnpublishVolumeResponse.getDefaultInstance();
      });
    }

    @Override
    public void nodeGetVolumeStats(Csi.NodeGetVolumeStatsRequest r,
        StreamObserver<Csi.NodeGetVolumeStatsResponse> o) {
      unary("NodeGetVolumeStats", o, () -> ProtoMapper.toProto(d.nodeGetVolumeStats(ProtoMapper.fromProto(r))));
    }

    @Override
    public void nodeExpandVolume(Csi.NodeExpandVolumeRequest r, StreamObserver<Csi.NodeExpandVolumeResponse> o) {
      unary("NodeExpandVolume", o, () -> ProtoMapper.toProto(d.nodeExpandVolume(ProtoMapper.fromProto(r))));
    }

    @Override
    public void nodeGetCapabilities(Csi.NodeGetCapabilitiesRequest r,
        StreamObserver<Csi.NodeGetCapabilitiesResponse> o) {
      unary("NodeGetCapabilities", o, () -> ProtoMapper.toProto(d.nodeGetCapabilities()));
    }

    @Override
    public void nodeGetInfo(Csi.NodeGetInfoRequest r, StreamObserver<Csi.NodeGetInfoResponse> o) {
      unary("NodeGetInfo", o, () -> ProtoMapper.toProto(d.nodeGetInfo()));
    }
  }
}
