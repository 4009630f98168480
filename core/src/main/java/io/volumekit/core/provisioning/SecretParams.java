package io.volumekit.core.provisioning;

import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.SecretReference;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CSI secret references a StorageClass names in its parameters, resolved for one claim.
 *
 * <p>Mirrors the external-provisioner's {@code getSecretReference} (docs/cases/provisioning.md rows sec-1 to sec-3): a
 * name/namespace parameter pair per operation (with deprecated spellings and a fallback pair),
 * templates {@code ${pv.name}}, {@code ${pvc.namespace}}, {@code ${pvc.name}} and {@code
 * ${pvc.annotations['key']}} (the last two only in names), and the errors it reports. Values of
 * secrets are never read here; only references are built. The secret protection uses it too, so
 * that it protects exactly the secrets the provisioner would fetch.
 */
public final class SecretParams {

  /** The parameter prefix the external-provisioner reserves (and strips before CreateVolume). */
  public static final String PREFIX = "csi.storage.k8s.io/";

  /** The secret-bearing operations, with their parameter stems and deprecated keys. */
  public enum Operation {
    PROVISIONER("provisioner-secret", "csiProvisionerSecret"),
    CONTROLLER_PUBLISH("controller-publish-secret", "csiControllerPublishSecret"),
    NODE_STAGE("node-stage-secret", "csiNodeStageSecret"),
    NODE_PUBLISH("node-publish-secret", "csiNodePublishSecret"),
    CONTROLLER_EXPAND("controller-expand-secret", null),
    NODE_EXPAND("node-expand-secret", null);

    private final String stem;
    private final String deprecated;

    Operation(String stem, String deprecated) {
      this.stem = stem;
      this.deprecated = deprecated;
    }
  }

  /** A parameter error, worded as the external-provisioner words it. */
  public static final class ParameterException extends Exception {
    ParameterException(String message) {
      super(message);
    }
  }

  private static final Pattern TOKEN = Pattern.compile("\\$\\{([^}]*)}");

  private SecretParams() {}

  /** Whether a class parameter is reserved (stripped before the driver sees the parameters). */
  public static boolean isReserved(String key) {
    if (key.startsWith(PREFIX)) {
      return true;
    }
    for (Operation op : Operation.values()) {
      if (op.deprecated != null && (key.equals(op.deprecated + "Name") || key.equals(op.deprecated + "Namespace"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The reference for the operation, if the class names one.
   *
   * @param pvName the name the PV will have
   * @throws ParameterException for conflicting, incomplete, empty or badly templated parameters
   */
  public static Optional<SecretReference> resolve(
      Operation op, Map<String, String> params, String pvName, PersistentVolumeClaim claim)
      throws ParameterException {
    String[] keys = keys(op, params);
    String nameKey = keys[0];
    String nsKey = keys[1];
    String nameT = params.get(nameKey);
    String nsT = params.get(nsKey);
    if (nameT == null && nsT == null) {
      return Optional.empty();
    }
    if (nameT == null || nsT == null) {
      throw new ParameterException("either name and namespace for " + op.stem.replace('-', ' ')
          + " must be specified, or none of them");
    }
    if (nameT.isEmpty() || nsT.isEmpty()) {
      throw new ParameterException(op.stem.replace('-', ' ') + " name and namespace must not be empty");
    }
    String ns = expand(nsT, pvName, claim, false);
    String name = expand(nameT, pvName, claim, true);
    return Optional.of(checked(nameT, nsT, name, ns));
  }

  /**
   * The reference the class names for the operation when it holds for every claim: its name and
   * namespace parameters have no template. Empty when the class names none, names it through a
   * template (resolved per claim by {@link #resolve}), or its parameters are in error (the
   * provisioner then fetches nothing).
   */
  public static Optional<SecretReference> untemplated(Operation op, Map<String, String> params) {
    try {
      String[] keys = keys(op, params);
      String nameT = params.get(keys[0]);
      String nsT = params.get(keys[1]);
      if (nameT == null || nsT == null || nameT.isEmpty() || nsT.isEmpty() || nameT.contains("${") || nsT.contains("${")) {
        return Optional.empty();
      }
      return Optional.of(checked(nameT, nsT, nameT, nsT));
    } catch (ParameterException e) {
      return Optional.empty(); // conflicting or invalid: the provisioner reports it and fetches nothing
    }
  }

  /** Whether the class names the operation's secret through a template (some part is per claim). */
  public static boolean isTemplated(Operation op, Map<String, String> params) {
    try {
      String[] keys = keys(op, params);
      return params.getOrDefault(keys[0], "").contains("${") || params.getOrDefault(keys[1], "").contains("${");
    } catch (ParameterException e) {
      return false;
    }
  }

  /** The name and namespace parameter keys in use for the operation (new, deprecated or fallback pair). */
  private static String[] keys(Operation op, Map<String, String> params) throws ParameterException {
    String nameKey = PREFIX + op.stem + "-name";
    String nsKey = PREFIX + op.stem + "-namespace";
    boolean hasNew = params.containsKey(nameKey) || params.containsKey(nsKey);
    boolean hasOld = op.deprecated != null
        && (params.containsKey(op.deprecated + "Name") || params.containsKey(op.deprecated + "Namespace"));
    if (hasNew && hasOld) {
      throw new ParameterException("parameters contains conflicting " + op.stem.replace('-', ' ')
          + " keys " + nameKey + " and " + op.deprecated + "Name");
    }
    if (hasOld) {
      nameKey = op.deprecated + "Name";
      nsKey = op.deprecated + "Namespace";
    } else if (!hasNew && (params.containsKey(PREFIX + "secret-name") || params.containsKey(PREFIX + "secret-namespace"))) {
      nameKey = PREFIX + "secret-name";
      nsKey = PREFIX + "secret-namespace";
    }
    return new String[] {nameKey, nsKey};
  }

  private static SecretReference checked(String nameT, String nsT, String name, String ns) throws ParameterException {
    if (!ns.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || ns.length() > 63) {
      throw new ParameterException("namespace template " + nsT + " resolved to " + ns
          + " which is not a valid namespace name");
    }
    if (!name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*") || name.length() > 253) {
      throw new ParameterException("name template " + nameT + " resolved to " + name
          + " which is not a valid secret name");
    }
    return new SecretReference(name, Optional.of(ns));
  }

  private static String expand(String template, String pvName, PersistentVolumeClaim claim, boolean forName)
      throws ParameterException {
    Matcher m = TOKEN.matcher(template);
    StringBuilder out = new StringBuilder();
    StringBuilder invalid = new StringBuilder();
    while (m.find()) {
      String token = m.group(1);
      String value;
      if (token.equals("pv.name")) {
        value = pvName;
      } else if (token.equals("pvc.namespace")) {
        value = claim.metadata().namespaceOrEmpty();
      } else if (forName && token.equals("pvc.name")) {
        value = claim.metadata().name();
      } else if (forName && token.startsWith("pvc.annotations['") && token.endsWith("']")) {
        String key = token.substring("pvc.annotations['".length(), token.length() - 2);
        value = claim.metadata().annotation(key).orElse("");
      } else {
        if (invalid.length() > 0) {
          invalid.append(", ");
        }
        invalid.append(token);
        value = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    if (invalid.length() > 0) {
      throw new ParameterException("error resolving value \"" + template + "\": invalid tokens: [" + invalid + "]");
    }
    return out.toString();
  }
}
