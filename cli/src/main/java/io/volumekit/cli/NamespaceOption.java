package io.volumekit.cli;

import picocli.CommandLine.Option;

/** {@code -n NS}: the namespace of namespaced objects, {@code default} when not given. */
final class NamespaceOption {

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "The namespace (default: default).")
  String namespace;

  /** Whether {@code -n} was given. */
  boolean given() {
    return namespace != null;
  }

  /** The namespace to use. */
  String orDefault() {
    return namespace == null ? "default" : namespace;
  }
}
