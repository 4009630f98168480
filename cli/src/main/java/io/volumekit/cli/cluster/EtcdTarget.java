package io.volumekit.cli.cluster;

import com.google.common.collect.ImmutableList;
import io.volumekit.cli.error.CliException;
import java.util.List;

/**
 * Where {@code --store etcd://host:2379[,host2:2379...][/prefix]} keeps the cluster: the etcd
 * client endpoints and the key prefix (default {@code /volumekit/default}), as an API server's
 * {@code --etcd-servers} and {@code --etcd-prefix}.
 *
 * @param endpoints the client URLs ({@code http://host:port})
 * @param prefix the key prefix of the cluster
 */
public record EtcdTarget(ImmutableList<String> endpoints, String prefix) {

  /** The prefix when the address names none. */
  public static final String DEFAULT_PREFIX = "/volumekit/default";

  private static final String SCHEME = "etcd://";

  public EtcdTarget {
    endpoints = ImmutableList.copyOf(endpoints);
  }

  /**
   * Parses {@code etcd://host:port[,host:port...][/prefix]}; a host without a port gets etcd's
   * client port 2379.
   *
   * @throws CliException (usage) for anything else
   */
  public static EtcdTarget parse(String value) {
    if (!value.startsWith(SCHEME) || value.length() == SCHEME.length()) {
      throw invalid(value);
    }
    String rest = value.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String hosts = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 || slash == rest.length() - 1 ? DEFAULT_PREFIX : stripTrailingSlash(rest.substring(slash));
    ImmutableList.Builder<String> endpoints = ImmutableList.builder();
    for (String host : List.of(hosts.split(",", -1))) {
      if (!host.matches("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+](:[0-9]{1,5})?")) {
        throw invalid(value);
      }
      boolean hasPort = host.startsWith("[") ? host.contains("]:") : host.contains(":");
      endpoints.add("http://" + host + (hasPort ? "" : ":2379"));
    }
    return new EtcdTarget(endpoints.build(), prefix);
  }

  private static String stripTrailingSlash(String p) {
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  private static CliException invalid(String value) {
    return CliException.usage("invalid --store \"" + value + "\": expected etcd://HOST:PORT[,HOST:PORT...][/PREFIX]");
  }

  @Override
  public String toString() {
    return SCHEME + String.join(",", endpoints.stream().map(e -> e.substring("http://".length())).toList()) + prefix;
  }
}
