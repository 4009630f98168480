package io.volumekit.core.api;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Secret;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The snapshotter secret of external-snapshotter: the Secret a VolumeSnapshotClass names in its
 * {@code csi.storage.k8s.io/snapshotter-secret-name} and {@code -namespace} parameters, given to
 * CreateSnapshot, and recorded on each content it creates (annotations
 * {@code snapshot.storage.kubernetes.io/deletion-secret-name} and {@code -namespace}) for
 * DeleteSnapshot.
 *
 * <p>The parameters may be templates, resolved for each snapshot as the sidecar resolves them
 * (its {@code GetSecretReference}): the name may use {@code ${volumesnapshotcontent.name}},
 * {@code ${volumesnapshot.namespace}} and {@code ${volumesnapshot.name}}; the namespace only the
 * first two. Any other {@code ${...}} token, or only one of the two parameters, is an error.
 */
public final class SnapshotterSecrets {

  /** Class parameter: the snapshotter secret's name. */
  public static final String NAME_PARAM = "csi.storage.k8s.io/snapshotter-secret-name";
  /** Class parameter: the snapshotter secret's namespace. */
  public static final String NAMESPACE_PARAM = "csi.storage.k8s.io/snapshotter-secret-namespace";
  /** Content annotation: the secret name DeleteSnapshot uses. */
  public static final String DELETION_SECRET_NAME = "snapshot.storage.kubernetes.io/deletion-secret-name";
  /** Content annotation: the secret namespace DeleteSnapshot uses. */
  public static final String DELETION_SECRET_NAMESPACE = "snapshot.storage.kubernetes.io/deletion-secret-namespace";
  private static final String DELETE = "Delete";

  private static final Pattern TOKEN = Pattern.compile("\\$\\{([^}]*)}");
  private static final String CONTENT_NAME = "volumesnapshotcontent.name";
  private static final String SNAPSHOT_NAMESPACE = "volumesnapshot.namespace";
  private static final String SNAPSHOT_NAME = "volumesnapshot.name";

  private SnapshotterSecrets() {}

  /** The class's parameters name the secret wrongly (a bad template or half a pair). */
  public static final class InvalidSecretParameters extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidSecretParameters(String message) {
      super(message);
    }
  }

  /** Whether the parameters name a snapshotter secret (either key present). */
  public static boolean named(Map<String, String> params) {
    return params.containsKey(NAME_PARAM) || params.containsKey(NAMESPACE_PARAM);
  }

  /** Whether the secret's name or namespace is a template (contains {@code ${...}}). */
  public static boolean isTemplated(Map<String, String> params) {
    return params.getOrDefault(NAME_PARAM, "").contains("${")
        || params.getOrDefault(NAMESPACE_PARAM, "").contains("${");
  }

  /**
   * The secret the parameters name for a snapshot {@code snapshotNamespace/snapshotName} whose
   * content is {@code contentName}; empty when they name none.
   *
   * @throws InvalidSecretParameters with the sidecar's message when they name one wrongly
   */
  public static Optional<ObjectKey> resolve(
      Map<String, String> params, String contentName, String snapshotNamespace, String snapshotName) {
    String name = params.get(NAME_PARAM);
    String namespace = params.get(NAMESPACE_PARAM);
    if (name == null && namespace == null) {
      return Optional.empty();
    }
    if (name == null || namespace == null) {
      throw new InvalidSecretParameters(
          "either name and namespace for Snapshotter secrets specified, Both must be specified");
    }
    String ns = expand(namespace, Map.of(CONTENT_NAME, contentName, SNAPSHOT_NAMESPACE, snapshotNamespace));
    String n = expand(name, Map.of(CONTENT_NAME, contentName, SNAPSHOT_NAMESPACE, snapshotNamespace,
        SNAPSHOT_NAME, snapshotName));
    if (ns.isEmpty() || n.isEmpty()) {
      throw new InvalidSecretParameters("Snapshotter secrets " + (ns.isEmpty() ? "namespace" : "name")
          + " resolved to an empty value");
    }
    return Optional.of(key(n, ns));
  }

  /** The secret the parameters name without any template; empty when none or templated. */
  public static Optional<ObjectKey> untemplated(Map<String, String> params) {
    if (!named(params) || isTemplated(params)) {
      return Optional.empty();
    }
    try {
      return resolve(params, "", "", "");
    } catch (InvalidSecretParameters e) {
      return Optional.empty(); // nothing is fetched with wrong parameters
    }
  }

  /** The deletion secret recorded on a content (both annotations set), if any. */
  public static Optional<ObjectKey> deletionSecret(VolumeSnapshotContent content) {
    Optional<String> n = content.metadata().annotation(DELETION_SECRET_NAME);
    Optional<String> ns = content.metadata().annotation(DELETION_SECRET_NAMESPACE);
    if (n.isEmpty() || ns.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(key(n.get(), ns.get()));
  }

  /**
   * The secret a content still needs: its deletion secret while its policy is Delete (DeleteSnapshot
   * will read it) or while its CSI snapshot is not cut yet (CreateSnapshot reads the same secret).
   */
  public static Optional<ObjectKey> neededBy(VolumeSnapshotContent content) {
    boolean needed = content.spec().deletionPolicy().equals(DELETE)
        || (content.spec().source().volumeHandle().isPresent() && content.status().snapshotHandle().isEmpty());
    return needed ? deletionSecret(content) : Optional.empty();
  }

  private static String expand(String template, Map<String, String> values) {
    Matcher m = TOKEN.matcher(template);
    StringBuilder out = new StringBuilder();
    List<String> invalid = new ArrayList<>();
    while (m.find()) {
      String v = values.get(m.group(1));
      if (v == null) {
        invalid.add("\"" + m.group(1) + "\"");
        v = m.group();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    if (!invalid.isEmpty()) {
      throw new InvalidSecretParameters("error resolving value \"" + template + "\": invalid tokens: ["
          + String.join(" ", invalid) + "]");
    }
    return out.toString();
  }

  private static ObjectKey key(String name, String namespace) {
    return ObjectKey.namespaced(Secret.KIND, namespace, name);
  }
}
