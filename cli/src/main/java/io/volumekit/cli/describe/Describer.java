package io.volumekit.cli.describe;

import static io.volumekit.cli.print.Fields.at;
import static io.volumekit.cli.print.Fields.has;
import static io.volumekit.cli.print.Fields.list;
import static io.volumekit.cli.print.Fields.map;
import static io.volumekit.cli.print.Fields.name;
import static io.volumekit.cli.print.Fields.namespace;
import static io.volumekit.cli.print.Fields.str;
import static io.volumekit.cli.print.Fields.strings;
import static io.volumekit.cli.print.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.volumekit.model.meta.KindInfo;
import io.volumekit.cli.print.Fields;
import io.volumekit.cli.print.StorageText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@code describe}: an object's important fields and its events, in kubectl's layout.
 *
 * <p>Mirrors kubectl's describers ({@code pkg/describe/describe.go}) for PersistentVolumeClaim,
 * PersistentVolume, StorageClass and Pod (kubectl describe's layouts), Node and CSINode
 * ({@link NodeKinds}), Secret ({@code describeSecret}: each key with its size in bytes, never a
 * value; volumekit adds the deletion state of a Terminating secret and the secret's events when
 * it has some, which kubectl does not show) and ConfigMap ({@code ConfigMapDescriber}: each data value, then the sizes
 * of the binaryData values, then events), StatefulSet ({@code StatefulSetDescriber}: replicas, update
 * strategy, the status of its pods, its pod template and volume claim templates). Kinds kubectl has no describer for (CSIDriver, VolumeAttachment, the snapshot
 * CRDs, ...) use kubectl's generic describer: name, namespace, labels, annotations, then the object's
 * fields as a sorted, indented tree.
 */
public final class Describer {

  private final Function<String, List<? extends JsonNode>> objectsOfKind;

  /**
   * A describer reading related objects (events, pods using a claim) through the function.
   *
   * @param objectsOfKind every stored object of a kind (API casing), e.g. {@code Event}
   */
  public Describer(Function<String, List<? extends JsonNode>> objectsOfKind) {
    this.objectsOfKind = objectsOfKind;
  }

  /** The describe text of the object, ending with a newline. */
  public String describe(KindInfo kind, JsonNode o, Instant now) {
    DescribeText d = new DescribeText(now);
    switch (kind.kind()) {
      case "PersistentVolumeClaim" -> pvc(d, o);
      case "PersistentVolume" -> pv(d, o);
      case "StorageClass" -> storageClass(d, o);
      case "Pod" -> pod(d, o);
      case "Node" -> NodeKinds.node(d, o, objectsOfKind.apply("Pod"));
      case "CSINode" -> NodeKinds.csiNode(d, o);
      case "Secret" -> {
        secret(d, o);
        // kubectl's secret describer shows no events; volumekit shows them when there are some (a
        // deletion held by the secret protection says who uses the secret).
        List<JsonNode> events = eventsAbout(kind, o);
        if (!events.isEmpty()) {
          d.plain(0, "");
          d.events(events);
        }
        return d.render();
      }
      case "ConfigMap" -> configMap(d, o);
      case "VolumeAttributesClass" -> volumeAttributesClass(d, o);
      case "StatefulSet" -> statefulSet(d, o);
      default -> generic(d, o);
    }
    List<JsonNode> events = eventsAbout(kind, o);
    if (kind.kind().equals("PersistentVolumeClaim")) {
      lifecycle(d, o, events);
    }
    d.events(events);
    return d.render();
  }

  /** volumekit's addition to kubectl's claim describer: the claim's phases over time ({@link ClaimTimeline}). */
  private void lifecycle(DescribeText d, JsonNode claim, List<JsonNode> events) {
    String volumeName = str(claim, "spec", "volumeName");
    Optional<JsonNode> volume = volumeName.isEmpty() ? Optional.empty()
        : objectsOfKind.apply("PersistentVolume").stream().filter(v -> name(v).equals(volumeName))
            .<JsonNode>map(v -> v).findFirst();
    List<String> lines = ClaimTimeline.lines(claim, events, volume);
    if (!lines.isEmpty()) {
      d.plain(0, "Lifecycle:");
      lines.forEach(l -> d.raw(l + "\n"));
    }
  }

  private List<JsonNode> eventsAbout(KindInfo kind, JsonNode o) {
    String uid = str(o, "metadata", "uid");
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e : objectsOfKind.apply("Event")) {
      JsonNode io = at(e, "involvedObject");
      if (str(io, "kind").equals(kind.kind())
          && str(io, "name").equals(name(o))
          && str(io, "namespace").equals(namespace(o))
          && (uid.isEmpty() || str(io, "uid").isEmpty() || str(io, "uid").equals(uid)
              // a kubelet's events name the node by its name in the uid field; kubectl asks for both
              || (kind.kind().equals("Node") && str(io, "uid").equals(name(o))))) {
        out.add(e);
      }
    }
    return out;
  }

  private static void meta(DescribeText d, JsonNode o) {
    d.labels(0, "Labels", map(o, "metadata", "labels"));
    d.annotations(0, map(o, "metadata", "annotations"));
  }

  private void pvc(DescribeText d, JsonNode o) {
    boolean bound = !str(o, "spec", "volumeName").isEmpty();
    d.line(0, "Name", name(o));
    d.line(0, "Namespace", namespace(o));
    d.line(0, "StorageClass", StorageText.storageClass(o));
    d.line(0, "Status", d.phaseOrTerminating(o));
    d.line(0, "Volume", str(o, "spec", "volumeName"));
    modifyLines(d, o);
    meta(d, o);
    d.line(0, "Finalizers", StorageText.goList(o, "metadata", "finalizers"));
    d.line(0, "Capacity", bound ? text(o, "status", "capacity", "storage").orElse("0") : "");
    d.line(0, "Access Modes", bound ? StorageText.accessModes(strings(o, "status", "accessModes")) : "");
    text(o, "spec", "volumeMode").ifPresent(m -> d.line(0, "VolumeMode", m));
    if (has(o, "spec", "dataSource")) {
      d.plain(0, "DataSource:");
      text(o, "spec", "dataSource", "apiGroup").ifPresent(g -> d.line(1, "APIGroup", g));
      d.line(1, "Kind", str(o, "spec", "dataSource", "kind"));
      d.line(1, "Name", str(o, "spec", "dataSource", "name"));
    }
    TreeSet<String> users = new TreeSet<>();
    for (JsonNode pod : objectsOfKind.apply("Pod")) {
      if (!namespace(pod).equals(namespace(o))) {
        continue;
      }
      for (JsonNode v : list(pod, "spec", "volumes")) {
        if (str(v, "persistentVolumeClaim", "claimName").equals(name(o))
            || (has(v, "ephemeral") && (name(pod) + "-" + str(v, "name")).equals(name(o)))) {
          users.add(name(pod));
        }
      }
    }
    for (JsonNode ref : list(o, "metadata", "ownerReferences")) {
      if ("Pod".equals(str(ref, "kind"))) {
        users.add(str(ref, "name"));
      }
    }
    if (users.isEmpty()) {
      d.line(0, "Used By", "<none>");
    } else {
      boolean first = true;
      for (String u : users) {
        if (first) {
          d.line(0, "Used By", u);
          first = false;
        } else {
          d.raw("\t" + u + "\n");
        }
      }
    }
    List<JsonNode> conditions = list(o, "status", "conditions");
    if (!conditions.isEmpty()) {
      d.plain(0, "Conditions:");
      d.raw("  Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n");
      d.raw("  ----\t------\t-----------------\t------------------\t------\t-------\n");
      for (JsonNode c : conditions) {
        d.raw("  " + str(c, "type") + " \t" + str(c, "status") + " \t"
            + Fields.time(c, "lastProbeTime").map(DescribeText::timestamp).orElse("Mon, 01 Jan 0001 00:00:00 +0000") + " \t"
            + Fields.time(c, "lastTransitionTime").map(DescribeText::timestamp).orElse("Mon, 01 Jan 0001 00:00:00 +0000")
            + " \t" + str(c, "reason") + " \t" + str(c, "message") + " \n");
      }
    }
  }

  private void pv(DescribeText d, JsonNode o) {
    d.line(0, "Name", name(o));
    meta(d, o);
    d.line(0, "Finalizers", StorageText.goList(o, "metadata", "finalizers"));
    d.line(0, "StorageClass", StorageText.storageClass(o));
    d.line(0, "Status", d.phaseOrTerminating(o));
    d.line(0, "Claim", has(o, "spec", "claimRef")
        ? str(o, "spec", "claimRef", "namespace") + "/" + str(o, "spec", "claimRef", "name") : "");
    d.line(0, "Reclaim Policy", str(o, "spec", "persistentVolumeReclaimPolicy"));
    d.line(0, "Access Modes", StorageText.accessModes(strings(o, "spec", "accessModes")));
    text(o, "spec", "volumeMode").ifPresent(m -> d.line(0, "VolumeMode", m));
    d.line(0, "Capacity", text(o, "spec", "capacity", "storage").orElse("0"));
    List<JsonNode> terms = list(o, "spec", "nodeAffinity", "required", "nodeSelectorTerms");
    if (!has(o, "spec", "nodeAffinity", "required")) {
      d.line(0, "Node Affinity", "<none>");
    } else {
      d.line(0, "Node Affinity", "");
      d.plain(1, "Required Terms:");
      for (int i = 0; i < terms.size(); i++) {
        List<String> exprs = new ArrayList<>();
        for (JsonNode e : list(terms.get(i), "matchExpressions")) {
          exprs.add(str(e, "key") + " " + str(e, "operator").toLowerCase(Locale.ROOT) + " ["
              + String.join(", ", strings(e, "values")) + "]");
        }
        if (exprs.isEmpty()) {
          d.line(2, "Term " + i, "");
        } else {
          d.line(2, "Term " + i, exprs.get(0));
          exprs.subList(1, exprs.size()).forEach(x -> d.raw("    \t" + x + "\n"));
        }
      }
    }
    d.line(0, "Message", str(o, "status", "message"));
    d.plain(0, "Source:");
    JsonNode spec = at(o, "spec");
    if (has(spec, "csi")) {
      csiSource(d, at(spec, "csi"), true);
    } else if (has(spec, "hostPath")) {
      hostPathSource(d, at(spec, "hostPath"));
    } else if (has(spec, "local")) {
      d.line(2, "Type", "LocalVolume (a persistent volume backed by local storage on a node)");
      d.line(2, "Path", str(spec, "local", "path"));
    } else if (has(spec, "nfs")) {
      d.line(2, "Type", "NFS (an NFS mount that lasts the lifetime of a pod)");
      d.line(2, "Server", str(spec, "nfs", "server"));
      d.line(2, "Path", str(spec, "nfs", "path"));
      d.line(2, "ReadOnly", String.valueOf(Fields.bool(spec, false, "nfs", "readOnly")));
    } else {
      d.plain(1, "<unknown>");
    }
  }

  /**
   * The claim's VolumeAttributesClass, the current one and the modification in progress, each only
   * when set. kubectl's describer prints none of them; volumekit adds them so that a modification's
   * progress is visible without {@code -o yaml} (docs/kubernetes-differences.md).
   */
  private static void modifyLines(DescribeText d, JsonNode o) {
    text(o, "spec", "volumeAttributesClassName").ifPresent(v -> d.line(0, "VolumeAttributesClass", v));
    text(o, "status", "currentVolumeAttributesClassName").ifPresent(v -> d.line(0, "CurrentVolumeAttributesClass", v));
    if (has(o, "status", "modifyVolumeStatus")) {
      d.plain(0, "ModifyVolumeStatus:");
      d.line(1, "TargetVolumeAttributesClassName", str(o, "status", "modifyVolumeStatus", "targetVolumeAttributesClassName"));
      d.line(1, "Status", str(o, "status", "modifyVolumeStatus", "status"));
    }
  }

  /** kubectl's VolumeAttributesClass describer: name, annotations, driver, parameters on one line. */
  private static void volumeAttributesClass(DescribeText d, JsonNode o) {
    d.line(0, "Name", name(o));
    d.line(0, "Annotations", StorageText.pairs(map(o, "metadata", "annotations")));
    d.line(0, "DriverName", str(o, "driverName"));
    d.line(0, "Parameters", StorageText.pairs(map(o, "parameters")));
  }

  private static void storageClass(DescribeText d, JsonNode o) {
    d.line(0, "Name", name(o));
    d.line(0, "IsDefaultClass", StorageText.isDefaultClass(o) ? "Yes" : "No");
    d.line(0, "Annotations", StorageText.pairs(map(o, "metadata", "annotations")));
    d.line(0, "Provisioner", str(o, "provisioner"));
    d.line(0, "Parameters", StorageText.pairs(map(o, "parameters")));
    JsonNode expand = at(o, "allowVolumeExpansion");
    d.line(0, "AllowVolumeExpansion", expand.isBoolean() ? (expand.booleanValue() ? "True" : "False") : "<unset>");
    List<String> mountOptions = strings(o, "mountOptions");
    if (mountOptions.isEmpty()) {
      d.line(0, "MountOptions", "<none>");
    } else {
      d.plain(0, "MountOptions:");
      mountOptions.forEach(m -> d.plain(1, m));
    }
    text(o, "reclaimPolicy").ifPresent(r -> d.line(0, "ReclaimPolicy", r));
    text(o, "volumeBindingMode").ifPresent(m -> d.line(0, "VolumeBindingMode", m));
    if (has(o, "allowedTopologies")) {
      List<JsonNode> terms = list(o, "allowedTopologies");
      if (terms.isEmpty()) {
        d.line(0, "AllowedTopologies", "<none>");
      } else {
        d.plain(0, "AllowedTopologies:");
        for (int i = 0; i < terms.size(); i++) {
          List<String> exprs = new ArrayList<>();
          for (JsonNode e : list(terms.get(i), "matchLabelExpressions")) {
            exprs.add(str(e, "key") + " in [" + String.join(", ", strings(e, "values")) + "]");
          }
          d.line(1, "Term " + i, String.join("\n    \t", exprs));
        }
      }
    }
  }

  private void pod(DescribeText d, JsonNode o) {
    d.line(0, "Name", name(o));
    d.line(0, "Namespace", namespace(o));
    text(o, "spec", "priority").ifPresent(p -> d.line(0, "Priority", p));
    text(o, "spec", "serviceAccountName").filter(s -> !s.isEmpty()).ifPresent(s -> d.line(0, "Service Account", s));
    String node = str(o, "spec", "nodeName");
    d.line(0, "Node", node.isEmpty() ? "<none>" : node + "/" + str(o, "status", "hostIP"));
    Fields.time(o, "status", "startTime").ifPresent(t -> d.line(0, "Start Time", DescribeText.timestamp(t)));
    meta(d, o);
    if (has(o, "metadata", "deletionTimestamp") && !List.of("Succeeded", "Failed").contains(str(o, "status", "phase"))) {
      d.line(0, "Status", d.phaseOrTerminating(o));
      d.line(0, "Termination Grace Period", at(o, "metadata", "deletionGracePeriodSeconds").asLong(30) + "s");
    } else {
      d.line(0, "Status", str(o, "status", "phase"));
    }
    text(o, "status", "reason").filter(s -> !s.isEmpty()).ifPresent(r -> d.line(0, "Reason", r));
    text(o, "status", "message").filter(s -> !s.isEmpty()).ifPresent(m -> d.line(0, "Message", m));
    d.line(0, "IP", str(o, "status", "podIP"));
    List<JsonNode> ips = list(o, "status", "podIPs");
    if (ips.isEmpty()) {
      d.line(0, "IPs", "<none>");
    } else {
      d.plain(0, "IPs:");
      ips.forEach(ip -> d.line(1, "IP", str(ip, "ip")));
    }
    for (JsonNode ref : list(o, "metadata", "ownerReferences")) {
      if (Fields.bool(ref, false, "controller")) {
        d.line(0, "Controlled By", str(ref, "kind") + "/" + str(ref, "name"));
      }
    }
    d.plain(0, "Containers:");
    for (JsonNode c : list(o, "spec", "containers")) {
      d.plain(1, str(c, "name") + ":");
      d.line(2, "Image", str(c, "image"));
      List<JsonNode> mounts = list(c, "volumeMounts");
      if (mounts.isEmpty()) {
        d.line(2, "Mounts", "<none>");
      } else {
        d.plain(2, "Mounts:");
        for (JsonNode m : mounts) {
          boolean ro = Fields.bool(m, false, "readOnly");
          d.plain(3, str(m, "mountPath") + " from " + str(m, "name") + " (" + (ro ? "ro" : "rw") + ")");
        }
      }
    }
    List<JsonNode> conditions = list(o, "status", "conditions");
    if (!conditions.isEmpty()) {
      d.plain(0, "Conditions:");
      d.raw("  Type\tStatus\n");
      conditions.forEach(c -> d.raw("  " + str(c, "type") + " \t" + str(c, "status") + " \n"));
    }
    List<JsonNode> volumes = list(o, "spec", "volumes");
    if (volumes.isEmpty()) {
      d.line(0, "Volumes", "<none>");
    } else {
      d.plain(0, "Volumes:");
      for (JsonNode v : volumes) {
        d.plain(1, str(v, "name") + ":");
        volumeSource(d, v);
      }
    }
    d.line(0, "QoS Class", text(o, "status", "qosClass").orElse("BestEffort"));
    d.labels(0, "Node-Selectors", map(o, "spec", "nodeSelector"));
    List<String> tolerations = new ArrayList<>();
    for (JsonNode t : list(o, "spec", "tolerations")) {
      StringBuilder s = new StringBuilder(str(t, "key"));
      text(t, "value").filter(x -> !x.isEmpty()).ifPresent(x -> s.append('=').append(x));
      text(t, "effect").filter(x -> !x.isEmpty()).ifPresent(x -> s.append(':').append(x));
      if ("Exists".equals(str(t, "operator")) && str(t, "value").isEmpty()) {
        s.append(" op=Exists");
      }
      text(t, "tolerationSeconds").ifPresent(x -> s.append(" for ").append(x).append('s'));
      tolerations.add(s.toString());
    }
    tolerations.sort(null);
    if (tolerations.isEmpty()) {
      d.line(0, "Tolerations", "<none>");
    } else {
      d.line(0, "Tolerations", tolerations.get(0));
      tolerations.subList(1, tolerations.size()).forEach(t -> d.raw("\t" + t + "\n"));
    }
  }

  private void statefulSet(DescribeText d, JsonNode o) {
    d.line(0, "Name", name(o));
    d.line(0, "Namespace", namespace(o));
    d.line(0, "CreationTimestamp", Fields.time(o, "metadata", "creationTimestamp").map(DescribeText::timestamp).orElse(""));
    List<String> selector = new ArrayList<>();
    map(o, "spec", "selector", "matchLabels").forEach((k, v) -> selector.add(k + "=" + v));
    for (JsonNode e : list(o, "spec", "selector", "matchExpressions")) {
      String op = str(e, "operator");
      String key = str(e, "key");
      selector.add(switch (op) {
        case "Exists" -> key;
        case "DoesNotExist" -> "!" + key;
        default -> key + " " + op.toLowerCase(Locale.ROOT) + " ("
            + String.join(",", new TreeSet<>(strings(e, "values"))) + ")";
      });
    }
    selector.sort(null);
    d.line(0, "Selector", String.join(",", selector));
    meta(d, o);
    d.line(0, "Replicas", at(o, "spec", "replicas").asLong(1) + " desired | " + at(o, "status", "replicas").asLong(0) + " total");
    d.line(0, "Update Strategy", str(o, "spec", "updateStrategy", "type"));
    text(o, "spec", "updateStrategy", "rollingUpdate", "partition").ifPresent(p -> d.line(1, "Partition", p));
    int running = 0;
    int waiting = 0;
    int succeeded = 0;
    int failed = 0;
    String uid = str(o, "metadata", "uid");
    for (JsonNode pod : objectsOfKind.apply("Pod")) {
      boolean controlled = list(pod, "metadata", "ownerReferences").stream()
          .anyMatch(r -> Fields.bool(r, false, "controller") && str(r, "uid").equals(uid));
      if (!controlled || !namespace(pod).equals(namespace(o))) {
        continue;
      }
      switch (str(pod, "status", "phase")) {
        case "Running" -> running++;
        case "Pending" -> waiting++;
        case "Succeeded" -> succeeded++;
        case "Failed" -> failed++;
        default -> { }
      }
    }
    d.line(0, "Pods Status", running + " Running / " + waiting + " Waiting / " + succeeded + " Succeeded / " + failed + " Failed");
    podTemplate(d, at(o, "spec", "template"));
    List<JsonNode> claims = list(o, "spec", "volumeClaimTemplates");
    if (claims.isEmpty()) {
      d.line(0, "Volume Claims", "<none>");
      return;
    }
    d.plain(0, "Volume Claims:");
    for (JsonNode c : claims) {
      d.line(1, "Name", name(c));
      d.line(1, "StorageClass", StorageText.storageClass(c));
      d.labels(1, "Labels", map(c, "metadata", "labels"));
      d.labels(1, "Annotations", map(c, "metadata", "annotations"));
      d.line(1, "Capacity", text(c, "spec", "resources", "requests", "storage").orElse("<default>"));
      d.line(1, "Access Modes", "[" + String.join(" ", strings(c, "spec", "accessModes")) + "]"); // Go's %s of a slice
    }
  }

  /** kubectl's {@code DescribePodTemplate}: its containers are indented one space more than a pod's. */
  private static void podTemplate(DescribeText d, JsonNode t) {
    d.plain(0, "Pod Template:");
    d.labels(1, "Labels", map(t, "metadata", "labels"));
    if (!map(t, "metadata", "annotations").isEmpty()) {
      d.labels(1, "Annotations", map(t, "metadata", "annotations"));
    }
    text(t, "spec", "serviceAccountName").filter(s -> !s.isEmpty()).ifPresent(s -> d.line(1, "Service Account", s));
    for (String group : List.of("initContainers", "containers")) {
      List<JsonNode> containers = list(t, "spec", group);
      if (group.equals("initContainers") && containers.isEmpty()) {
        continue;
      }
      String label = group.equals("containers") ? "Containers" : "Init Containers";
      d.plain(1, label + ":" + (containers.isEmpty() ? " <none>" : ""));
      for (JsonNode c : containers) {
        d.raw("   " + str(c, "name") + ":\n");
        d.line(2, "Image", str(c, "image"));
        List<String> ports = new ArrayList<>();
        List<String> hostPorts = new ArrayList<>();
        for (JsonNode p : list(c, "ports")) {
          String protocol = text(p, "protocol").orElse("TCP");
          ports.add(at(p, "containerPort").asInt() + "/" + protocol);
          hostPorts.add(at(p, "hostPort").asInt() + "/" + protocol);
        }
        d.line(2, ports.size() > 1 ? "Ports" : "Port", ports.isEmpty() ? "<none>" : String.join(", ", ports));
        d.line(2, hostPorts.size() > 1 ? "Host Ports" : "Host Port",
            hostPorts.isEmpty() ? "<none>" : String.join(", ", hostPorts));
        List<JsonNode> env = list(c, "env");
        if (env.isEmpty()) {
          d.line(2, "Environment", "<none>");
        } else {
          d.plain(2, "Environment:");
          for (JsonNode e : env) {
            d.line(3, str(e, "name"), has(e, "valueFrom") ? "<set from a source>" : str(e, "value"));
          }
        }
        List<JsonNode> mounts = new ArrayList<>(list(c, "volumeMounts"));
        if (mounts.isEmpty()) {
          d.line(2, "Mounts", "<none>");
        } else {
          d.plain(2, "Mounts:");
          mounts.sort(java.util.Comparator.comparing(m -> str(m, "mountPath")));
          for (JsonNode m : mounts) {
            String flags = Fields.bool(m, false, "readOnly") ? "ro" : "rw";
            flags += text(m, "subPath").filter(x -> !x.isEmpty()).map(x -> ",path=\"" + x + "\"").orElse("");
            d.plain(3, str(m, "mountPath") + " from " + str(m, "name") + " (" + flags + ")");
          }
        }
      }
    }
    List<JsonNode> volumes = list(t, "spec", "volumes");
    if (volumes.isEmpty()) {
      d.line(1, "Volumes", "<none>");
    } else {
      d.plain(1, "Volumes:");
      for (JsonNode v : volumes) {
        d.plain(2, str(v, "name") + ":");
        volumeSource(d, v);
      }
    }
    d.labels(1, "Node-Selectors", map(t, "spec", "nodeSelector"));
    d.line(1, "Tolerations", list(t, "spec", "tolerations").isEmpty() ? "<none>"
        : String.join(", ", list(t, "spec", "tolerations").stream().map(x -> str(x, "key")).toList()));
  }

  private static void volumeSource(DescribeText d, JsonNode v) {
    if (has(v, "persistentVolumeClaim")) {
      d.line(2, "Type", "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)");
      d.line(2, "ClaimName", str(v, "persistentVolumeClaim", "claimName"));
      d.line(2, "ReadOnly", String.valueOf(Fields.bool(v, false, "persistentVolumeClaim", "readOnly")));
    } else if (has(v, "ephemeral")) {
      d.line(2, "Type", "EphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)");
      JsonNode spec = at(v, "ephemeral", "volumeClaimTemplate", "spec");
      d.line(2, "StorageClass", str(spec, "storageClassName"));
      d.line(2, "Volume", str(spec, "volumeName"));
      d.labels(2, "Labels", map(v, "ephemeral", "volumeClaimTemplate", "metadata", "labels"));
      d.annotations(2, map(v, "ephemeral", "volumeClaimTemplate", "metadata", "annotations"));
      d.line(2, "Capacity", "");
      d.line(2, "Access Modes", "");
      text(spec, "volumeMode").ifPresent(m -> d.line(2, "VolumeMode", m));
    } else if (has(v, "csi")) {
      csiSource(d, at(v, "csi"), false);
    } else if (has(v, "hostPath")) {
      hostPathSource(d, at(v, "hostPath"));
    } else if (has(v, "emptyDir")) {
      d.line(2, "Type", "EmptyDir (a temporary directory that shares a pod's lifetime)");
      d.line(2, "Medium", str(v, "emptyDir", "medium"));
      String limit = str(v, "emptyDir", "sizeLimit");
      d.line(2, "SizeLimit", limit.isEmpty() || limit.equals("0") ? "<unset>" : limit);
    } else if (has(v, "configMap")) {
      d.line(2, "Type", "ConfigMap (a volume populated by a ConfigMap)");
      d.line(2, "Name", str(v, "configMap", "name"));
      d.line(2, "Optional", String.valueOf(Fields.bool(v, false, "configMap", "optional")));
    } else if (has(v, "secret")) {
      d.line(2, "Type", "Secret (a volume populated by a Secret)");
      d.line(2, "SecretName", str(v, "secret", "secretName"));
      d.line(2, "Optional", String.valueOf(Fields.bool(v, false, "secret", "optional")));
    } else if (has(v, "projected")) {
      d.line(2, "Type", "Projected (a volume that contains injected data from multiple sources)");
      for (JsonNode s : list(v, "projected", "sources")) {
        if (has(s, "serviceAccountToken")) {
          d.line(2, "TokenExpirationSeconds", at(s, "serviceAccountToken", "expirationSeconds").asText("3600"));
        } else if (has(s, "configMap")) {
          d.line(2, "ConfigMapName", str(s, "configMap", "name"));
          d.line(2, "Optional", String.valueOf(Fields.bool(s, false, "configMap", "optional")));
        } else if (has(s, "secret")) {
          d.line(2, "SecretName", str(s, "secret", "name"));
          d.line(2, "Optional", String.valueOf(Fields.bool(s, false, "secret", "optional")));
        } else if (has(s, "downwardAPI")) {
          d.line(2, "DownwardAPI", "true");
        }
      }
    } else {
      d.plain(1, "<unknown>");
    }
  }

  /** A CSI source (PV or inline); only a PV's has a volume handle. */
  private static void csiSource(DescribeText d, JsonNode csi, boolean persistent) {
    d.line(2, "Type", "CSI (a Container Storage Interface (CSI) volume source)");
    d.line(2, "Driver", str(csi, "driver"));
    d.line(2, "FSType", str(csi, "fsType"));
    if (persistent) {
      d.line(2, "VolumeHandle", str(csi, "volumeHandle"));
    }
    d.line(2, "ReadOnly", String.valueOf(Fields.bool(csi, false, "readOnly")));
    d.labels(2, "VolumeAttributes", map(csi, "volumeAttributes"));
  }

  private static void hostPathSource(DescribeText d, JsonNode hostPath) {
    d.line(2, "Type", "HostPath (bare host directory volume)");
    d.line(2, "Path", str(hostPath, "path"));
    d.line(2, "HostPathType", text(hostPath, "type").filter(s -> !s.isEmpty()).orElse("<none>"));
  }

  /**
   * kubectl's {@code describeSecret}: the keys of {@code data}, sorted, each with the size of its
   * decoded value. kubectl prints the value of a service-account token secret's {@code token}; the
   * command never prints a secret's value (docs/kubernetes-differences.md).
   */
  private static void secret(DescribeText d, JsonNode o) {
    d.line(0, "Name", name(o));
    d.line(0, "Namespace", namespace(o));
    meta(d, o);
    if (has(o, "metadata", "deletionTimestamp")) {
      d.line(0, "Status", d.phaseOrTerminating(o));
      d.line(0, "Finalizers", StorageText.goList(o, "metadata", "finalizers"));
    }
    d.plain(0, "");
    d.line(0, "Type", str(o, "type"));
    d.plain(0, "");
    d.plain(0, "Data");
    d.plain(0, "====");
    // The stored secret has only data (stringData is folded in on write); keys of a stringData
    // still present (an object that was never defaulted) count as their UTF-8 size.
    java.util.TreeMap<String, Integer> sizes = new java.util.TreeMap<>();
    map(o, "stringData").forEach((k, v) -> sizes.put(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
    map(o, "data").forEach((k, v) -> sizes.put(k, decodedSize(v)));
    sizes.forEach((k, n) -> d.line(0, k, n + " bytes"));
  }

  private static int decodedSize(String base64) {
    try {
      return java.util.Base64.getMimeDecoder().decode(base64).length;
    } catch (IllegalArgumentException e) {
      return base64.length(); // not base64 (validation refuses it on write): its length, never its text
    }
  }

  /** kubectl's {@code ConfigMapDescriber}: data values in full (sorted by key), binaryData sizes. */
  private static void configMap(DescribeText d, JsonNode o) {
    d.line(0, "Name", name(o));
    d.line(0, "Namespace", namespace(o));
    meta(d, o);
    d.plain(0, "");
    d.plain(0, "Data");
    d.plain(0, "====");
    new java.util.TreeMap<>(map(o, "data")).forEach((k, v) -> {
      d.plain(0, k + ":");
      d.plain(0, "----");
      d.raw(v + "\n");
      d.plain(0, "");
    });
    d.plain(0, "");
    d.plain(0, "BinaryData");
    d.plain(0, "====");
    new java.util.TreeMap<>(map(o, "binaryData")).forEach((k, v) -> d.plain(0, k + ": " + decodedSize(v) + " bytes"));
    d.plain(0, "");
  }

  /**
   * kubectl's generic describer ({@code genericDescriber} and {@code printUnstructuredContent}), which
   * kubectl uses for every kind without a describer of its own (CSIDriver, VolumeAttachment, the
   * snapshot CRDs): name, namespace (empty for a cluster-scoped object), labels, annotations, then
   * every other field as a tree, keys sorted, names made readable by {@link #smartLabel}.
   */
  private static void generic(DescribeText d, JsonNode o) {
    d.line(0, "Name", name(o));
    d.line(0, "Namespace", namespace(o));
    meta(d, o);
    content(d, 0, o, "", List.of(".metadata.managedFields", ".metadata.name", ".metadata.namespace",
        ".metadata.labels", ".metadata.annotations"));
  }

  private static void content(DescribeText d, int level, JsonNode object, String prefix, List<String> skip) {
    TreeSet<String> fields = new TreeSet<>();
    object.fieldNames().forEachRemaining(fields::add);
    for (String field : fields) {
      String path = prefix + "." + field;
      if (skip.contains(path)) {
        continue;
      }
      JsonNode value = object.get(field);
      if (value.isObject()) {
        d.plain(level, smartLabel(field) + ":");
        content(d, level + 1, value, path, skip);
      } else if (value.isArray()) {
        d.plain(level, smartLabel(field) + ":");
        for (JsonNode item : value) {
          if (item.isObject()) {
            content(d, level + 1, item, path, skip);
          } else {
            d.plain(level + 1, scalar(item));
          }
        }
      } else {
        d.line(level, smartLabel(field), scalar(value));
      }
    }
  }

  /** Go's {@code %v} of a decoded JSON value. */
  private static String scalar(JsonNode v) {
    if (v.isNull()) {
      return "<nil>";
    }
    if (v.isArray() || v.isObject()) {
      return v.toString();
    }
    return v.asText();
  }

  private static final List<String> ACRONYMS = List.of("API", "URL", "UID", "OSB", "GUID");

  /**
   * kubectl's {@code smartLabelFor}: {@code persistentVolumeName} → {@code Persistent Volume Name},
   * {@code apiVersion} → {@code API Version}, {@code nodeID} → {@code Node ID}; a name with characters
   * other than letters and {@code -} (an annotation-like key) is kept as it is.
   */
  static String smartLabel(String field) {
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (!Character.isLetter(c) && c != '-') {
        return field;
      }
    }
    List<String> parts = new ArrayList<>();
    for (String part : camelCaseSplit(field)) {
      if (part.equals("_")) {
        continue;
      }
      String upper = part.toUpperCase(Locale.ROOT);
      parts.add(ACRONYMS.contains(upper) ? upper : Character.toUpperCase(part.charAt(0)) + part.substring(1));
    }
    return String.join(" ", parts);
  }

  /** {@code github.com/fatih/camelcase.Split}: runs of one character class, an upper run's last letter moved onto a following lower run. */
  private static List<String> camelCaseSplit(String s) {
    List<StringBuilder> runs = new ArrayList<>();
    int lastClass = -1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int cls = Character.isLowerCase(c) ? 1 : Character.isUpperCase(c) ? 2 : Character.isDigit(c) ? 3 : 4;
      if (cls == lastClass) {
        runs.get(runs.size() - 1).append(c);
      } else {
        runs.add(new StringBuilder().append(c));
      }
      lastClass = cls;
    }
    for (int i = 0; i < runs.size() - 1; i++) {
      StringBuilder a = runs.get(i);
      StringBuilder b = runs.get(i + 1);
      if (a.length() > 0 && b.length() > 0 && Character.isUpperCase(a.charAt(0)) && Character.isLowerCase(b.charAt(0))) {
        b.insert(0, a.charAt(a.length() - 1));
        a.setLength(a.length() - 1);
      }
    }
    List<String> out = new ArrayList<>();
    for (StringBuilder r : runs) {
      if (r.length() > 0) {
        out.add(r.toString());
      }
    }
    return out;
  }

}
