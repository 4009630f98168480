package io.volumekit.core.controller;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import io.volumekit.core.key.Change;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The changes whose {@code watch} a {@link Controller} wants to see: the kinds of object (every
 * kind, the default {@link #all()}, or a fixed set, {@link #of}), and per kind, if the controller
 * says so, only some change types ({@link #only}: ADDED, MODIFIED, DELETED) or only changes of
 * objects that have owner references ({@link #ownedOnly}).
 *
 * <p>This is the equivalent of the informers a Kubernetes controller starts and of the filters of
 * its event handlers: a controller only receives the watch events of the resources it has
 * informers for, and a handler such as the garbage collector's or the ephemeral volume
 * controller's ignores the events it has no use for (an added claim, an object without owners).
 * The runtime uses it to route each committed change only to the controllers that would look at
 * it (an index from kind and change type to controllers, built once), instead of showing every
 * change to every controller's {@code watch}.
 *
 * <p>A declaration is a promise about {@code watch}: for a change it does not show, the
 * controller's {@code watch} would queue nothing. A controller that declares nothing sees
 * everything, as before.
 */
public final class WatchedKinds {

  private static final int TYPES = Change.Type.values().length;
  /** Every type shown, none restricted to owned objects. */
  private static final int EVERY_TYPE = (1 << TYPES) - 1;

  private static final WatchedKinds ALL = new WatchedKinds(Optional.empty(), ImmutableMap.of(), EVERY_TYPE);

  private final Optional<ImmutableSet<String>> kinds;
  /**
   * Per kind with a rule of its own, a mask: bit {@code t} (a type's ordinal) = changes of that type
   * are shown; bit {@code TYPES + t} = only when the object has owner references.
   */
  private final ImmutableMap<String, Integer> rules;
  /** The mask of a watched kind without a rule of its own. */
  private final int otherwise;

  private WatchedKinds(Optional<ImmutableSet<String>> kinds, ImmutableMap<String, Integer> rules, int otherwise) {
    this.kinds = kinds;
    this.rules = rules;
    this.otherwise = otherwise;
  }

  /** Every change of every kind, including kinds registered later (the safe default). */
  public static WatchedKinds all() {
    return ALL;
  }

  /** Every change of exactly these kinds (e.g. {@code WatchedKinds.of(Pod.KIND, PersistentVolumeClaim.KIND)}). */
  public static WatchedKinds of(String... kinds) {
    return of(Set.of(kinds));
  }

  /** Every change of exactly these kinds. */
  public static WatchedKinds of(Set<String> kinds) {
    for (String k : kinds) {
      Objects.requireNonNull(k, "kind");
    }
    return new WatchedKinds(Optional.of(ImmutableSet.copyOf(kinds)), ImmutableMap.of(), EVERY_TYPE);
  }

  /**
   * These declarations, with the changes of {@code kind} shown only when of one of {@code types}
   * (e.g. the claims' DELETED alone). The kind must be watched.
   */
  public WatchedKinds only(String kind, Change.Type... types) {
    requireWatched(kind);
    int shown = bits(types, 0);
    int mask = mask(kind);
    // The other types go; a kept type keeps its owner restriction.
    return withRule(kind, (mask & shown) | (mask & (shown << TYPES)));
  }

  /**
   * These declarations, with the changes of {@code kind} of these types shown only when the object
   * (after the change, or before it for a deletion: {@link Change#object()}) has owner references.
   * The kind must be watched.
   */
  public WatchedKinds ownedOnly(String kind, Change.Type... types) {
    requireWatched(kind);
    return withRule(kind, mask(kind) | bits(types, TYPES));
  }

  /**
   * These declarations, with the changes of these types shown only for objects that have owner
   * references, for every kind (those with a rule of their own and the others).
   */
  public WatchedKinds ownedOnly(Change.Type... types) {
    int owned = bits(types, TYPES);
    Map<String, Integer> r = new HashMap<>();
    rules.forEach((k, m) -> r.put(k, m | owned));
    return new WatchedKinds(kinds, ImmutableMap.copyOf(r), otherwise | owned);
  }

  /** Whether some changes of the kind are shown to the controller. */
  public boolean includes(String kind) {
    return (mask(kind) & EVERY_TYPE) != 0;
  }

  /** Whether changes of the kind and type are shown (to some objects, see {@link #ownedOnlyTypes}). */
  public boolean includes(String kind, Change.Type type) {
    return (mask(kind) & (1 << type.ordinal())) != 0;
  }

  /** Whether this change is shown to the controller. */
  public boolean includes(Change change) {
    int m = mask(change.kind());
    int t = change.type().ordinal();
    if ((m & (1 << t)) == 0) {
      return false;
    }
    return (m & (1 << (TYPES + t))) == 0 || !change.object().metadata().ownerReferences().isEmpty();
  }

  /** The change types of the kind that are shown only for objects with owner references. */
  public Set<Change.Type> ownedOnlyTypes(String kind) {
    int m = mask(kind);
    Set<Change.Type> out = EnumSet.noneOf(Change.Type.class);
    for (Change.Type t : Change.Type.values()) {
      if ((m & (1 << t.ordinal())) != 0 && (m & (1 << (TYPES + t.ordinal()))) != 0) {
        out.add(t);
      }
    }
    return out;
  }

  /** The declared kinds, or empty for every kind. */
  public Optional<ImmutableSet<String>> kinds() {
    return kinds;
  }

  private int mask(String kind) {
    if (kinds.isPresent() && !kinds.get().contains(kind)) {
      return 0;
    }
    Integer r = rules.get(kind);
    return r == null ? otherwise : r;
  }

  private void requireWatched(String kind) {
    Objects.requireNonNull(kind, "kind");
    if (!includes(kind)) {
      throw new IllegalArgumentException("kind " + kind + " is not watched: " + this);
    }
  }

  private WatchedKinds withRule(String kind, int mask) {
    Map<String, Integer> r = new HashMap<>(rules);
    r.put(kind, mask);
    return new WatchedKinds(kinds, ImmutableMap.copyOf(r), otherwise);
  }

  private static int bits(Change.Type[] types, int shift) {
    int b = 0;
    for (Change.Type t : types) {
      b |= 1 << (shift + Objects.requireNonNull(t, "type").ordinal());
    }
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WatchedKinds w && w.kinds.equals(kinds) && w.rules.equals(rules) && w.otherwise == otherwise;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kinds, rules, otherwise);
  }

  @Override
  public String toString() {
    String base = kinds.map(k -> "WatchedKinds" + k).orElse("WatchedKinds[all]");
    if (rules.isEmpty() && otherwise == EVERY_TYPE) {
      return base;
    }
    StringBuilder b = new StringBuilder(base);
    if (otherwise != EVERY_TYPE) {
      b.append(" otherwise ").append(describe(otherwise));
    }
    rules.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> b.append(' ').append(e.getKey()).append('=').append(describe(e.getValue())));
    return b.toString();
  }

  private static String describe(int mask) {
    StringBuilder b = new StringBuilder("[");
    for (Change.Type t : Change.Type.values()) {
      if ((mask & (1 << t.ordinal())) != 0) {
        if (b.length() > 1) {
          b.append(',');
        }
        b.append(t);
        if ((mask & (1 << (TYPES + t.ordinal()))) != 0) {
          b.append("(owned)");
        }
      }
    }
    return b.append(']').toString();
  }
}
