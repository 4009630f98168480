package io.volumekit.core.docs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state transitions observed while running scenarios on the engine, per diagram, and their
 * rendering as Mermaid {@code stateDiagram-v2} plus a table saying where each one was seen.
 */
final class Transitions {

  static final String PV = "pv";
  static final String PVC = "pvc";
  static final String POD = "pod";
  static final String ATTACHMENT = "volumeattachment";
  static final String CSI = "csi";

  /** Reading order of states in the rendered diagrams; unknown states go last, by name. */
  private static final List<String> ORDER = List.of(
      "[*]", "Pending", "Available", "Bound", "Released", "Failed", "Lost", "Running", "Succeeded",
      "Attaching", "AttachError", "Attached", "Detaching", "DetachError",
      "CREATED", "NODE_READY", "VOL_READY", "PUBLISHED");

  /** One edge: from, to, and what caused it (empty for object phases). */
  record Edge(String from, String to, String label) implements Comparable<Edge> {
    private static final Comparator<Edge> ORDERING = Comparator
        .comparing((Edge e) -> rank(e.from)).thenComparing(e -> e.from)
        .thenComparing(e -> rank(e.to)).thenComparing(e -> e.to)
        .thenComparing(e -> e.label);

    @Override
    public int compareTo(Edge o) {
      return ORDERING.compare(this, o);
    }
  }

  private final Map<String, TreeMap<Edge, Set<String>>> edges = new TreeMap<>();

  /** Records that the transition happened in the scenario. */
  synchronized void record(String diagram, String from, String to, String label, String scenario) {
    edges.computeIfAbsent(diagram, d -> new TreeMap<>())
        .computeIfAbsent(new Edge(from, to, label), e -> new LinkedHashSet<>())
        .add(scenario);
  }

  /** The observed edges of the diagram, in reading order. */
  synchronized Set<Edge> edges(String diagram) {
    return new TreeSet<>(edges.getOrDefault(diagram, new TreeMap<>()).keySet());
  }

  /** Every scenario that recorded at least one transition. */
  synchronized Set<String> scenarios() {
    Set<String> out = new TreeSet<>();
    edges.values().forEach(m -> m.values().forEach(out::addAll));
    return out;
  }

  /** The generated Markdown for the diagram: a Mermaid block and the "seen in" table. */
  synchronized String render(String diagram) {
    TreeMap<Edge, Set<String>> es = edges.getOrDefault(diagram, new TreeMap<>());
    StringBuilder b = new StringBuilder();
    b.append("```mermaid\nstateDiagram-v2\n");
    Set<String> states = new TreeSet<>(Comparator.comparing(Transitions::rank).thenComparing(s -> s));
    for (Edge e : es.keySet()) {
      states.add(e.from);
      states.add(e.to);
    }
    for (String s : states) {
      if (!id(s).equals(s)) {
        b.append("    state \"").append(s).append("\" as ").append(id(s)).append('\n');
      }
    }
    for (Edge e : es.keySet()) {
      b.append("    ").append(id(e.from)).append(" --> ").append(id(e.to));
      if (!e.label.isEmpty()) {
        b.append(" : ").append(e.label);
      }
      b.append('\n');
    }
    b.append("```\n\n");
    b.append("| from | to |").append(hasLabels(es) ? " on |" : "").append(" seen in scenarios |\n");
    b.append("|---|---|").append(hasLabels(es) ? "---|" : "").append("---|\n");
    for (Map.Entry<Edge, Set<String>> e : es.entrySet()) {
      b.append("| ").append(cell(e.getKey().from)).append(" | ").append(cell(e.getKey().to)).append(" |");
      if (hasLabels(es)) {
        b.append(' ').append(e.getKey().label).append(" |");
      }
      List<String> seen = new ArrayList<>(e.getValue());
      b.append(' ').append(String.join(", ", seen.stream().map(s -> "`" + s + "`").toList())).append(" |\n");
    }
    return b.toString();
  }

  private static boolean hasLabels(Map<Edge, ?> es) {
    return es.keySet().stream().anyMatch(e -> !e.label.isEmpty());
  }

  private static String cell(String state) {
    return state.equals("[*]") ? "(none)" : state;
  }

  /** A Mermaid state id: the name with anything but letters, digits and {@code _} replaced. */
  private static String id(String state) {
    if (state.equals("[*]")) {
      return state;
    }
    return state.replaceAll("[^A-Za-z0-9_]+", "_").replaceAll("_+$", "");
  }

  private static int rank(String state) {
    String base = state.contains(" ") ? state.substring(0, state.indexOf(' ')) : state;
    int i = ORDER.indexOf(base);
    return (i < 0 ? ORDER.size() : i) * 2 + (base.equals(state) ? 0 : 1);
  }

  @Override
  public synchronized String toString() {
    Map<String, Set<Edge>> out = new LinkedHashMap<>();
    edges.forEach((d, m) -> out.put(d, m.keySet()));
    return out.toString();
  }
}
