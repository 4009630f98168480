package io.volumekit.core.controller;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import io.volumekit.core.key.Change;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
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
 * <p>Finer, per kind and type, a controller may name the {@link ChangeFact facts} of a change its
 * watch can react to ({@link #when}): what differs between before and after (finalizers, a
 * volume's spec), or what the state says about it (some pod uses the claim). The change is then
 * shown only when one of them holds. The runtime tests each fact at most once per change and shares
 * the answer among the controllers ({@link ChangeFacts}): binding a claim no pod uses, one look-up
 * in the pods-by-claim index replaces the watches of every controller that only looks for the
 * pods of the claim.
 *
 * <p>A declaration is a promise about {@code watch}: for a change it does not show, the
 * controller's {@code watch} would queue nothing. A controller that declares nothing sees
 * everything, as before.
 */
public final class WatchedKinds {

  private static final int TYPES = Change.Type.values().length;
  /** Every type shown, none restricted to owned objects. */
  private static final int EVERY_TYPE = (1 << TYPES) - 1;

  private static final WatchedKinds ALL = new WatchedKinds(Optional.empty(), ImmutableMap.of(), EVERY_TYPE, ImmutableMap.of());

  private final Optional<ImmutableSet<String>> kinds;
  /**
   * Per kind with a rule of its own, a mask: bit {@code t} (a type's ordinal) = changes of that type
   * are shown; bit {@code TYPES + t} = only when the object has owner references.
   */
  private final ImmutableMap<String, Integer> rules;
  /** The mask of a watched kind without a rule of its own. */
  private final int otherwise;
  /** Per kind and type ({@link #conditionKey}), the facts of which one must hold for the change to be shown. */
  private final ImmutableMap<String, ImmutableList<ChangeFact>> conditions;

  private WatchedKinds(Optional<ImmutableSet<String>> kinds, ImmutableMap<String, Integer> rules, int otherwise,
      ImmutableMap<String, ImmutableList<ChangeFact>> conditions) {
    this.kinds = kinds;
    this.rules = rules;
    this.otherwise = otherwise;
    this.conditions = conditions;
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
    return new WatchedKinds(Optional.of(ImmutableSet.copyOf(kinds)), ImmutableMap.of(), EVERY_TYPE, ImmutableMap.of());
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
    return new WatchedKinds(kinds, ImmutableMap.copyOf(r), otherwise | owned, conditions);
  }

  /**
   * These declarations, with the changes of {@code kind} and {@code type} shown only when one of
   * the facts holds (e.g. {@code when(PersistentVolumeClaim.KIND, MODIFIED, ChangeFact.CLAIM_USED)}
   * for a watch that only looks for the pods of the claim). The promise: when none holds, the
   * watch would queue nothing. The kind and type must be shown.
   */
  public WatchedKinds when(String kind, Change.Type type, ChangeFact... facts) {
    requireWatched(kind);
    if (!includes(kind, type)) {
      throw new IllegalArgumentException(type + " changes of " + kind + " are not shown: " + this);
    }
    if (facts.length == 0) {
      throw new IllegalArgumentException("no fact: use only() to hide every " + type + " change of " + kind);
    }
    Map<String, ImmutableList<ChangeFact>> c = new HashMap<>(conditions);
    c.put(conditionKey(kind, type), ImmutableList.copyOf(facts));
    return new WatchedKinds(kinds, rules, otherwise, ImmutableMap.copyOf(c));
  }

  /** {@link #when(String, Change.Type, ChangeFact...)} for every type of the kind that is shown. */
  public WatchedKinds when(String kind, ChangeFact... facts) {
    WatchedKinds w = this;
    for (Change.Type t : Change.Type.values()) {
      if (includes(kind, t)) {
        w = w.when(kind, t, facts);
      }
    }
    return w;
  }

  /** The facts of which one must hold for a change of the kind and type to be shown; empty if none is required. */
  public List<ChangeFact> conditions(String kind, Change.Type type) {
    return conditions.isEmpty() ? List.of() : conditions.getOrDefault(conditionKey(kind, type), ImmutableList.of());
  }

  /** Whether this change is shown to the controller, its facts asked of {@code facts} (the same change's). */
  public boolean includes(Change change, ChangeFacts facts) {
    if (!includes(change)) {
      return false;
    }
    List<ChangeFact> c = conditions(change.kind(), change.type());
    return c.isEmpty() || facts.holdsAny(c);
  }

  private static String conditionKey(String kind, Change.Type type) {
    return kind + ' ' + type;
  }

  /** Whether some changes of the kind are shown to the controller. */
  public boolean includes(String kind) {
    return (mask(kind) & EVERY_TYPE) != 0;
  }

  /** Whether changes of the kind and type are shown (to some objects, see {@link #ownedOnlyTypes}). */
  public boolean includes(String kind, Change.Type type) {
    return (mask(kind) & (1 << type.ordinal())) != 0;
  }

  /** Whether this change is shown to the controller by its kind, type and owners (before any {@link #when} facts). */
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
    return new WatchedKinds(kinds, ImmutableMap.copyOf(r), otherwise, conditions);
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
    return o instanceof WatchedKinds w && w.kinds.equals(kinds) && w.rules.equals(rules) && w.otherwise == otherwise
        && w.conditions.equals(conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kinds, rules, otherwise, conditions);
  }

  @Override
  public String toString() {
    String base = kinds.map(k -> "WatchedKinds" + k).orElse("WatchedKinds[all]");
    if (rules.isEmpty() && otherwise == EVERY_TYPE && conditions.isEmpty()) {
      return base;
    }
    StringBuilder b = new StringBuilder(base);
    if (otherwise != EVERY_TYPE) {
      b.append(" otherwise ").append(describe(otherwise));
    }
    rules.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> b.append(' ').append(e.getKey()).append('=').append(describe(e.getValue())));
    conditions.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> b.append(" (").append(e.getKey()).append(" when ").append(e.getValue()).append(')'));
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
