package io.volumekit.core.controller;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.meta.ApiObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a controller decided for one key: object writes (performed in order, stopping at the first
 * failure), effects to start, Kubernetes Events to record, finished operations to forget, failed
 * operations whose failure it reported, other keys of the same controller to reconcile, keys handed
 * to another controller, and an optional requeue.
 *
 * <p>The writes go first. When one fails (a conflict, a vanished object), nothing else of the
 * decision happens: no event, no forgotten or acknowledged operation, no effect, no enqueued key;
 * the key is reconciled again after a backoff and decides anew from the state as it then is.
 *
 * <p>A decision is plain data, so a controller test compares decisions or the state they lead
 * to. Build with the intent-named factories or {@link #builder()}.
 */
public record Decision(
    ImmutableList<Write> writes,
    ImmutableList<Effect> effects,
    ImmutableList<EventRecord> events,
    ImmutableList<EffectId> forget,
    ImmutableList<EffectId> acknowledge,
    ImmutableList<ObjectKey> enqueue,
    ImmutableList<Handoff> handoffs,
    Optional<Duration> requeueAfter,
    ImmutableList<Scheduled> scheduled) {

  /**
   * An effect to start after a delay, on the engine's clock: the kubelet's periodic work (a
   * republish for CSIDriver {@code requiresRepublish}, a token refresh before expiry). The runtime
   * records it as a scheduled operation and reconciles its owner when it is due; the owner then
   * asks for it again (by {@link Builder#effect} or here) and it starts. An effect whose id already
   * has an operation is started as {@link Builder#effect} would (the delay is ignored).
   */
  public record Scheduled(Effect effect, Duration delay) {
    public Scheduled {
      Objects.requireNonNull(effect, "effect");
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative: " + delay);
      }
    }
  }

  /** A decision without scheduled effects. */
  public Decision(
      ImmutableList<Write> writes,
      ImmutableList<Effect> effects,
      ImmutableList<EventRecord> events,
      ImmutableList<EffectId> forget,
      ImmutableList<EffectId> acknowledge,
      ImmutableList<ObjectKey> enqueue,
      ImmutableList<Handoff> handoffs,
      Optional<Duration> requeueAfter) {
    this(writes, effects, events, forget, acknowledge, enqueue, handoffs, requeueAfter, ImmutableList.of());
  }

  /**
   * A key for another controller (by {@link Controller#name()}) to reconcile: how one controller
   * tells another that something it waits for, and which no object change announces, is done
   * (e.g. the kubelet's device staging telling its pod volume setup that a volume is staged: in
   * Kubernetes both read one actual state of the world in the same process).
   */
  public record Handoff(String controller, ObjectKey key) {
    public Handoff {
      Objects.requireNonNull(controller, "controller");
      Objects.requireNonNull(key, "key");
    }
  }

  private static final Decision NONE =
      new Decision(ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of(),
          ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), Optional.empty(), ImmutableList.of());

  public Decision {
    writes = immutable(writes);
    effects = immutable(effects);
    events = immutable(events);
    forget = immutable(forget);
    acknowledge = immutable(acknowledge);
    enqueue = immutable(enqueue);
    handoffs = immutable(handoffs);
    requeueAfter = requeueAfter == null ? Optional.empty() : requeueAfter;
    scheduled = immutable(scheduled);
    if (requeueAfter.isPresent() && requeueAfter.get().isNegative()) {
      throw new IllegalArgumentException("requeueAfter must not be negative: " + requeueAfter.get());
    }
  }

  /** The list as an immutable one: itself when it is one already (the builder's lists are). */
  private static <T> ImmutableList<T> immutable(List<T> list) {
    if (list == null) {
      return ImmutableList.of();
    }
    return list instanceof ImmutableList<T> l ? l : ImmutableList.copyOf(list);
  }

  /** Nothing to do: the state is as it should be. */
  public static Decision none() {
    return NONE;
  }

  /** Only update one object. */
  public static Decision update(ApiObject object) {
    return builder().update(object).build();
  }

  /** Only record one event. */
  public static Decision event(EventRecord event) {
    return builder().event(event).build();
  }

  /** Whether the decision does nothing. */
  public boolean isEmpty() {
    return writes.isEmpty() && effects.isEmpty() && events.isEmpty() && forget.isEmpty()
        && acknowledge.isEmpty() && enqueue.isEmpty() && handoffs.isEmpty() && requeueAfter.isEmpty()
        && scheduled.isEmpty();
  }

  /** A decision doing this and then the other. */
  public Decision and(Decision other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    Builder b = builder();
    b.writes = Builder.addAll(b.writes, writes);
    b.writes = Builder.addAll(b.writes, other.writes);
    b.effects = Builder.addAll(b.effects, effects);
    b.effects = Builder.addAll(b.effects, other.effects);
    b.events = Builder.addAll(b.events, events);
    b.events = Builder.addAll(b.events, other.events);
    b.forget = Builder.addAll(b.forget, forget);
    b.forget = Builder.addAll(b.forget, other.forget);
    b.acknowledge = Builder.addAll(b.acknowledge, acknowledge);
    b.acknowledge = Builder.addAll(b.acknowledge, other.acknowledge);
    b.enqueue = Builder.addAll(b.enqueue, enqueue);
    b.enqueue = Builder.addAll(b.enqueue, other.enqueue);
    b.handoffs = Builder.addAll(b.handoffs, handoffs);
    b.handoffs = Builder.addAll(b.handoffs, other.handoffs);
    b.scheduled = Builder.addAll(b.scheduled, scheduled);
    b.scheduled = Builder.addAll(b.scheduled, other.scheduled);
    b.requeueAfter =
        requeueAfter.isEmpty()
            ? other.requeueAfter
            : other.requeueAfter.map(d -> d.compareTo(requeueAfter.get()) < 0 ? d : requeueAfter.get())
                .or(() -> requeueAfter);
    return b.build();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting with everything this decision holds. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.writes = Builder.addAll(b.writes, writes);
    b.effects = Builder.addAll(b.effects, effects);
    b.events = Builder.addAll(b.events, events);
    b.forget = Builder.addAll(b.forget, forget);
    b.acknowledge = Builder.addAll(b.acknowledge, acknowledge);
    b.enqueue = Builder.addAll(b.enqueue, enqueue);
    b.handoffs = Builder.addAll(b.handoffs, handoffs);
    b.requeueAfter = requeueAfter;
    b.scheduled = Builder.addAll(b.scheduled, scheduled);
    return b;
  }

  /** Accumulates a decision. */
  public static final class Builder {
    // Each part is made on its first element: most decisions use one or two of the nine, and a
    // reconcile that decides nothing allocates none of them. A part with one or two elements (the
    // usual cases) is an ImmutableList, which build() uses as it is; a third element turns it into
    // an ArrayList, copied once by build().
    private List<Write> writes;
    private List<Effect> effects;
    private List<EventRecord> events;
    private List<EffectId> forget;
    private List<EffectId> acknowledge;
    private List<ObjectKey> enqueue;
    private List<Handoff> handoffs;
    private Optional<Duration> requeueAfter = Optional.empty();
    private List<Scheduled> scheduled;

    private Builder() {}

    private static <T> List<T> add(List<T> list, T element) {
      if (list == null) {
        return ImmutableList.of(element);
      }
      if (list.size() == 1 && list instanceof ImmutableList) {
        return ImmutableList.of(list.get(0), element); // two elements (the binder's PV and claim)
      }
      List<T> l = mutable(list, 1);
      l.add(element);
      return l;
    }

    private static <T> List<T> addAll(List<T> list, List<T> elements) {
      if (elements.isEmpty()) {
        return list;
      }
      if (list == null && elements instanceof ImmutableList) {
        return elements; // shared until something is added to it
      }
      List<T> l = list == null ? new ArrayList<>(elements.size()) : mutable(list, elements.size());
      l.addAll(elements);
      return l;
    }

    /** The list itself if it is the builder's own ArrayList, else a growable copy. */
    private static <T> List<T> mutable(List<T> list, int more) {
      if (list instanceof ImmutableList) {
        List<T> l = new ArrayList<>(Math.max(4, list.size() + more));
        l.addAll(list);
        return l;
      }
      return list;
    }

    private static <T> ImmutableList<T> copy(List<T> list) {
      return immutable(list);
    }

    /** Creates the object. */
    public Builder create(ApiObject object) {
      writes = add(writes, new Write.Create(object));
      return this;
    }

    /** Updates the object (its resourceVersion is checked). */
    public Builder update(ApiObject object) {
      writes = add(writes, new Write.Update(object));
      return this;
    }

    /** Requests deletion of the object with the key, if it still has the uid. */
    public Builder delete(ObjectKey key, String uid) {
      writes = add(writes, new Write.Delete(key, Optional.of(uid)));
      return this;
    }

    /** Starts the effect (unless one with its id is in flight or backing off). */
    public Builder effect(Effect effect) {
      effects = add(effects, effect);
      return this;
    }

    /**
     * Starts the effect after the delay (see {@link Scheduled}); as {@link #effect} when an
     * operation with its id exists.
     */
    public Builder effectAfter(Effect effect, Duration delay) {
      scheduled = add(scheduled, new Scheduled(effect, delay));
      return this;
    }

    /** Records the event. */
    public Builder event(EventRecord event) {
      events = add(events, event);
      return this;
    }

    /** Forgets the finished operation with the id. */
    public Builder forget(EffectId id) {
      forget = add(forget, id);
      return this;
    }

    /** Marks the failed operation with the id as reported (its event was recorded). */
    public Builder acknowledge(EffectId id) {
      acknowledge = add(acknowledge, id);
      return this;
    }

    /** Reconciles the key with the same controller. */
    public Builder enqueue(ObjectKey key) {
      enqueue = add(enqueue, key);
      return this;
    }

    /** Has the other controller (by name) reconcile the key. */
    public Builder handOff(String controller, ObjectKey key) {
      handoffs = add(handoffs, new Handoff(controller, key));
      return this;
    }

    /** Reconciles the same key again after the delay. */
    public Builder requeueAfter(Duration delay) {
      requeueAfter = Optional.of(delay);
      return this;
    }

    /** Whether nothing was added yet. */
    public boolean isEmpty() {
      return writes == null && effects == null && events == null && forget == null
          && acknowledge == null && enqueue == null && handoffs == null && requeueAfter.isEmpty()
          && scheduled == null;
    }

    /** The decision. */
    public Decision build() {
      if (isEmpty()) {
        return NONE;
      }
      return new Decision(
          copy(writes), copy(effects), copy(events), copy(forget), copy(acknowledge), copy(enqueue),
          copy(handoffs), requeueAfter, copy(scheduled));
    }
  }
}
