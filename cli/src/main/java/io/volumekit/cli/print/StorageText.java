package io.volumekit.cli.print;

import static io.volumekit.cli.print.Fields.has;
import static io.volumekit.cli.print.Fields.str;
import static io.volumekit.cli.print.Fields.strings;
import static io.volumekit.cli.print.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Shared renderings of storage fields used by tables and describe.
 *
 * <p>Mirrors {@code kubectl/pkg/util/storage} and {@code GetAccessModesAsString}: access modes in
 * a fixed short order, the storage class from the beta annotation first, the default-class
 * annotation check.
 */
public final class StorageText {

  /** The beta annotation that overrides {@code storageClassName} when present. */
  public static final String BETA_CLASS = "volume.beta.kubernetes.io/storage-class";

  private static final List<String[]> MODES = List.of(
      new String[] {"ReadWriteOnce", "RWO"},
      new String[] {"ReadOnlyMany", "ROX"},
      new String[] {"ReadWriteMany", "RWX"},
      new String[] {"ReadWriteOncePod", "RWOP"});

  private StorageText() {}

  /** Access modes as {@code RWO,RWX}: de-duplicated, fixed order, as kubectl prints them. */
  public static String accessModes(List<String> modes) {
    List<String> out = new ArrayList<>();
    for (String[] m : MODES) {
      if (modes.contains(m[0])) {
        out.add(m[1]);
      }
    }
    return String.join(",", out);
  }

  /** The class of a PV or PVC: the beta annotation if present (even empty), else {@code spec.storageClassName}. */
  public static String storageClass(JsonNode obj) {
    return text(obj, "metadata", "annotations", BETA_CLASS).orElse(str(obj, "spec", "storageClassName"));
  }

  /** Whether a StorageClass carries the default-class annotation with value {@code "true"}. */
  public static boolean isDefaultClass(JsonNode sc) {
    Map<String, String> a = Fields.map(sc, "metadata", "annotations");
    return "true".equals(a.get("storageclass.kubernetes.io/is-default-class"))
        || "true".equals(a.get("storageclass.beta.kubernetes.io/is-default-class"));
  }

  /** The phase, or {@code Terminating} when a delete was requested. */
  public static String phaseOrTerminating(JsonNode obj) {
    return has(obj, "metadata", "deletionTimestamp") ? "Terminating" : str(obj, "status", "phase");
  }

  /** {@code k=v} pairs of a sorted map joined by commas, or {@code <none>}. */
  public static String pairs(Map<String, String> map) {
    return map.isEmpty()
        ? "<none>"
        : map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }

  /** The string list at the path, in Go's {@code [a b]} form. */
  public static String goList(JsonNode obj, String... path) {
    return "[" + String.join(" ", strings(obj, path)) + "]";
  }
}
