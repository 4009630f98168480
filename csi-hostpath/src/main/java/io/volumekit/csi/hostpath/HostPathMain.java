package io.volumekit.csi.hostpath;

import io.volumekit.csi.client.CsiEndpoint;
import io.volumekit.csi.client.server.CsiGrpcServer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the hostpath driver as a CSI plugin process serving Identity, Controller and Node on one
 * endpoint:
 *
 * <pre>
 * java -jar volumekit-csi-hostpath-&lt;version&gt;-all.jar --endpoint unix:///run/csi/csi.sock \
 *     --nodeid node-1 --data-dir /var/lib/csi-hostpath [--capacity BYTES] [--default-volume-size BYTES]
 *     [--max-volumes-per-node N]
 *     [--mount-mode auto|bind|symlink] [--accepted-mutable-parameter-names a,b]
 * </pre>
 *
 * <p>{@code --endpoint} defaults to the {@code CSI_ENDPOINT} environment variable, as the CSI spec
 * asks. {@code --help} prints the usage on stdout and exits 0. Logs go to stderr; the process stops on SIGTERM, removing its socket.
 */
public final class HostPathMain {
  private static final Logger LOG = LoggerFactory.getLogger(HostPathMain.class);

  static final String USAGE = "usage: csi-hostpath --endpoint unix:///path.sock --nodeid NODE --data-dir DIR\n"
      + "    [--capacity BYTES] [--default-volume-size BYTES] [--max-volumes-per-node N]\n"
      + "    [--mount-mode auto|bind|symlink] [--accepted-mutable-parameter-names a,b] [--help]\n"
      + "--endpoint defaults to $CSI_ENDPOINT.";

  private HostPathMain() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.println(USAGE); // asked for: stdout, success
      return;
    }
    Map<String, String> opts;
    try {
      opts = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    String endpoint = opts.getOrDefault("endpoint", System.getenv().getOrDefault("CSI_ENDPOINT", ""));
    if (endpoint.isEmpty() || !opts.containsKey("nodeid") || !opts.containsKey("data-dir")) {
      System.err.println("error: --endpoint (or CSI_ENDPOINT), --nodeid and --data-dir are required");
      System.exit(2);
      return;
    }
    HostPathConfig config = HostPathConfig.of(Path.of(opts.get("data-dir")), opts.get("nodeid"));
    if (opts.containsKey("capacity")) {
      config = config.withCapacityBytes(Long.parseLong(opts.get("capacity")));
    }
    if (opts.containsKey("default-volume-size")) {
      config = config.withDefaultVolumeSizeBytes(Long.parseLong(opts.get("default-volume-size")));
    }
    if (opts.containsKey("max-volumes-per-node")) {
      config = config.withMaxVolumesPerNode(Long.parseLong(opts.get("max-volumes-per-node")));
    }
    if (opts.containsKey("mount-mode")) {
      config = config.withMountMode(HostPathConfig.MountMode.valueOf(opts.get("mount-mode").toUpperCase()));
    }
    if (opts.containsKey("accepted-mutable-parameter-names")) {
      config = config.withMutableParameterKeys(Arrays.stream(opts.get("accepted-mutable-parameter-names").split(","))
          .map(String::trim).filter(k -> !k.isEmpty()).toList());
    }
    HostPathDriver driver = new HostPathDriver(config);
    CsiGrpcServer server = CsiGrpcServer.start(driver, CsiEndpoint.parse(endpoint));
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "csi-hostpath-shutdown"));
    LOG.info("{} {} ready at {}", HostPathDriver.DRIVER_NAME, HostPathDriver.VERSION, server.endpoint());
    server.awaitTermination();
  }

  static Map<String, String> parse(String[] args) {
    Set<String> known = Set.of("endpoint", "nodeid", "data-dir", "capacity", "default-volume-size", "max-volumes-per-node",
        "mount-mode", "accepted-mutable-parameter-names");
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + a);
      }
      String key;
      String value;
      int eq = a.indexOf('=');
      if (eq > 0) {
        key = a.substring(2, eq);
        value = a.substring(eq + 1);
      } else {
        key = a.substring(2);
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + a);
        }
        value = args[++i];
      }
      if (!known.contains(key)) {
        throw new IllegalArgumentException("unknown option --" + key + "; known: " + Arrays.toString(known.toArray()));
      }
      out.put(key, value);
    }
    return out;
  }
}
