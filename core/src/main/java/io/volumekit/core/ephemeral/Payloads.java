package io.volumekit.core.ephemeral;

import io.volumekit.core.node.PayloadFile;
import io.volumekit.core.token.ServiceAccountTokenRequest;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.ConfigMap;
import io.volumekit.model.core.ConfigMapProjection;
import io.volumekit.model.core.ConfigMapVolumeSource;
import io.volumekit.model.core.Container;
import io.volumekit.model.core.DownwardAPIVolumeFile;
import io.volumekit.model.core.KeyToPath;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.ProjectedVolumeSource;
import io.volumekit.model.core.ResourceFieldSelector;
import io.volumekit.model.core.Secret;
import io.volumekit.model.core.SecretProjection;
import io.volumekit.model.core.SecretVolumeSource;
import io.volumekit.model.core.VolumeProjection;
import io.volumekit.model.quantity.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the payload (files by relative path) of secret, configMap, downwardAPI and projected
 * volumes from the cluster state, as the kubelet plugins' {@code MakePayload} functions do
 * (docs/cases/node-side.md row E2): no {@code items} projects every key; {@code items} project the listed
 * keys to their paths with their modes (else {@code defaultMode}, else 0644); a missing source
 * object or key is an error unless {@code optional: true}.
 */
public final class Payloads {

  private Payloads() {}

  /** The default file mode of these volumes. */
  public static final int DEFAULT_MODE = 0644;

  /** The payload, or why it cannot be built (the kubelet's FailedMount message). */
  public record Result(Optional<Map<String, PayloadFile>> payload, Optional<String> error) {
    static Result ok(Map<String, PayloadFile> p) {
      return new Result(Optional.of(p), Optional.empty());
    }

    static Result error(String message) {
      return new Result(Optional.empty(), Optional.of(message));
    }
  }

  /** A secret volume's payload. */
  public static Result secret(ClusterState state, Pod pod, SecretVolumeSource src) {
    Map<String, PayloadFile> out = new TreeMap<>();
    String err = addSecret(state, pod, src.secretName().orElse(""), src.items(), src.optional().orElse(false),
        src.defaultMode().orElse(DEFAULT_MODE), out);
    return err == null ? Result.ok(out) : Result.error(err);
  }

  /** A configMap volume's payload. */
  public static Result configMap(ClusterState state, Pod pod, ConfigMapVolumeSource src) {
    Map<String, PayloadFile> out = new TreeMap<>();
    String err = addConfigMap(state, pod, src.name().orElse(""), src.items(), src.optional().orElse(false),
        src.defaultMode().orElse(DEFAULT_MODE), out);
    return err == null ? Result.ok(out) : Result.error(err);
  }

  /** A downwardAPI volume's payload. */
  public static Result downwardApi(Pod pod, List<DownwardAPIVolumeFile> items, int defaultMode) {
    Map<String, PayloadFile> out = new TreeMap<>();
    for (DownwardAPIVolumeFile f : items) {
      Optional<String> value;
      if (f.fieldRef().isPresent()) {
        value = fieldValue(pod, f.fieldRef().get().fieldPath());
        if (value.isEmpty()) {
          return Result.error("unsupported fieldPath: " + f.fieldRef().get().fieldPath());
        }
      } else if (f.resourceFieldRef().isPresent()) {
        value = Optional.of(resourceValue(pod, f.resourceFieldRef().get()));
      } else {
        continue;
      }
      out.put(f.path(), new PayloadFile(value.get().getBytes(StandardCharsets.UTF_8), f.mode().orElse(defaultMode)));
    }
    return Result.ok(out);
  }

  /** A projected volume's payload: every source merged. */
  public static Result projected(ClusterState state, Pod pod, ProjectedVolumeSource src) {
    int mode = src.defaultMode().orElse(DEFAULT_MODE);
    Map<String, PayloadFile> out = new TreeMap<>();
    for (VolumeProjection p : src.sources()) {
      String err = null;
      if (p.secret().isPresent()) {
        SecretProjection s = p.secret().get();
        err = addSecret(state, pod, s.name().orElse(""), s.items(), s.optional().orElse(false), mode, out);
      } else if (p.configMap().isPresent()) {
        ConfigMapProjection c = p.configMap().get();
        err = addConfigMap(state, pod, c.name().orElse(""), c.items(), c.optional().orElse(false), mode, out);
      } else if (p.downwardAPI().isPresent()) {
        Result r = downwardApi(pod, p.downwardAPI().get().items(), mode);
        if (r.error().isPresent()) {
          return r;
        }
        out.putAll(r.payload().get());
      } else if (p.serviceAccountToken().isPresent()) {
        // The token is issued by the runtime's TokenIssuer when the volume is written, never here.
        var t = p.serviceAccountToken().get();
        out.put(t.path(), PayloadFile.token(new ServiceAccountTokenRequest(pod.metadata().namespaceOrEmpty(),
            pod.spec().serviceAccountName().orElse("default"), t.audience().orElse(""),
            t.expirationSeconds().orElse(ServiceAccountTokenRequest.DEFAULT_EXPIRATION_SECONDS),
            pod.metadata().name(), pod.metadata().uid().orElse("")), mode));
      }
      if (err != null) {
        return Result.error(err);
      }
    }
    return Result.ok(out);
  }

  private static String addSecret(ClusterState state, Pod pod, String name, List<KeyToPath> items, boolean optional,
      int defaultMode, Map<String, PayloadFile> out) {
    Optional<Secret> s = state.get(ObjectKey.namespaced(Secret.KIND, pod.metadata().namespaceOrEmpty(), name), Secret.class);
    if (s.isEmpty()) {
      return optional ? null : "secret \"" + name + "\" not found";
    }
    Map<String, byte[]> data = new TreeMap<>();
    for (String k : s.get().keys()) {
      data.put(k, s.get().value(k).orElse(new byte[0]));
    }
    return project(data, items, optional, defaultMode, out, "references non-existent secret key: ");
  }

  private static String addConfigMap(ClusterState state, Pod pod, String name, List<KeyToPath> items,
      boolean optional, int defaultMode, Map<String, PayloadFile> out) {
    Optional<ConfigMap> c = state.get(ObjectKey.namespaced(ConfigMap.KIND, pod.metadata().namespaceOrEmpty(), name),
        ConfigMap.class);
    if (c.isEmpty()) {
      return optional ? null : "configmap \"" + name + "\" not found";
    }
    Map<String, byte[]> data = new TreeMap<>();
    c.get().data().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    c.get().binaryData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    return project(data, items, optional, defaultMode, out, "configmap references non-existent config key: ");
  }

  private static String project(Map<String, byte[]> data, List<KeyToPath> items, boolean optional, int defaultMode,
      Map<String, PayloadFile> out, String missingKey) {
    if (items.isEmpty()) {
      data.forEach((k, v) -> out.put(k, new PayloadFile(v, defaultMode)));
      return null;
    }
    for (KeyToPath item : items) {
      byte[] v = data.get(item.key());
      if (v == null) {
        if (optional) {
          continue;
        }
        return missingKey + item.key();
      }
      out.put(item.path(), new PayloadFile(v, item.mode().orElse(defaultMode)));
    }
    return null;
  }

  /** The value of a downward API field path, if supported. */
  static Optional<String> fieldValue(Pod pod, String path) {
    var m = pod.metadata();
    return switch (path) {
      case "metadata.name" -> Optional.of(m.name());
      case "metadata.namespace" -> Optional.of(m.namespaceOrEmpty());
      case "metadata.uid" -> Optional.of(m.uid().orElse(""));
      case "metadata.labels" -> Optional.of(formatMap(m.labels()));
      case "metadata.annotations" -> Optional.of(formatMap(m.annotations()));
      case "spec.nodeName" -> Optional.of(pod.spec().nodeName().orElse(""));
      case "spec.serviceAccountName" -> Optional.of(pod.spec().serviceAccountName().orElse(""));
      case "status.hostIP" -> Optional.of(pod.status().hostIP().orElse(""));
      case "status.podIP" -> Optional.of(pod.status().podIP().orElse(""));
      default -> {
        if (path.startsWith("metadata.labels['") && path.endsWith("']")) {
          yield Optional.of(m.labels().getOrDefault(path.substring(17, path.length() - 2), ""));
        }
        if (path.startsWith("metadata.annotations['") && path.endsWith("']")) {
          yield Optional.of(m.annotations().getOrDefault(path.substring(22, path.length() - 2), ""));
        }
        yield Optional.empty();
      }
    };
  }

  /** {@code FormatMap}: sorted {@code key="value"} lines. */
  static String formatMap(Map<String, String> m) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(m).entrySet()) {
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append(e.getKey()).append("=\"").append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"")
          .replace("\n", "\\n")).append('"');
    }
    return b.toString();
  }

  /** A container resource (requests.x / limits.x) divided by the divisor, rounded up; 0 when unset. */
  static String resourceValue(Pod pod, ResourceFieldSelector sel) {
    Optional<Quantity> q = Optional.empty();
    for (Container c : pod.spec().allContainers()) {
      if (sel.containerName().isEmpty() || sel.containerName().get().equals(c.name())) {
        String r = sel.resource();
        if (c.resources().isPresent()) {
          var res = c.resources().get();
          if (r.startsWith("limits.")) {
            q = Optional.ofNullable(res.limits().get(r.substring(7)));
          } else if (r.startsWith("requests.")) {
            q = Optional.ofNullable(res.requests().get(r.substring(9)));
          }
        }
        break;
      }
    }
    if (q.isEmpty()) {
      return "0";
    }
    BigDecimal divisor = sel.divisor().map(Quantity::amount).filter(d -> d.signum() > 0).orElse(BigDecimal.ONE);
    return q.get().amount().divide(divisor, 0, RoundingMode.CEILING).toPlainString();
  }
}
