package io.volumekit.csi.client;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a CSI driver listens: a unix domain socket ({@code unix:///abs/path/csi.sock}, or a bare
 * absolute path, as the Kubernetes sidecars accept) or a TCP address ({@code dns:///host:port} or
 * {@code host:port}). CSI drivers normally listen on a unix socket named by {@code CSI_ENDPOINT}
 * (docs/csi.md).
 */
public record CsiEndpoint(Kind kind, String address) {

  /** The transport. */
  public enum Kind {
    /** A unix domain socket; {@code address} is the socket's absolute path. */
    UNIX,
    /** TCP; {@code address} is a gRPC target such as {@code dns:///host:port}. */
    TCP
  }

  /** Rejects nulls and an empty address. */
  public CsiEndpoint {
    Objects.requireNonNull(kind, "kind");
    if (address == null || address.isEmpty()) {
      throw new IllegalArgumentException("endpoint address must not be empty");
    }
  }

  /**
   * Parses {@code unix:///path}, {@code unix:/path}, {@code /path}, {@code dns:///host:port},
   * {@code tcp://host:port} or {@code host:port}. A Windows named pipe ({@code npipe://...}) is
   * refused with an {@link IllegalArgumentException}: there is no named-pipe transport here.
   */
  public static CsiEndpoint parse(String endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    String e = endpoint.trim();
    if (e.startsWith("unix://")) {
      return unix(Path.of(e.substring("unix://".length())));
    }
    if (e.startsWith("unix:")) {
      return unix(Path.of(e.substring("unix:".length())));
    }
    if (e.startsWith("/")) {
      return unix(Path.of(e));
    }
    if (e.startsWith("npipe:")) {
      // kubelet and the CSI sidecars accept npipe:// on Windows nodes; grpc-java has no
      // named-pipe transport, and a named pipe exists only on Windows.
      throw new IllegalArgumentException("endpoint: named pipe endpoints (" + endpoint + ") are not supported: "
          + "a Windows node's CSI driver must listen on a unix socket (unix://C:\\csi\\csi.sock on Windows, "
          + "unix:///path here) or TCP");
    }
    if (e.startsWith("tcp://")) {
      return new CsiEndpoint(Kind.TCP, "dns:///" + e.substring("tcp://".length()));
    }
    if (e.startsWith("dns:")) {
      return new CsiEndpoint(Kind.TCP, e);
    }
    if (e.contains(":")) {
      return new CsiEndpoint(Kind.TCP, "dns:///" + e);
    }
    throw new IllegalArgumentException("endpoint: expected unix:///path or dns:///host:port, got '" + endpoint + "'");
  }

  /** A unix socket endpoint at an absolute path. */
  public static CsiEndpoint unix(Path socket) {
    if (!socket.isAbsolute()) {
      throw new IllegalArgumentException("endpoint: unix socket path must be absolute, got " + socket);
    }
    return new CsiEndpoint(Kind.UNIX, socket.normalize().toString());
  }

  /** The socket path of a unix endpoint. */
  public Path socketPath() {
    if (kind != Kind.UNIX) {
      throw new IllegalStateException("not a unix endpoint: " + this);
    }
    return Path.of(address);
  }

  /** The endpoint in URI form, e.g. {@code unix:///run/csi.sock}. */
  @Override
  public String toString() {
    return kind == Kind.UNIX ? "unix://" + address : address;
  }
}
