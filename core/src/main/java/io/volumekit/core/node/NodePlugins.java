package io.volumekit.core.node;

import io.volumekit.core.csi.CsiDriver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Where the runtime sends node RPCs: the node plugin of each CSI driver on each node, as the
 * kubelet finds it through the plugin registration socket.
 *
 * <p>A driver registered with a per-node factory gets one plugin per node (made on first use and
 * kept); without one, each node reaches the driver through {@link CsiDriver#forNode(String)}.
 * Thread-safe.
 */
public final class NodePlugins {

  private final Map<String, Function<String, CsiDriver>> factories = new LinkedHashMap<>();
  private final Map<String, CsiDriver> plugins = new ConcurrentHashMap<>();

  /** No node plugins. */
  public NodePlugins() {}

  /** Registers the per-node factory of a driver. */
  public synchronized NodePlugins register(String driver, Function<String, CsiDriver> perNode) {
    factories.put(Objects.requireNonNull(driver, "driver"), Objects.requireNonNull(perNode, "perNode"));
    return this;
  }

  /** The default per-node factory for a driver instance (see the class comment). */
  public static Function<String, CsiDriver> defaultFactory(CsiDriver driver) {
    return driver::forNode;
  }

  /** The driver's plugin on the node, if the driver is registered. */
  public synchronized Optional<CsiDriver> plugin(String driver, String node) {
    Function<String, CsiDriver> f = factories.get(driver);
    if (f == null) {
      return Optional.empty();
    }
    return Optional.of(plugins.computeIfAbsent(driver + "\u0000" + node, k -> f.apply(node)));
  }

  /** The registered driver names. */
  public synchronized java.util.Set<String> drivers() {
    return java.util.Set.copyOf(factories.keySet());
  }
}
