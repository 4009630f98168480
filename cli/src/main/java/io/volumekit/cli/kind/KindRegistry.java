package io.volumekit.cli.kind;

import com.google.common.collect.ImmutableList;
import io.volumekit.cli.error.CliException;
import io.volumekit.model.meta.KindInfo;
import io.volumekit.model.meta.Kinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds the command knows (the model's {@link Kinds}) and how users spell them.
 *
 * <p>Mirrors kubectl's resource resolution over discovery: a kind is named by its plural, its
 * lower-case singular, the kind itself in any case, or a short name, optionally followed by {@code
 * .group} or {@code .version.group}; {@code pv,pvc} names several. An unknown spelling fails as
 * kubectl does: {@code error: the server doesn't have a resource type "foo"}
 * (spec/kubectl-output.md 7.4).
 */
public final class KindRegistry {

  /** The kinds of the model. */
  public static final KindRegistry STANDARD = new KindRegistry(Kinds.ALL);

  private final ImmutableList<KindInfo> kinds;

  /** A registry of the given kinds; the first match wins when spellings overlap. */
  public KindRegistry(List<KindInfo> kinds) {
    this.kinds = ImmutableList.copyOf(kinds);
  }

  /** Every known kind, in the registry's order. */
  public ImmutableList<KindInfo> all() {
    return kinds;
  }

  /** The kind a user's spelling names ({@code pvc}, {@code PersistentVolumeClaim}, {@code sc.storage.k8s.io}). */
  public Optional<KindInfo> find(String spelling) {
    String s = spelling.toLowerCase(Locale.ROOT);
    for (KindInfo k : kinds) {
      if (isNamedBy(k, s)) {
        return Optional.of(k);
      }
    }
    int dot = s.indexOf('.');
    if (dot > 0) {
      String name = s.substring(0, dot);
      String rest = s.substring(dot + 1);
      for (KindInfo k : kinds) {
        if (isNamedBy(k, name)
            && (rest.equals(k.group()) || rest.equals(k.version() + "." + k.group())
                || (k.group().isEmpty() && rest.equals(k.version() + ".")))) {
          return Optional.of(k);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean isNamedBy(KindInfo k, String lowerCaseName) {
    return lowerCaseName.equals(k.plural())
        || lowerCaseName.equals(k.kind().toLowerCase(Locale.ROOT))
        || k.shortNames().contains(lowerCaseName);
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
    return kinds.stream().filter(k -> k.kind().equals(kind) && k.apiVersion().equals(apiVersion)).findFirst();
  }

  /** The kind named exactly {@code kind} (API casing), whatever its version. */
  public Optional<KindInfo> byKind(String kind) {
    return kinds.stream().filter(k -> k.kind().equals(kind)).findFirst();
  }
}
