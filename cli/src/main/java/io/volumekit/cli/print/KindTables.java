package io.volumekit.cli.print;

import static io.volumekit.cli.print.Fields.at;
import static io.volumekit.cli.print.Fields.bool;
import static io.volumekit.cli.print.Fields.has;
import static io.volumekit.cli.print.Fields.list;
import static io.volumekit.cli.print.Fields.name;
import static io.volumekit.cli.print.Fields.str;
import static io.volumekit.cli.print.Fields.strings;
import static io.volumekit.cli.print.Fields.text;
import static io.volumekit.cli.print.Fields.time;
import static io.volumekit.cli.print.HumanDuration.age;
import static io.volumekit.cli.print.StorageText.accessModes;
import static io.volumekit.cli.print.StorageText.phaseOrTerminating;
import static io.volumekit.cli.print.StorageText.storageClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The {@code get} table of each kind: kubectl's columns and cells, computed from the object's JSON
 * form.
 *
 * <p>Mirrors the API server's table printers ({@code pkg/printers/internalversion/printers.go})
 * and, for the snapshot CRDs, their {@code additionalPrinterColumns}; the columns are
 * those kubectl shows. Kinds without a printer get {@code NAME AGE}.
 */
public final class KindTables {

  private static final String UNSET = "<unset>";
  private static final String NONE = "<none>";

  /** A (group) snapshot class: driver and deletion policy, no default marker. */
  private static final TableSpec SNAPSHOT_CLASS = TableSpec.of(
      List.of("NAME", "DRIVER", "DELETIONPOLICY", "AGE"),
      (o, now) -> List.of(name(o), str(o, "driver"), str(o, "deletionPolicy"),
          crdDate(o, now, "metadata", "creationTimestamp")));

  private static final ImmutableMap<String, TableSpec> SPECS = ImmutableMap.<String, TableSpec>builder()
      .put("PersistentVolume", TableSpec.of(
          List.of("NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS",
              "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"),
          List.of("VOLUMEMODE"),
          (o, now) -> List.of(
              name(o),
              text(o, "spec", "capacity", "storage").orElse("0"),
              accessModes(strings(o, "spec", "accessModes")),
              str(o, "spec", "persistentVolumeReclaimPolicy"),
              phaseOrTerminating(o),
              has(o, "spec", "claimRef")
                  ? str(o, "spec", "claimRef", "namespace") + "/" + str(o, "spec", "claimRef", "name")
                  : "",
              storageClass(o),
              text(o, "spec", "volumeAttributesClassName").orElse(UNSET),
              str(o, "status", "reason"),
              created(o, now),
              text(o, "spec", "volumeMode").orElse(UNSET))))
      .put("PersistentVolumeClaim", TableSpec.of(
          List.of("NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"),
          List.of("VOLUMEMODE"),
          (o, now) -> {
            boolean bound = !str(o, "spec", "volumeName").isEmpty();
            return List.of(
                name(o),
                phaseOrTerminating(o),
                str(o, "spec", "volumeName"),
                bound ? text(o, "status", "capacity", "storage").orElse("0") : "",
                bound ? accessModes(strings(o, "status", "accessModes")) : "",
                storageClass(o),
                text(o, "spec", "volumeAttributesClassName").orElse(UNSET),
                created(o, now),
                text(o, "spec", "volumeMode").orElse(UNSET));
          }))
      .put("StorageClass", TableSpec.of(
          List.of("NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"),
          (o, now) -> List.of(
              name(o) + (StorageText.isDefaultClass(o) ? " (default)" : ""),
              str(o, "provisioner"),
              text(o, "reclaimPolicy").orElse("Delete"),
              text(o, "volumeBindingMode").orElse("Immediate"),
              String.valueOf(bool(o, false, "allowVolumeExpansion")),
              created(o, now))))
      .put("Pod", TableSpec.of(
          List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE"),
          List.of("IP", "NODE", "NOMINATED NODE", "READINESS GATES"),
          KindTables::podRow))
      .put("Node", TableSpec.of(
          List.of("NAME", "STATUS", "ROLES", "AGE", "VERSION"),
          List.of("INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"),
          KindTables::nodeRow))
      .put("VolumeAttachment", TableSpec.of(
          List.of("NAME", "ATTACHER", "PV", "NODE", "ATTACHED", "AGE"),
          (o, now) -> List.of(
              name(o),
              str(o, "spec", "attacher"),
              str(o, "spec", "source", "persistentVolumeName"),
              str(o, "spec", "nodeName"),
              String.valueOf(bool(o, false, "status", "attached")),
              created(o, now))))
      .put("CSIDriver", TableSpec.of(
          List.of("NAME", "ATTACHREQUIRED", "PODINFOONMOUNT", "STORAGECAPACITY", "TOKENREQUESTS",
              "REQUIRESREPUBLISH", "MODES", "AGE"),
          (o, now) -> {
            List<String> modes = strings(o, "spec", "volumeLifecycleModes");
            return List.of(
                name(o),
                String.valueOf(bool(o, true, "spec", "attachRequired")),
                String.valueOf(bool(o, false, "spec", "podInfoOnMount")),
                String.valueOf(bool(o, false, "spec", "storageCapacity")),
                at(o, "spec", "tokenRequests").isArray()
                    ? String.join(",", list(o, "spec", "tokenRequests").stream().map(t -> str(t, "audience")).toList())
                    : UNSET,
                String.valueOf(bool(o, false, "spec", "requiresRepublish")),
                modes.isEmpty() ? NONE : String.join(",", modes),
                created(o, now));
          }))
      .put("CSINode", TableSpec.of(
          List.of("NAME", "DRIVERS", "AGE"),
          (o, now) -> List.of(name(o), String.valueOf(list(o, "spec", "drivers").size()), created(o, now))))
      .put("CSIStorageCapacity", TableSpec.of(
          List.of("NAME", "STORAGECLASSNAME", "CAPACITY"),
          (o, now) -> List.of(name(o), str(o, "storageClassName"), text(o, "capacity").orElse(UNSET))))
      .put("VolumeAttributesClass", TableSpec.of(
          List.of("NAME", "DRIVERNAME", "AGE"),
          (o, now) -> List.of(name(o), str(o, "driverName"), created(o, now))))
      .put("Event", new TableSpec(
          com.google.common.collect.ImmutableList.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"),
          com.google.common.collect.ImmutableList.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE",
              "MESSAGE", "FIRST SEEN", "COUNT", "NAME"),
          KindTables::eventRow))
      .put("StatefulSet", TableSpec.of(
          List.of("NAME", "READY", "AGE"),
          List.of("CONTAINERS", "IMAGES"),
          (o, now) -> List.of(
              name(o),
              at(o, "status", "readyReplicas").asLong(0) + "/" + at(o, "spec", "replicas").asLong(1),
              created(o, now),
              String.join(",", list(o, "spec", "template", "spec", "containers").stream().map(c -> str(c, "name")).toList()),
              String.join(",", list(o, "spec", "template", "spec", "containers").stream().map(c -> str(c, "image")).toList()))))
      .put("Namespace", TableSpec.of(
          List.of("NAME", "STATUS", "AGE"),
          (o, now) -> List.of(name(o), str(o, "status", "phase"), created(o, now))))
      .put("Secret", TableSpec.of(
          List.of("NAME", "TYPE", "DATA", "AGE"),
          (o, now) -> List.of(name(o), str(o, "type"), String.valueOf(at(o, "data").size()), created(o, now))))
      .put("ConfigMap", TableSpec.of(
          List.of("NAME", "DATA", "AGE"),
          (o, now) -> List.of(name(o), String.valueOf(at(o, "data").size() + at(o, "binaryData").size()),
              created(o, now))))
      .put("VolumeSnapshot", TableSpec.of(
          List.of("NAME", "READYTOUSE", "SOURCEPVC", "SOURCESNAPSHOTCONTENT", "RESTORESIZE", "SNAPSHOTCLASS",
              "SNAPSHOTCONTENT", "CREATIONTIME", "AGE"),
          (o, now) -> List.of(
              name(o),
              crdBool(o, "status", "readyToUse"),
              str(o, "spec", "source", "persistentVolumeClaimName"),
              str(o, "spec", "source", "volumeSnapshotContentName"),
              str(o, "status", "restoreSize"),
              str(o, "spec", "volumeSnapshotClassName"),
              str(o, "status", "boundVolumeSnapshotContentName"),
              crdDate(o, now, "status", "creationTime"),
              crdDate(o, now, "metadata", "creationTimestamp"))))
      .put("VolumeSnapshotContent", TableSpec.of(
          List.of("NAME", "READYTOUSE", "RESTORESIZE", "DELETIONPOLICY", "DRIVER", "VOLUMESNAPSHOTCLASS",
              "VOLUMESNAPSHOT", "VOLUMESNAPSHOTNAMESPACE", "AGE"),
          (o, now) -> List.of(
              name(o),
              crdBool(o, "status", "readyToUse"),
              str(o, "status", "restoreSize"),
              str(o, "spec", "deletionPolicy"),
              str(o, "spec", "driver"),
              str(o, "spec", "volumeSnapshotClassName"),
              str(o, "spec", "volumeSnapshotRef", "name"),
              str(o, "spec", "volumeSnapshotRef", "namespace"),
              crdDate(o, now, "metadata", "creationTimestamp"))))
      .put("VolumeSnapshotClass", SNAPSHOT_CLASS)
      .put("VolumeGroupSnapshot", TableSpec.of(
          List.of("NAME", "READYTOUSE", "VOLUMEGROUPSNAPSHOTCLASS", "VOLUMEGROUPSNAPSHOTCONTENT", "CREATIONTIME", "AGE"),
          (o, now) -> List.of(
              name(o),
              crdBool(o, "status", "readyToUse"),
              str(o, "spec", "volumeGroupSnapshotClassName"),
              str(o, "status", "boundVolumeGroupSnapshotContentName"),
              crdDate(o, now, "status", "creationTime"),
              crdDate(o, now, "metadata", "creationTimestamp"))))
      .put("VolumeGroupSnapshotContent", TableSpec.of(
          List.of("NAME", "READYTOUSE", "DELETIONPOLICY", "DRIVER", "VOLUMEGROUPSNAPSHOTCLASS",
              "VOLUMEGROUPSNAPSHOTNAMESPACE", "VOLUMEGROUPSNAPSHOT", "AGE"),
          (o, now) -> List.of(
              name(o),
              crdBool(o, "status", "readyToUse"),
              str(o, "spec", "deletionPolicy"),
              str(o, "spec", "driver"),
              str(o, "spec", "volumeGroupSnapshotClassName"),
              str(o, "spec", "volumeGroupSnapshotRef", "namespace"),
              str(o, "spec", "volumeGroupSnapshotRef", "name"),
              crdDate(o, now, "metadata", "creationTimestamp"))))
      .put("VolumeGroupSnapshotClass", SNAPSHOT_CLASS)
      .put("VolumePopulator", TableSpec.of(
          List.of("NAME", "SOURCEKIND", "AGE"),
          (o, now) -> List.of(name(o), sourceKind(o), crdDate(o, now, "metadata", "creationTimestamp"))))
      .build();

  private static final TableSpec GENERIC = TableSpec.of(List.of("NAME", "AGE"), (o, now) -> List.of(name(o), created(o, now)));

  private KindTables() {}

  /** A VolumePopulator's source kind as Kubernetes prints a GroupKind: {@code Kind.group}. */
  private static String sourceKind(JsonNode o) {
    String group = str(o, "sourceKind", "group");
    String kind = str(o, "sourceKind", "kind");
    return group.isEmpty() ? kind : kind + "." + group;
  }

  /** The table of the kind (API casing), or {@code NAME AGE} for kinds without a printer. */
  public static TableSpec forKind(String kind) {
    return SPECS.getOrDefault(kind, GENERIC);
  }

  /** AGE, as kubectl's HumanDuration prints it. */
  static String created(JsonNode o, Instant now) {
    return age(time(o, "metadata", "creationTimestamp"), now);
  }

  /** A CRD {@code boolean} column: {@code true}/{@code false}, an empty (nil) cell for anything else. */
  private static String crdBool(JsonNode o, String... path) {
    JsonNode n = at(o, path);
    return n.isBoolean() ? String.valueOf(n.booleanValue()) : "";
  }

  /**
   * A CRD {@code date} column: the age of the timestamp, {@code <invalid>} for a string that does
   * not parse, an empty (nil) cell when the field is missing or not a string.
   */
  private static String crdDate(JsonNode o, Instant now, String... path) {
    if (!at(o, path).isTextual()) {
      return "";
    }
    return time(o, path).map(t -> HumanDuration.format(java.time.Duration.between(t, now))).orElse("<invalid>");
  }

  private static List<String> podRow(JsonNode o, Instant now) {
    List<JsonNode> containers = list(o, "spec", "containers");
    List<JsonNode> statuses = list(o, "status", "containerStatuses");
    int total = containers.size();
    int ready = 0;
    long restarts = 0;
    Optional<Instant> lastRestart = Optional.empty();
    for (JsonNode cs : statuses) {
      restarts += at(cs, "restartCount").asLong(0);
      if (bool(cs, false, "ready") && has(cs, "state", "running")) {
        ready++;
      }
      Optional<Instant> finished = time(cs, "lastState", "terminated", "finishedAt");
      if (finished.isPresent() && (lastRestart.isEmpty() || finished.get().isAfter(lastRestart.get()))) {
        lastRestart = finished;
      }
    }
    for (JsonNode init : list(o, "spec", "initContainers")) {
      if ("Always".equals(str(init, "restartPolicy"))) {
        total++;
      }
    }
    String restartText = restarts != 0 && lastRestart.isPresent()
        ? restarts + " (" + HumanDuration.format(java.time.Duration.between(lastRestart.get(), now)) + " ago)"
        : String.valueOf(restarts);
    List<JsonNode> gates = list(o, "spec", "readinessGates");
    String gatesText = "<none>";
    if (!gates.isEmpty()) {
      int trueCount = 0;
      for (JsonNode g : gates) {
        String type = str(g, "conditionType");
        for (JsonNode c : list(o, "status", "conditions")) {
          if (type.equals(str(c, "type")) && "True".equals(str(c, "status"))) {
            trueCount++;
          }
        }
      }
      gatesText = trueCount + "/" + gates.size();
    }
    List<String> ips = list(o, "status", "podIPs").stream().map(ip -> str(ip, "ip")).toList();
    return List.of(
        name(o),
        ready + "/" + total,
        podStatus(o),
        restartText,
        created(o, now),
        ips.isEmpty() ? NONE : ips.get(0),
        text(o, "spec", "nodeName").filter(s -> !s.isEmpty()).orElse(NONE),
        text(o, "status", "nominatedNodeName").filter(s -> !s.isEmpty()).orElse(NONE),
        gatesText);
  }

  /** The Pod STATUS column of kubectl's pod printer, condensed. */
  static String podStatus(JsonNode o) {
    String reason = str(o, "status", "phase");
    if (!str(o, "status", "reason").isEmpty()) {
      reason = str(o, "status", "reason");
    }
    for (JsonNode c : list(o, "status", "conditions")) {
      if ("PodScheduled".equals(str(c, "type")) && "SchedulingGated".equals(str(c, "reason"))) {
        reason = "SchedulingGated";
      }
    }
    boolean initializing = false;
    List<JsonNode> inits = list(o, "status", "initContainerStatuses");
    int initCount = list(o, "spec", "initContainers").size();
    for (int i = 0; i < inits.size(); i++) {
      JsonNode cs = inits.get(i);
      if (has(cs, "state", "terminated") && at(cs, "state", "terminated", "exitCode").asInt(0) == 0) {
        continue;
      }
      if (has(cs, "state", "running") && bool(cs, false, "started")) {
        continue; // a started sidecar
      }
      initializing = true;
      if (has(cs, "state", "terminated")) {
        String r = str(cs, "state", "terminated", "reason");
        if (!r.isEmpty()) {
          reason = "Init:" + r;
        } else if (at(cs, "state", "terminated", "signal").asInt(0) != 0) {
          reason = "Init:Signal:" + at(cs, "state", "terminated", "signal").asInt();
        } else {
          reason = "Init:ExitCode:" + at(cs, "state", "terminated", "exitCode").asInt();
        }
      } else if (!str(cs, "state", "waiting", "reason").isEmpty()
          && !"PodInitializing".equals(str(cs, "state", "waiting", "reason"))) {
        reason = "Init:" + str(cs, "state", "waiting", "reason");
      } else {
        reason = "Init:" + i + "/" + initCount;
      }
      break;
    }
    if (!initializing) {
      boolean hasRunning = false;
      List<JsonNode> statuses = list(o, "status", "containerStatuses");
      for (int i = statuses.size() - 1; i >= 0; i--) {
        JsonNode cs = statuses.get(i);
        String waiting = str(cs, "state", "waiting", "reason");
        if (!waiting.isEmpty()) {
          reason = waiting;
        } else if (has(cs, "state", "terminated")) {
          String r = str(cs, "state", "terminated", "reason");
          int signal = at(cs, "state", "terminated", "signal").asInt(0);
          if (!r.isEmpty()) {
            reason = r;
          } else if (signal != 0) {
            reason = "Signal:" + signal;
          } else {
            reason = "ExitCode:" + at(cs, "state", "terminated", "exitCode").asInt(0);
          }
        } else if (bool(cs, false, "ready") && has(cs, "state", "running")) {
          hasRunning = true;
        }
      }
      if ("Completed".equals(reason) && hasRunning) {
        boolean readyCondition = list(o, "status", "conditions").stream()
            .anyMatch(c -> "Ready".equals(str(c, "type")) && "True".equals(str(c, "status")));
        reason = readyCondition ? "Running" : "NotReady";
      }
    }
    if (has(o, "metadata", "deletionTimestamp")) {
      String phase = str(o, "status", "phase");
      if ("NodeLost".equals(str(o, "status", "reason"))) {
        reason = "Unknown";
      } else if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) {
        reason = "Terminating";
      }
    }
    return reason;
  }

  private static List<String> nodeRow(JsonNode o, Instant now) {
    String status = "Unknown";
    for (JsonNode c : list(o, "status", "conditions")) {
      if ("Ready".equals(str(c, "type"))) {
        status = "True".equals(str(c, "status")) ? "Ready" : "NotReady";
      }
    }
    if (bool(o, false, "spec", "unschedulable")) {
      status += ",SchedulingDisabled";
    }
    TreeSet<String> roles = new TreeSet<>();
    Fields.map(o, "metadata", "labels").forEach((k, v) -> {
      if (k.startsWith("node-role.kubernetes.io/")) {
        String role = k.substring("node-role.kubernetes.io/".length());
        if (!role.isEmpty()) {
          roles.add(role);
        }
      } else if (k.equals("kubernetes.io/role") && !v.isEmpty()) {
        roles.add(v);
      }
    });
    List<String> row = new ArrayList<>(List.of(
        name(o),
        status,
        roles.isEmpty() ? NONE : String.join(",", roles),
        created(o, now),
        str(o, "status", "nodeInfo", "kubeletVersion"),
        address(o, "InternalIP"),
        address(o, "ExternalIP")));
    for (String f : List.of("osImage", "kernelVersion", "containerRuntimeVersion")) {
      row.add(text(o, "status", "nodeInfo", f).filter(s -> !s.isEmpty()).orElse("<unknown>"));
    }
    return row;
  }

  private static String address(JsonNode node, String type) {
    return list(node, "status", "addresses").stream()
        .filter(a -> type.equals(str(a, "type")))
        .map(a -> str(a, "address"))
        .findFirst()
        .orElse(NONE);
  }

  private static List<String> eventRow(JsonNode o, Instant now, boolean wide) {
    String firstSeen = age(time(o, "firstTimestamp").or(() -> time(o, "eventTime")), now);
    String lastSeen;
    if (has(o, "series")) {
      lastSeen = age(time(o, "series", "lastObservedTime"), now);
    } else if (time(o, "lastTimestamp").isPresent()) {
      lastSeen = age(time(o, "lastTimestamp"), now);
    } else {
      lastSeen = firstSeen;
    }
    String kind = str(o, "involvedObject", "kind").toLowerCase(Locale.ROOT);
    String objName = str(o, "involvedObject", "name");
    String object = objName.isEmpty() ? kind : kind + "/" + objName;
    String message = str(o, "message").strip();
    if (!wide) {
      return List.of(lastSeen, str(o, "type"), str(o, "reason"), object, message);
    }
    String source = text(o, "source", "component").filter(s -> !s.isEmpty()).orElse(str(o, "reportingController"));
    String host = text(o, "source", "host").filter(s -> !s.isEmpty()).orElse(str(o, "reportingInstance"));
    if (!host.isEmpty()) {
      source = source + ", " + host;
    }
    long count = has(o, "series") ? at(o, "series", "count").asLong(0) : at(o, "count").asLong(0);
    if (!has(o, "series") && count == 0) {
      count = 1;
    }
    return List.of(lastSeen, str(o, "type"), str(o, "reason"), object, str(o, "involvedObject", "fieldPath"),
        source, message, firstSeen, String.valueOf(count), name(o));
  }
}
