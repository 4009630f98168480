package io.volumekit.core.state;

import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which of a state's indexes see the changes of each kind, and which see operations: worked out
 * once from {@link ObjectIndex#kinds()} and {@link ObjectIndex#indexesOperations()} when an empty
 * state is created, then shared by every state derived from it.
 *
 * <p>It exists so that a write is shown to the indexes of its kind only (usually none to three of
 * them) instead of asking every index whether it cares. The positions are in the order of the
 * index list, so indexes still see each change in the same order as before.
 */
final class IndexRouting {

  private static final int[] NONE = new int[0];

  /** Positions of the indexes declaring the kind (plus those of every kind), by kind. */
  private final ImmutableMap<String, int[]> byKind;
  /** Positions of the indexes of every kind: what a kind no index declares is shown to. */
  private final int[] anyKind;
  private final int[] operations;

  IndexRouting(ObjectIndex[] indexes) {
    Set<String> declared = new TreeSet<>();
    List<Integer> any = new ArrayList<>();
    List<Integer> ops = new ArrayList<>();
    for (int i = 0; i < indexes.length; i++) {
      Optional<Set<String>> kinds = indexes[i].kinds();
      if (kinds.isPresent()) {
        declared.addAll(kinds.get());
      } else {
        any.add(i);
      }
      if (indexes[i].indexesOperations()) {
        ops.add(i);
      }
    }
    Map<String, int[]> m = new LinkedHashMap<>();
    for (String kind : declared) {
      List<Integer> positions = new ArrayList<>();
      for (int i = 0; i < indexes.length; i++) {
        Optional<Set<String>> kinds = indexes[i].kinds();
        if (kinds.isEmpty() || kinds.get().contains(kind)) {
          positions.add(i);
        }
      }
      m.put(kind, toArray(positions));
    }
    this.byKind = ImmutableMap.copyOf(m);
    this.anyKind = toArray(any);
    this.operations = toArray(ops);
  }

  /** Positions of the indexes to show a change of the kind, in index order. Do not modify. */
  int[] forKind(String kind) {
    int[] p = byKind.get(kind);
    return p == null ? anyKind : p;
  }

  /** Positions of the indexes to show a recorded or forgotten operation. Do not modify. */
  int[] forOperations() {
    return operations;
  }

  private static int[] toArray(List<Integer> positions) {
    if (positions.isEmpty()) {
      return NONE;
    }
    int[] out = new int[positions.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = positions.get(i);
    }
    return out;
  }
}
