package io.volumekit.csi.client;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.AbstractStub;
import io.volumekit.core.csi.ControllerExpandVolumeRequest;
import io.volumekit.core.csi.ControllerExpandVolumeResponse;
import io.volumekit.core.csi.ControllerModifyVolumeRequest;
import io.volumekit.core.csi.ControllerModifyVolumeResponse;
import io.volumekit.core.csi.ControllerGetCapabilitiesResponse;
import io.volumekit.core.csi.ControllerGetVolumeRequest;
import io.volumekit.core.csi.ControllerGetVolumeResponse;
import io.volumekit.core.csi.ControllerPublishVolumeRequest;
import io.volumekit.core.csi.ControllerPublishVolumeResponse;
import io.volumekit.core.csi.ControllerUnpublishVolumeRequest;
import io.volumekit.core.csi.CreateSnapshotRequest;
import io.volumekit.core.csi.CreateSnapshotResponse;
import io.volumekit.core.csi.CreateVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.CreateVolumeGroupSnapshotResponse;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CreateVolumeResponse;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.DeleteSnapshotRequest;
import io.volumekit.core.csi.DeleteVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.csi.GetCapacityRequest;
import io.volumekit.core.csi.GetCapacityResponse;
import io.volumekit.core.csi.GetPluginCapabilitiesResponse;
import io.volumekit.core.csi.GetPluginInfoResponse;
import io.volumekit.core.csi.GetVolumeGroupSnapshotRequest;
import io.volumekit.core.csi.GetVolumeGroupSnapshotResponse;
import io.volumekit.core.csi.GroupControllerGetCapabilitiesResponse;
import io.volumekit.core.csi.ListSnapshotsRequest;
import io.volumekit.core.csi.ListSnapshotsResponse;
import io.volumekit.core.csi.ListVolumesRequest;
import io.volumekit.core.csi.ListVolumesResponse;
import io.volumekit.core.csi.NodeExpandVolumeRequest;
import io.volumekit.core.csi.NodeExpandVolumeResponse;
import io.volumekit.core.csi.NodeGetCapabilitiesResponse;
import io.volumekit.core.csi.NodeGetInfoResponse;
import io.volumekit.core.csi.NodeGetVolumeStatsRequest;
import io.volumekit.core.csi.NodeGetVolumeStatsResponse;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.csi.NodeUnpublishVolumeRequest;
import io.volumekit.core.csi.NodeUnstageVolumeRequest;
import io.volumekit.core.csi.PluginCapability;
import io.volumekit.core.csi.ProbeResponse;
import io.volumekit.core.csi.ValidateVolumeCapabilitiesRequest;
import io.volumekit.core.csi.ValidateVolumeCapabilitiesResponse;
import io.volumekit.csi.client.internal.ProtoMapper;
import io.volumekit.csi.client.internal.proto.ControllerGrpc;
import io.volumekit.csi.client.internal.proto.Csi;
import io.volumekit.csi.client.internal.proto.GroupControllerGrpc;
import io.volumekit.csi.client.internal.proto.IdentityGrpc;
import io.volumekit.csi.client.internal.proto.NodeGrpc;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CsiDriver} that calls a real CSI driver over gRPC: a unix domain socket ({@code
 * unix:///path/csi.sock}) or TCP ({@code dns:///host:port}).
 *
 * <p>Like the Kubernetes sidecars (their {@code connection.Connect}) it keeps one long-lived connection
 * and reconnects by itself when the driver restarts; each call waits for the connection (so a call
 * made while the socket is being re-created succeeds once the driver is back) but never longer
 * than its deadline. Reconnect attempts are paced at most {@value #RECONNECT_MILLIS} ms apart
 * while calls are waiting. Every call has a deadline ({@link Builder#callTimeout}); a call that
 * runs out of time fails with DEADLINE_EXCEEDED, which {@link CsiCode#mayBeInProgress()} reports
 * as possibly still running in the driver.
 *
 * <p>gRPC statuses become {@link CsiException}s with the same {@link CsiCode}. {@link #info()}
 * discovers the driver (GetPluginInfo, GetPluginCapabilities, Probe, ControllerGetCapabilities,
 * GroupControllerGetCapabilities, NodeGetCapabilities, NodeGetInfo) once and caches it; the cache is dropped whenever the
 * connection is lost, so capabilities are re-read after a driver restart. Requests are never
 * logged (they may carry secrets and mount flags); only RPC names and status codes are.
 *
 * <pre>{@code
 * try (GrpcCsiDriver csi = GrpcCsiDriver.builder("unix:///run/csi/csi.sock")
 *     .callTimeout(Duration.ofSeconds(15)).build()) {
 *   csi.awaitReady(Duration.ofSeconds(30));
 *   Volume v = csi.createVolume(CreateVolumeRequest.of("pvc-1", 1L << 30,
 *       VolumeCapability.mount("ext4", AccessMode.SINGLE_NODE_WRITER))).volume();
 * }
 * }</pre>
 */
public final class GrpcCsiDriver implements CsiDriver, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcCsiDriver.class);
  static final long RECONNECT_MILLIS = 200;

  /** Paces reconnect attempts of every client (one daemon thread, tiny tasks). */
  private static final ScheduledExecutorService RECONNECTS = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "csi-client-reconnect");
    t.setDaemon(true);
    return t;
  });

  private final CsiEndpoint endpoint;
  private final Duration callTimeout;
  private final ManagedChannel channel;
  private final EventLoopGroup eventLoop;
  private final IdentityGrpc.IdentityBlockingStub identity;
  private final ControllerGrpc.ControllerBlockingStub controller;
  private final GroupControllerGrpc.GroupControllerBlockingStub groupController;
  private final NodeGrpc.NodeBlockingStub node;
  private final AtomicInteger waitingCalls = new AtomicInteger();
  private final AtomicLong connectionsLost = new AtomicLong();
  private volatile DriverInfo cachedInfo;
  private volatile boolean closed;
  private volatile boolean connected;

  /** Options for a {@link GrpcCsiDriver}. */
  public static final class Builder {
    private final CsiEndpoint endpoint;
    private Duration callTimeout = Duration.ofSeconds(15);

    private Builder(CsiEndpoint endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /** The deadline of each call (default 15 s, the external-attacher's default). */
    public Builder callTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("callTimeout must be positive");
      }
      this.callTimeout = timeout;
      return this;
    }

    /** Creates the client; the connection is made by the first call. */
    public GrpcCsiDriver build() {
      return new GrpcCsiDriver(endpoint, callTimeout);
    }
  }

  /** Options for a client of the driver at {@code endpoint} (see {@link CsiEndpoint#parse}). */
  public static Builder builder(String endpoint) {
    return new Builder(CsiEndpoint.parse(endpoint));
  }

  /** Options for a client of the driver at {@code endpoint}. */
  public static Builder builder(CsiEndpoint endpoint) {
    return new Builder(endpoint);
  }

  /** A client with default options. */
  public static GrpcCsiDriver connect(String endpoint) {
    return builder(endpoint).build();
  }

  private GrpcCsiDriver(CsiEndpoint endpoint, Duration callTimeout) {
    this.endpoint = endpoint;
    this.callTimeout = callTimeout;
    NettyChannelBuilder b;
    if (endpoint.kind() == CsiEndpoint.Kind.UNIX) {
      // Daemon threads: a client someone forgot to close must not keep the JVM alive.
      eventLoop = new EpollEventLoopGroup(1, new DefaultThreadFactory("csi-client", true));
      b = NettyChannelBuilder.forAddress(new DomainSocketAddress(endpoint.address()))
          .eventLoopGroup(eventLoop)
          .channelType(EpollDomainSocketChannel.class)
          // gRPC always sets SO_KEEPALIVE, which unix sockets lack (Netty warns per connection);
          // a null value removes the option.
          .withOption(ChannelOption.SO_KEEPALIVE, null)
          .overrideAuthority("localhost");
    } else {
      eventLoop = null;
      b = NettyChannelBuilder.forTarget(endpoint.address());
    }
    channel = b.usePlaintext().build();
    identity = IdentityGrpc.newBlockingStub(channel);
    controller = ControllerGrpc.newBlockingStub(channel);
    groupController = GroupControllerGrpc.newBlockingStub(channel);
    node = NodeGrpc.newBlockingStub(channel);
    watch(channel.getState(false));
  }

  /** The endpoint this client calls. */
  public CsiEndpoint endpoint() {
    return endpoint;
  }

  /** How often an established connection was lost (e.g. the driver restarted). */
  public long connectionsLost() {
    return connectionsLost.get();
  }

  // Follows the channel's state: losing an established connection means the driver may have
  // restarted, so cached capabilities are dropped; a failed connect is retried soon while calls
  // wait. Callbacks run late under load, so a loss is recognised either by a callback registered
  // on READY (the state left READY, whatever it is now) or by a non-READY state while a call had
  // succeeded since the last loss.
  private void watch(ConnectivityState from) {
    if (closed) {
      return;
    }
    channel.notifyWhenStateChanged(from, () -> {
      if (closed) {
        return; // our own shutdown, not a lost driver
      }
      ConnectivityState now = channel.getState(false);
      if (from == ConnectivityState.READY || (now != ConnectivityState.READY && connected)) {
        connectionLost(now);
      }
      if (now == ConnectivityState.READY) {
        connected = true;
      }
      if (now == ConnectivityState.TRANSIENT_FAILURE) {
        RECONNECTS.schedule(this::kick, RECONNECT_MILLIS, TimeUnit.MILLISECONDS);
      }
      watch(now);
    });
  }

  private synchronized void connectionLost(ConnectivityState now) {
    if (!connected) {
      return;
    }
    connected = false;
    connectionsLost.incrementAndGet();
    cachedInfo = null;
    LOG.info("connection to CSI driver at {} lost ({}); will reconnect and re-read capabilities", endpoint, now);
  }

  private void kick() {
    if (!closed && waitingCalls.get() > 0 && channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      channel.resetConnectBackoff();
    }
  }

  private <S extends AbstractStub<S>, R> R call(String rpc, S stub, Function<S, R> body) {
    if (closed) {
      throw new CsiException(CsiCode.UNAVAILABLE, rpc + ": client for " + endpoint + " is closed");
    }
    waitingCalls.incrementAndGet();
    try {
      if (channel.getState(true) == ConnectivityState.TRANSIENT_FAILURE) {
        channel.resetConnectBackoff();
      }
      R response = body.apply(stub.withDeadlineAfter(callTimeout.toNanos(), TimeUnit.NANOSECONDS).withWaitForReady());
      connected = true;
      return response;
    } catch (StatusRuntimeException e) {
      Status s = e.getStatus();
      CsiCode code = CsiCode.fromValue(s.getCode().value());
      LOG.debug("{} at {} failed with {}", rpc, endpoint, code);
      String description = s.getDescription() == null ? s.getCode().name() : s.getDescription();
      throw new CsiException(code, rpc + ": " + description, e);
    } catch (CsiException e) {
      throw e;
    } catch (RuntimeException e) {
      // A local failure before or around the call: the driver may or may not have seen it, so it
      // is reported as UNAVAILABLE (non-final), as Kubernetes treats non-status errors.
      throw new CsiException(CsiCode.UNAVAILABLE, rpc + ": local error: " + e, e);
    } finally {
      waitingCalls.decrementAndGet();
    }
  }

  /**
   * Waits until the driver answers Probe with ready (Kubernetes sidecars' ProbeForever), polling
   * every {@value #RECONNECT_MILLIS} ms while it is unreachable or initialising. Throws the last
   * error (DEADLINE_EXCEEDED when it never became ready) after {@code timeout}.
   */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    CsiException last = null;
    while (System.nanoTime() < deadline) {
      long left = deadline - System.nanoTime();
      try {
        boolean ready = ProtoMapper.fromProto(identity.withDeadlineAfter(Math.max(left, 1), TimeUnit.NANOSECONDS)
            .withWaitForReady().probe(Csi.ProbeRequest.getDefaultInstance())).ready();
        if (ready) {
          return;
        }
        last = new CsiException(CsiCode.UNAVAILABLE, "Probe: driver at " + endpoint + " is not ready yet");
      } catch (StatusRuntimeException e) {
        last = new CsiException(CsiCode.fromValue(e.getStatus().getCode().value()),
            "Probe: " + e.getStatus().getDescription(), e);
        if (last.code() != CsiCode.DEADLINE_EXCEEDED && last.code() != CsiCode.UNAVAILABLE
            && last.code() != CsiCode.FAILED_PRECONDITION) {
          throw last;
        }
      }
      try {
        Thread.sleep(RECONNECT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CsiException(CsiCode.CANCELLED, "interrupted while waiting for " + endpoint, e);
      }
    }
    throw last != null ? last
        : new CsiException(CsiCode.DEADLINE_EXCEEDED, "driver at " + endpoint + " not ready within " + timeout);
  }

  /**
   * The driver's identity and capabilities, discovered on first use and cached until the
   * connection is lost (a restarted driver may have changed). Controller capabilities are read only
   * when the plugin advertises CONTROLLER_SERVICE, group controller capabilities only when it
   * advertises GROUP_CONTROLLER_SERVICE (as csi-snapshotter does; UNIMPLEMENTED then means none);
   * NodeGetInfo answering UNIMPLEMENTED gives an empty node info.
   */
  public DriverInfo info() {
    DriverInfo i = cachedInfo;
    if (i != null) {
      return i;
    }
    long generation = connectionsLost.get();
    GetPluginInfoResponse plugin = getPluginInfo();
    GetPluginCapabilitiesResponse caps = getPluginCapabilities();
    probe();
    ControllerGetCapabilitiesResponse ctrl = caps.has(PluginCapability.CONTROLLER_SERVICE)
        ? controllerGetCapabilities() : new ControllerGetCapabilitiesResponse(null);
    GroupControllerGetCapabilitiesResponse group = new GroupControllerGetCapabilitiesResponse(null);
    if (caps.has(PluginCapability.GROUP_CONTROLLER_SERVICE)) {
      try {
        group = groupControllerGetCapabilities();
      } catch (CsiException e) {
        if (e.code() != CsiCode.UNIMPLEMENTED) {
          throw e;
        }
        LOG.warn("CSI driver at {} advertises GROUP_CONTROLLER_SERVICE but does not serve it", endpoint);
      }
    }
    NodeGetCapabilitiesResponse nodeCaps;
    Optional<NodeGetInfoResponse> nodeInfo;
    try {
      nodeCaps = nodeGetCapabilities();
      nodeInfo = Optional.of(nodeGetInfo());
    } catch (CsiException e) {
      if (e.code() != CsiCode.UNIMPLEMENTED) {
        throw e;
      }
      nodeCaps = new NodeGetCapabilitiesResponse(null);
      nodeInfo = Optional.empty();
    }
    i = new DriverInfo(plugin, caps, ctrl, nodeCaps, nodeInfo, group);
    if (connectionsLost.get() == generation) {
      cachedInfo = i;
    }
    LOG.info("CSI driver {} {} at {}: plugin {}, controller {}, group controller {}, node {}", plugin.name(),
        plugin.vendorVersion(), endpoint, caps.capabilities(), ctrl.capabilities(), group.capabilities(),
        nodeCaps.capabilities());
    return i;
  }

  // ------------------------------------------------------------------ Identity

  @Override
  public GetPluginInfoResponse getPluginInfo() {
    return call("GetPluginInfo", identity,
        s -> ProtoMapper.fromProto(s.getPluginInfo(Csi.GetPluginInfoRequest.getDefaultInstance())));
  }

  @Override
  public GetPluginCapabilitiesResponse getPluginCapabilities() {
    return call("GetPluginCapabilities", identity,
        s -> ProtoMapper.fromProto(s.getPluginCapabilities(Csi.GetPluginCapabilitiesRequest.getDefaultInstance())));
  }

  @Override
  public ProbeResponse probe() {
    return call("Probe", identity, s -> ProtoMapper.fromProto(s.probe(Csi.ProbeRequest.getDefaultInstance())));
  }

  // ------------------------------------------------------------------ Controller

  @Override
  public CreateVolumeResponse createVolume(CreateVolumeRequest r) {
    return call("CreateVolume", controller, s -> ProtoMapper.fromProto(s.createVolume(ProtoMapper.toProto(r))));
  }

  @Override
  public void deleteVolume(DeleteVolumeRequest r) {
    call("DeleteVolume", controller, s -> s.deleteVolume(ProtoMapper.toProto(r)));
  }

  @Override
  public ControllerPublishVolumeResponse controllerPublishVolume(ControllerPublishVolumeRequest r) {
    return call("ControllerPublishVolume", controller,
        s -> ProtoMapper.fromProto(s.controllerPublishVolume(ProtoMapper.toProto(r))));
  }

  @Override
  public void controllerUnpublishVolume(ControllerUnpublishVolumeRequest r) {
    call("ControllerUnpublishVolume", controller, s -> s.controllerUnpublishVolume(ProtoMapper.toProto(r)));
  }

  @Override
  public ValidateVolumeCapabilitiesResponse validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest r) {
    return call("ValidateVolumeCapabilities", controller,
        s -> ProtoMapper.fromProto(s.validateVolumeCapabilities(ProtoMapper.toProto(r))));
  }

  @Override
  public ListVolumesResponse listVolumes(ListVolumesRequest r) {
    return call("ListVolumes", controller, s -> ProtoMapper.fromProto(s.listVolumes(ProtoMapper.toProto(r))));
  }

  @Override
  public GetCapacityResponse getCapacity(GetCapacityRequest r) {
    return call("GetCapacity", controller, s -> ProtoMapper.fromProto(s.getCapacity(ProtoMapper.toProto(r))));
  }

  @Override
  public ControllerGetCapabilitiesResponse controllerGetCapabilities() {
    return call("ControllerGetCapabilities", controller, s -> ProtoMapper.fromProto(
        s.controllerGetCapabilities(Csi.ControllerGetCapabilitiesRequest.getDefaultInstance())));
  }

  @Override
  public CreateSnapshotResponse createSnapshot(CreateSnapshotRequest r) {
    return call("CreateSnapshot", controller, s -> ProtoMapper.fromProto(s.createSnapshot(ProtoMapper.toProto(r))));
  }

  @Override
  public void deleteSnapshot(DeleteSnapshotRequest r) {
    call("DeleteSnapshot", controller, s -> s.deleteSnapshot(ProtoMapper.toProto(r)));
  }

  @Override
  public ListSnapshotsResponse listSnapshots(ListSnapshotsRequest r) {
    return call("ListSnapshots", controller, s -> ProtoMapper.fromProto(s.listSnapshots(ProtoMapper.toProto(r))));
  }

  @Override
  public io.volumekit.core.csi.GetSnapshotResponse getSnapshot(io.volumekit.core.csi.GetSnapshotRequest r) {
    return call("GetSnapshot", controller, s -> ProtoMapper.fromProto(s.getSnapshot(ProtoMapper.toProto(r))));
  }

  @Override
  public ControllerExpandVolumeResponse controllerExpandVolume(ControllerExpandVolumeRequest r) {
    return call("ControllerExpandVolume", controller,
        s -> ProtoMapper.fromProto(s.controllerExpandVolume(ProtoMapper.toProto(r))));
  }

  @Override
  public ControllerModifyVolumeResponse controllerModifyVolume(ControllerModifyVolumeRequest r) {
    return call("ControllerModifyVolume", controller,
        s -> ProtoMapper.fromProto(s.controllerModifyVolume(ProtoMapper.toProto(r))));
  }

  @Override
  public ControllerGetVolumeResponse controllerGetVolume(ControllerGetVolumeRequest r) {
    return call("ControllerGetVolume", controller,
        s -> ProtoMapper.fromProto(s.controllerGetVolume(ProtoMapper.toProto(r))));
  }

  // ------------------------------------------------------------------ GroupController

  @Override
  public GroupControllerGetCapabilitiesResponse groupControllerGetCapabilities() {
    return call("GroupControllerGetCapabilities", groupController, s -> ProtoMapper.fromProto(
        s.groupControllerGetCapabilities(Csi.GroupControllerGetCapabilitiesRequest.getDefaultInstance())));
  }

  @Override
  public CreateVolumeGroupSnapshotResponse createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest r) {
    return call("CreateVolumeGroupSnapshot", groupController,
        s -> ProtoMapper.fromProto(s.createVolumeGroupSnapshot(ProtoMapper.toProto(r))));
  }

  @Override
  public void deleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest r) {
    call("DeleteVolumeGroupSnapshot", groupController, s -> s.deleteVolumeGroupSnapshot(ProtoMapper.toProto(r)));
  }

  @Override
  public GetVolumeGroupSnapshotResponse getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest r) {
    return call("GetVolumeGroupSnapshot", groupController,
        s -> ProtoMapper.fromProto(s.getVolumeGroupSnapshot(ProtoMapper.toProto(r))));
  }

  // ------------------------------------------------------------------ Node

  @Override
  public void nodeStageVolume(NodeStageVolumeRequest r) {
    call("NodeStageVolume", node, s -> s.nodeStageVolume(ProtoMapper.toProto(r)));
  }

  @Override
  public void nodeUnstageVolume(NodeUnstageVolumeRequest r) {
    call("NodeUnstageVolume", node, s -> s.nodeUnstageVolume(ProtoMapper.toProto(r)));
  }

  @Override
  public void nodePublishVolume(NodePublishVolumeRequest r) {
    call("NodePublishVolume", node, s -> s.nodePublishVolume(ProtoMapper.toProto(r)));
  }

  @Override
  public void nodeUnpublishVolume(NodeUnpublishVolumeRequest r) {
    call("NodeUnpublishVolume", node, s -> s.nodeUnpublishVolume(ProtoMapper.toProto(r)));
  }

  @Override
  public NodeGetVolumeStatsResponse nodeGetVolumeStats(NodeGetVolumeStatsRequest r) {
    return call("NodeGetVolumeStats", node, s -> ProtoMapper.fromProto(s.nodeGetVolumeStats(ProtoMapper.toProto(r))));
  }

  @Override
  public NodeExpandVolumeResponse nodeExpandVolume(NodeExpandVolumeRequest r) {
    return call("NodeExpandVolume", node, s -> ProtoMapper.fromProto(s.nodeExpandVolume(ProtoMapper.toProto(r))));
  }

  @Override
  public NodeGetCapabilitiesResponse nodeGetCapabilities() {
    return call("NodeGetCapabilities", node,
        s -> ProtoMapper.fromProto(s.nodeGetCapabilities(Csi.NodeGetCapabilitiesRequest.getDefaultInstance())));
  }

  @Override
  public NodeGetInfoResponse nodeGetInfo() {
    return call("NodeGetInfo", node,
        s -> ProtoMapper.fromProto(s.nodeGetInfo(Csi.NodeGetInfoRequest.getDefaultInstance())));
  }

  /** Closes the connection; later calls fail with UNAVAILABLE. */
  @Override
  public void close() {
    closed = true;
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
    if (eventLoop != null) {
      eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Override
  public String toString() {
    return "GrpcCsiDriver[" + endpoint + "]";
  }
}
