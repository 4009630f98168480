package io.volumekit.model.meta;

import java.util.List;
import java.util.Optional;

/**
 * What volumekit knows about one kind: API group/version, kind, plural resource name, kubectl
 * short names, scope, and the record class. Mirrors a RESTMapper entry.
 */
public record KindInfo(
    String apiVersion,
    String kind,
    String plural,
    List<String> shortNames,
    boolean namespaced,
    Class<? extends ApiObject> type) {

  public KindInfo {
    shortNames = List.copyOf(shortNames);
  }

  /** The API group: "" for core, else the part of apiVersion before the slash. */
  public String group() {
    int i = apiVersion.indexOf('/');
    return i < 0 ? "" : apiVersion.substring(0, i);
  }

  /** The version: the part of apiVersion after the slash, or apiVersion itself for core. */
  public String version() {
    int i = apiVersion.indexOf('/');
    return i < 0 ? apiVersion : apiVersion.substring(i + 1);
  }

  /** The resource as kubectl messages name it: plural, with ".group" for non-core kinds. */
  public String qualifiedResource() {
    return group().isEmpty() ? plural : plural + "." + group();
  }

  /** The singular lower-case kind as {@code -o name} prints it, with ".group" for non-core. */
  public String qualifiedKindLower() {
    String k = kind.toLowerCase(java.util.Locale.ROOT);
    return group().isEmpty() ? k : k + "." + group();
  }

  /** The group, if not core. */
  public Optional<String> groupIfAny() {
    return group().isEmpty() ? Optional.empty() : Optional.of(group());
  }
}
