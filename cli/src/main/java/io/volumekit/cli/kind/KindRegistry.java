package io.volumekit.cli.kind;

import io.volumekit.cli.error.CliException;
import io.volumekit.model.meta.KindInfo;
import io.volumekit.model.meta.Kinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How users spell the kinds the command knows (the model's {@link Kinds}).
 *
 * <p>Mirrors kubectl's resource resolution over discovery: a kind is named by its plural, its
 * lower-case singular, the kind itself in any case, or a short name, optionally followed by {@code
 * .group} or {@code .version.group}; {@code pv,pvc} names several. An unknown spelling fails as
 * kubectl does: {@code error: the server doesn't have a resource type "foo"}
 * (kubectl's {@code error: the server doesn't have a resource type} line).
 */
public final class KindRegistry {

  /** The kinds of the model. */
  public static final KindRegistry STANDARD = new KindRegistry();

  private KindRegistry() {}

  /** The kind a user's spelling names ({@code pvc}, {@code PersistentVolumeClaim}, {@code sc.storage.k8s.io}). */
  public Optional<KindInfo> find(String spelling) {
    Optional<KindInfo> plain = Kinds.byName(spelling);
    if (plain.isPresent()) {
      return plain;
    }
    // What the model's lookup leaves out: a short name with its group, a version before the group.
    String s = spelling.toLowerCase(Locale.ROOT);
    int dot = s.indexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    String rest = s.substring(dot + 1);
    return Kinds.byName(s.substring(0, dot))
        .filter(k -> rest.equals(k.group()) || rest.equals(k.version() + "." + k.group()));
  }

  /** Like {@link #find} but fails with kubectl's message for an unknown resource type. */
  public KindInfo resolve(String spelling) {
    return find(spelling)
        .orElseThrow(() -> CliException.error("the server doesn't have a resource type \"" + spelling + "\""));
  }

  /** Resolves a comma-separated list, e.g. {@code pv,pvc}, without repeats. */
  public List<KindInfo> resolveAll(String spellings) {
    List<KindInfo> out = new ArrayList<>();
    for (String s : spellings.split(",")) {
      if (s.isEmpty()) {
        continue;
      }
      KindInfo k = resolve(s);
      if (!out.contains(k)) {
        out.add(k);
      }
    }
    return out;
  }

  /** The kind with this {@code apiVersion} and {@code kind}, as written in a manifest. */
  public Optional<KindInfo> byApiVersionAndKind(String apiVersion, String kind) {
    return Kinds.byApiVersionAndKind(apiVersion, kind);
  }

  /** The kind named exactly {@code kind} (API casing), whatever its version. */
  public Optional<KindInfo> byKind(String kind) {
    return Kinds.ALL.stream().filter(k -> k.kind().equals(kind)).findFirst();
  }
}
