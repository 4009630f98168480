package io.volumekit.model.validation;

import io.volumekit.model.core.*;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pods, nodes, namespaces, secrets, config maps and events. */
final class CoreRules {
  private CoreRules() {}

  static final List<String> RESTART = List.of("Always", "Never", "OnFailure");
  static final List<String> FS_GROUP_CHANGE = List.of("Always", "OnRootMismatch");
  static final List<String> SELINUX_CHANGE = List.of("MountOption", "Recursive");
  static final long MAX_SECRET_SIZE = 1024 * 1024;

  /** A pod; {@code fieldErrors} are its field-constraint errors (a volume with one is not mountable). */
  static void pod(Errs errs, Pod pod, List<FieldError> fieldErrors) {
    PodSpec s = pod.spec();
    FieldPath p = FieldPath.root("spec");
    Map<String, Volume> vols = VolumeRules.volumes(errs, s.volumes(), pod.metadata(), p.child("volumes"), fieldErrors);
    Set<String> containerNames = new HashSet<>();
    s.containers().forEach(c -> containerNames.add(c.name()));
    VolumeRules.containers(errs, s.containers(), vols, p.child("containers"), false, Set.of());
    VolumeRules.containers(errs, s.initContainers(), vols, p.child("initContainers"), true, containerNames);
    s.restartPolicy().filter(r -> !RESTART.contains(r)).ifPresent(r -> errs.notSupported(p.child("restartPolicy"), r, RESTART));
    s.nodeName().filter(n -> !n.isEmpty()).ifPresent(n -> errs.each(p.child("nodeName"), n, Names.dns1123Subdomain(n)));
    s.serviceAccountName().filter(n -> !n.isEmpty())
        .ifPresent(n -> errs.each(p.child("serviceAccountName"), n, Names.dns1123Subdomain(n)));
    MetaRules.labels(errs, s.nodeSelector(), p.child("nodeSelector"));
    s.affinity().flatMap(Affinity::nodeAffinity).ifPresent(na -> {
      FieldPath ap = p.child("affinity", "nodeAffinity");
      na.requiredDuringSchedulingIgnoredDuringExecution().ifPresent(ns ->
          MetaRules.nodeSelector(errs, ns, ap.child("requiredDuringSchedulingIgnoredDuringExecution")));
      for (int i = 0; i < na.preferredDuringSchedulingIgnoredDuringExecution().size(); i++) {
        PreferredSchedulingTerm t = na.preferredDuringSchedulingIgnoredDuringExecution().get(i);
        FieldPath tp = ap.child("preferredDuringSchedulingIgnoredDuringExecution").index(i);
        // weight 1-100: a field constraint (BeanConstraints)
        MetaRules.nodeSelectorTerm(errs, t.preference(), tp.child("preference"));
      }
    });
    s.securityContext().ifPresent(sc -> {
      FieldPath sp = p.child("securityContext");
      sc.fsGroupChangePolicy().filter(f -> !FS_GROUP_CHANGE.contains(f))
          .ifPresent(f -> errs.notSupported(sp.child("fsGroupChangePolicy"), f, FS_GROUP_CHANGE));
      sc.seLinuxChangePolicy().filter(f -> !SELINUX_CHANGE.contains(f))
          .ifPresent(f -> errs.notSupported(sp.child("seLinuxChangePolicy"), f, SELINUX_CHANGE));
      sc.fsGroup().filter(g -> g < 0 || g > 2147483647L).ifPresent(g ->
          errs.invalid(sp.child("fsGroup"), g, "must be between 0 and 2147483647, inclusive"));
      sc.runAsUser().filter(g -> g < 0 || g > 2147483647L).ifPresent(g ->
          errs.invalid(sp.child("runAsUser"), g, "must be between 0 and 2147483647, inclusive"));
    });
    MetaRules.tolerations(errs, s.tolerations(), p.child("tolerations"));
  }

  static final String POD_UPDATE = "pod updates may not change fields other than `spec.containers[*].image`,"
      + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing"
      + " tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

  static void podUpdate(Errs errs, Pod oldPod, Pod newPod) {
    PodSpec o = oldPod.spec();
    PodSpec n = newPod.spec();
    // Images may change; tolerations may only be added; nodeName may be set once (binding).
    PodSpec nn = n.withContainers(withImages(n.containers(), o.containers()))
        .withInitContainers(withImages(n.initContainers(), o.initContainers()))
        .withTolerations(o.tolerations());
    if (o.nodeName().orElse("").isEmpty()) {
      nn = nn.withNodeName(o.nodeName());
    }
    boolean tolerationsOk = n.tolerations().containsAll(o.tolerations());
    if (!nn.equals(o) || !tolerationsOk) {
      errs.forbidden(FieldPath.root("spec"), POD_UPDATE);
    }
  }

  private static com.google.common.collect.ImmutableList<Container> withImages(List<Container> newOnes, List<Container> oldOnes) {
    if (newOnes.size() != oldOnes.size()) {
      return com.google.common.collect.ImmutableList.copyOf(newOnes);
    }
    var b = com.google.common.collect.ImmutableList.<Container>builder();
    for (int i = 0; i < newOnes.size(); i++) {
      b.add(newOnes.get(i).withImage(oldOnes.get(i).image()));
    }
    return b.build();
  }

  static void node(Errs errs, Node node) {
    FieldPath tp = FieldPath.of("spec", "taints");
    Set<List<String>> seen = new HashSet<>();
    for (int i = 0; i < node.spec().taints().size(); i++) {
      Taint t = node.spec().taints().get(i);
      FieldPath ip = tp.index(i);
      errs.each(ip.child("key"), t.key(), Names.qualifiedName(t.key()));
      List<String> valueErrors = Names.labelValue(t.value().orElse(""));
      if (!valueErrors.isEmpty()) {
        errs.invalid(ip.child("value"), t.value().orElse(""), String.join(";", valueErrors));
      }
      if (t.effect().isEmpty()) {
        errs.required(ip.child("effect"));
      } else {
        MetaRules.taintEffect(errs, t.effect(), ip.child("effect"));
      }
      if (!seen.add(List.of(t.key(), t.effect()))) {
        errs.add(new FieldError(ErrorType.DUPLICATE, ip.toString(), java.util.Optional.of(FieldError.render(t)),
            "taints must be unique by key and effect pair"));
      }
    }
    for (var e : node.status().allocatable().entrySet()) {
      if (e.getValue().signum() < 0) {
        errs.invalid(FieldPath.of("status", "allocatable").key(e.getKey()), e.getValue().toString(),
            "must be greater than or equal to 0");
      }
    }
  }

  static void secret(Errs errs, Secret secret) {
    FieldPath dp = FieldPath.root("data");
    long total = 0;
    for (var e : secret.data().entrySet()) {
      errs.each(dp.key(e.getKey()), e.getKey(), Names.configMapKey(e.getKey()));
      try {
        total += Base64.getDecoder().decode(e.getValue()).length;
      } catch (IllegalArgumentException ex) {
        // never show the value: it is secret
        errs.invalid(dp.key(e.getKey()), "<secret contents redacted>", "must be base64-encoded");
      }
    }
    for (var e : secret.stringData().entrySet()) {
      errs.each(FieldPath.root("stringData").key(e.getKey()), e.getKey(), Names.configMapKey(e.getKey()));
      total += e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (total > MAX_SECRET_SIZE) {
      errs.tooLong(dp, MAX_SECRET_SIZE);
    }
    // The API server merges stringData into data before validating the type's required keys.
    Set<String> keys = new HashSet<>(secret.data().keySet());
    keys.addAll(secret.stringData().keySet());
    switch (secret.type().orElse("Opaque")) {
      case "kubernetes.io/dockercfg" -> requiredKeys(errs, dp, keys, ".dockercfg");
      case "kubernetes.io/dockerconfigjson" -> requiredKeys(errs, dp, keys, ".dockerconfigjson");
      case "kubernetes.io/basic-auth" -> {
        if (!keys.contains("username") && !keys.contains("password")) {
          errs.required(dp.key("username"));
          errs.required(dp.key("password"));
        }
      }
      case "kubernetes.io/ssh-auth" -> requiredKeys(errs, dp, keys, "ssh-privatekey");
      case "kubernetes.io/tls" -> requiredKeys(errs, dp, keys, "tls.crt", "tls.key");
      default -> { }
    }
  }

  private static void requiredKeys(Errs errs, FieldPath dp, Set<String> keys, String... required) {
    for (String k : required) {
      if (!keys.contains(k)) {
        errs.required(dp.key(k));
      }
    }
  }

  static void configMap(Errs errs, ConfigMap cm) {
    long total = 0;
    for (var e : cm.data().entrySet()) {
      errs.each(FieldPath.root("data").key(e.getKey()), e.getKey(), Names.configMapKey(e.getKey()));
      if (cm.binaryData().containsKey(e.getKey())) {
        errs.invalid(FieldPath.root("data").key(e.getKey()), e.getKey(), "duplicate of key present in binaryData");
      }
      total += e.getValue().length();
    }
    for (var e : cm.binaryData().entrySet()) {
      errs.each(FieldPath.root("binaryData").key(e.getKey()), e.getKey(), Names.configMapKey(e.getKey()));
      try {
        total += Base64.getDecoder().decode(e.getValue()).length;
      } catch (IllegalArgumentException ex) {
        errs.invalid(FieldPath.root("binaryData").key(e.getKey()), e.getKey(), "must be base64-encoded");
      }
    }
    if (total > MAX_SECRET_SIZE) {
      errs.tooLong(FieldPath.root(""), MAX_SECRET_SIZE);
    }
  }

  static void immutableData(Errs errs, boolean oldImmutable, Object oldData, Object newData,
      java.util.Optional<Boolean> newImmutable, String dataField) {
    if (!oldImmutable) {
      return;
    }
    if (!newImmutable.orElse(false)) {
      errs.forbidden(FieldPath.root("immutable"), "field is immutable when `immutable` is set");
    }
    if (!oldData.equals(newData)) {
      errs.forbidden(FieldPath.root(dataField), "field is immutable when `immutable` is set");
    }
  }

  static void event(Errs errs, Event ev) {
    String ns = ev.metadata().namespaceOrEmpty();
    String involvedNs = ev.involvedObject().namespaceOrEmpty();
    if (!involvedNs.isEmpty() && !ns.equals(involvedNs)) {
      errs.invalid(FieldPath.of("involvedObject", "namespace"), involvedNs, "does not match event.namespace");
    }
    ev.type().filter(t -> !t.equals(Event.NORMAL) && !t.equals(Event.WARNING))
        .ifPresent(t -> errs.notSupported(FieldPath.root("type"), t, List.of("Normal", "Warning")));
    if (ev.reason().orElse("").length() > 128) {
      errs.tooLong(FieldPath.root("reason"), 128);
    }
  }
}
