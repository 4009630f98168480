package io.volumekit.cli.describe;

import static io.volumekit.cli.print.Fields.at;
import static io.volumekit.cli.print.Fields.has;
import static io.volumekit.cli.print.Fields.list;
import static io.volumekit.cli.print.Fields.map;
import static io.volumekit.cli.print.Fields.name;
import static io.volumekit.cli.print.Fields.namespace;
import static io.volumekit.cli.print.Fields.str;
import static io.volumekit.cli.print.Fields.strings;

import com.fasterxml.jackson.databind.JsonNode;
import io.volumekit.cli.print.Fields;
import io.volumekit.cli.print.HumanDuration;
import io.volumekit.model.quantity.Quantity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * kubectl's describe layouts for Node and CSINode ({@code describeNode}, {@code describeNodeResource}
 * and {@code describeCSINode} of kubectl's {@code pkg/describe/describe.go}).
 *
 * <p>The Node layout is kubectl's without the {@code Lease:} section: volumekit keeps no node
 * leases, and kubectl leaves the section out when it has no lease describer. Pod requests are the
 * sum over the pod's containers (init containers and pod overhead are not counted). Where the node
 * reports no allocatable amount of a resource, the percentages are 0.
 */
final class NodeKinds {

  private static final String ZERO_TIME = "Mon, 01 Jan 0001 00:00:00 +0000";
  private static final String ROLE_PREFIX = "node-role.kubernetes.io/";

  private NodeKinds() {}

  /** {@code describeNode}; {@code pods} are all stored pods. */
  static void node(DescribeText d, JsonNode o, List<? extends JsonNode> pods) {
    d.line(0, "Name", name(o));
    List<String> roles = roles(map(o, "metadata", "labels"));
    d.line(0, "Roles", roles.isEmpty() ? "<none>" : String.join(",", roles));
    d.labels(0, "Labels", map(o, "metadata", "labels"));
    d.annotations(0, map(o, "metadata", "annotations"));
    d.line(0, "CreationTimestamp", creation(o));
    taints(d, list(o, "spec", "taints"));
    d.line(0, "Unschedulable", String.valueOf(Fields.bool(o, false, "spec", "unschedulable")));
    List<JsonNode> conditions = list(o, "status", "conditions");
    if (!conditions.isEmpty()) {
      d.plain(0, "Conditions:");
      d.raw("  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
      d.raw("  ----\t------\t-----------------\t------------------\t------\t-------\n");
      for (JsonNode c : conditions) {
        d.raw("  " + str(c, "type") + " \t" + str(c, "status") + " \t" + time(c, "lastHeartbeatTime") + " \t"
            + time(c, "lastTransitionTime") + " \t" + str(c, "reason") + " \t" + str(c, "message") + "\n");
      }
    }
    d.plain(0, "Addresses:");
    for (JsonNode a : list(o, "status", "addresses")) {
      d.line(1, str(a, "type"), str(a, "address"));
    }
    Map<String, String> capacity = map(o, "status", "capacity");
    Map<String, String> allocatable = map(o, "status", "allocatable");
    if (!capacity.isEmpty()) {
      d.plain(0, "Capacity:");
      capacity.forEach((k, v) -> d.line(1, k, quantity(v).toString()));
    }
    if (!allocatable.isEmpty()) {
      d.plain(0, "Allocatable:");
      allocatable.forEach((k, v) -> d.line(1, k, quantity(v).toString()));
    }
    d.plain(0, "System Info:");
    JsonNode info = at(o, "status", "nodeInfo");
    d.line(1, "Machine ID", str(info, "machineID"));
    d.line(1, "System UUID", str(info, "systemUUID"));
    d.line(1, "Boot ID", str(info, "bootID"));
    d.line(1, "Kernel Version", str(info, "kernelVersion"));
    d.line(1, "OS Image", str(info, "osImage"));
    d.line(1, "Operating System", str(info, "operatingSystem"));
    d.line(1, "Architecture", str(info, "architecture"));
    d.line(1, "Container Runtime Version", str(info, "containerRuntimeVersion"));
    d.line(1, "Kubelet Version", str(info, "kubeletVersion"));
    d.line(1, "Kube-Proxy Version", str(info, "kubeProxyVersion"));
    String podCidr = str(o, "spec", "podCIDR");
    if (!podCidr.isEmpty()) {
      d.line(0, "PodCIDR", podCidr);
    }
    List<String> podCidrs = strings(o, "spec", "podCIDRs");
    if (!podCidrs.isEmpty()) {
      d.line(0, "PodCIDRs", String.join(",", podCidrs));
    }
    String providerId = str(o, "spec", "providerID");
    if (!providerId.isEmpty()) {
      d.line(0, "ProviderID", providerId);
    }
    resources(d, o, pods, capacity, allocatable);
  }

  /** {@code describeNodeResource}: the node's non-terminated pods and their summed requests. */
  private static void resources(DescribeText d, JsonNode node, List<? extends JsonNode> allPods,
      Map<String, String> capacity, Map<String, String> allocatableMap) {
    Map<String, String> allocatable = allocatableMap.isEmpty() ? capacity : allocatableMap;
    List<JsonNode> pods = new ArrayList<>();
    for (JsonNode p : allPods) {
      String phase = str(p, "status", "phase");
      if (str(p, "spec", "nodeName").equals(name(node)) && !phase.equals("Succeeded") && !phase.equals("Failed")) {
        pods.add(p);
      }
    }
    pods.sort(Comparator.comparing((JsonNode p) -> namespace(p)).thenComparing(Fields::name));
    d.line(0, "Non-terminated Pods", "(" + pods.size() + " in total)");
    d.raw("  Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
    d.raw("  ---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
    Quantity cpuAlloc = amount(allocatable, "cpu");
    Quantity memAlloc = amount(allocatable, "memory");
    Map<String, Quantity> totalReqs = new TreeMap<>();
    Map<String, Quantity> totalLimits = new TreeMap<>();
    for (JsonNode p : pods) {
      Map<String, Quantity> req = sum(p, "requests");
      Map<String, Quantity> lim = sum(p, "limits");
      req.forEach((k, v) -> totalReqs.merge(k, v, Quantity::add));
      lim.forEach((k, v) -> totalLimits.merge(k, v, Quantity::add));
      Quantity cpuReq = req.getOrDefault("cpu", Quantity.ZERO);
      Quantity cpuLim = lim.getOrDefault("cpu", Quantity.ZERO);
      Quantity memReq = req.getOrDefault("memory", Quantity.ZERO);
      Quantity memLim = lim.getOrDefault("memory", Quantity.ZERO);
      d.raw("  " + namespace(p) + "\t" + name(p) + "\t\t"
          + cpuReq + " (" + percent(cpuReq.milliValue(), cpuAlloc.milliValue()) + "%)\t"
          + cpuLim + " (" + percent(cpuLim.milliValue(), cpuAlloc.milliValue()) + "%)\t"
          + memReq + " (" + percent(memReq.value(), memAlloc.value()) + "%)\t"
          + memLim + " (" + percent(memLim.value(), memAlloc.value()) + "%)\t"
          + HumanDuration.age(Fields.time(p, "metadata", "creationTimestamp"), d.now()) + "\n");
    }
    d.plain(0, "Allocated resources:");
    d.plain(0, "  (Total limits may be over 100 percent, i.e., overcommitted.)");
    d.raw("  Resource\tRequests\tLimits\n");
    d.raw("  --------\t--------\t------\n");
    for (String r : List.of("cpu", "memory", "ephemeral-storage")) {
      Quantity req = totalReqs.getOrDefault(r, Quantity.ZERO);
      Quantity lim = totalLimits.getOrDefault(r, Quantity.ZERO);
      Quantity alloc = amount(allocatable, r);
      boolean milli = r.equals("cpu");
      long a = milli ? alloc.milliValue() : alloc.value();
      d.raw("  " + r + "\t" + req + " (" + percent(milli ? req.milliValue() : req.value(), a) + "%)\t"
          + lim + " (" + percent(milli ? lim.milliValue() : lim.value(), a) + "%)\n");
    }
    List<String> hugePages = new ArrayList<>();
    List<String> extended = new ArrayList<>();
    for (String r : allocatable.keySet()) {
      if (r.startsWith("hugepages-")) {
        hugePages.add(r);
      } else if (!isStandardContainerResource(r) && !r.equals("pods")) {
        extended.add(r);
      }
    }
    for (String r : hugePages) {
      Quantity req = totalReqs.getOrDefault(r, Quantity.ZERO);
      Quantity lim = totalLimits.getOrDefault(r, Quantity.ZERO);
      long a = amount(allocatable, r).value();
      d.raw("  " + r + "\t" + req + " (" + percent(req.value(), a) + "%)\t" + lim + " (" + percent(lim.value(), a) + "%)\n");
    }
    for (String r : extended) {
      d.raw("  " + r + "\t" + totalReqs.getOrDefault(r, Quantity.ZERO) + "\t"
          + totalLimits.getOrDefault(r, Quantity.ZERO) + "\n");
    }
  }

  /** {@code describeCSINode}. */
  static void csiNode(DescribeText d, JsonNode o) {
    d.line(0, "Name", name(o));
    d.labels(0, "Labels", map(o, "metadata", "labels"));
    d.annotations(0, map(o, "metadata", "annotations"));
    d.line(0, "CreationTimestamp", creation(o));
    d.plain(0, "Spec:");
    if (has(o, "spec", "drivers")) {
      d.plain(1, "Drivers:");
      for (JsonNode driver : list(o, "spec", "drivers")) {
        d.plain(2, str(driver, "name") + ":");
        d.line(3, "Node ID", str(driver, "nodeID"));
        if (has(driver, "allocatable", "count")) {
          d.plain(3, "Allocatables:");
          d.line(4, "Count", at(driver, "allocatable", "count").asText());
        }
        if (has(driver, "topologyKeys")) {
          d.line(3, "Topology Keys", "[" + String.join(" ", strings(driver, "topologyKeys")) + "]");
        }
      }
    }
  }

  /** {@code findNodeRoles}: the sorted roles named by {@code node-role.kubernetes.io/<role>} and {@code kubernetes.io/role}. */
  static List<String> roles(Map<String, String> labels) {
    TreeSet<String> roles = new TreeSet<>();
    labels.forEach((k, v) -> {
      if (k.startsWith(ROLE_PREFIX)) {
        if (k.length() > ROLE_PREFIX.length()) {
          roles.add(k.substring(ROLE_PREFIX.length()));
        }
      } else if (k.equals("kubernetes.io/role") && !v.isEmpty()) {
        roles.add(v);
      }
    });
    return List.copyOf(roles);
  }

  /** {@code printNodeTaintsMultiline}: sorted by effect then key, {@code key=value:effect}. */
  private static void taints(DescribeText d, List<JsonNode> taints) {
    List<JsonNode> sorted = new ArrayList<>(taints);
    sorted.sort(Comparator.comparing(t -> str(t, "effect") + "," + str(t, "key")));
    if (sorted.isEmpty()) {
      d.line(0, "Taints", "<none>");
      return;
    }
    for (int i = 0; i < sorted.size(); i++) {
      JsonNode t = sorted.get(i);
      String value = str(t, "value");
      String text = str(t, "key") + (value.isEmpty() ? "" : "=" + value) + ":" + str(t, "effect");
      if (i == 0) {
        d.line(0, "Taints", text);
      } else {
        d.raw("\t" + text + "\n");
      }
    }
  }

  private static String creation(JsonNode o) {
    return Fields.time(o, "metadata", "creationTimestamp").map(DescribeText::timestamp).orElse(ZERO_TIME);
  }

  private static String time(JsonNode o, String field) {
    return Fields.time(o, field).map(DescribeText::timestamp).orElse(ZERO_TIME);
  }

  /** The summed {@code resources.<which>} of the pod's containers. */
  private static Map<String, Quantity> sum(JsonNode pod, String which) {
    Map<String, Quantity> out = new TreeMap<>();
    for (JsonNode c : list(pod, "spec", "containers")) {
      map(c, "resources", which).forEach((k, v) -> out.merge(k, quantity(v), Quantity::add));
    }
    return out;
  }

  private static Quantity amount(Map<String, String> resources, String name) {
    String v = resources.get(name);
    return v == null ? Quantity.ZERO : quantity(v);
  }

  private static Quantity quantity(String v) {
    return Quantity.parse(v);
  }

  /** Go's {@code int64(float64(part) / float64(whole) * 100)}; 0 when there is no whole. */
  private static long percent(long part, long whole) {
    return whole == 0 ? 0 : (long) ((double) part / (double) whole * 100);
  }

  private static boolean isStandardContainerResource(String r) {
    return r.equals("cpu") || r.equals("memory") || r.equals("ephemeral-storage") || r.startsWith("hugepages-");
  }
}
