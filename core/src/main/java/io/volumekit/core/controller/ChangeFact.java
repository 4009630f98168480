package io.volumekit.core.controller;

import io.volumekit.core.state.AttachmentIndex;
import io.volumekit.core.state.DataSourceIndex;
import io.volumekit.core.state.PodIndex;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.ApiObject;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Something that may or may not hold for a committed change, which a controller's {@code watch}
 * can react to: a part of the object that differs between before and after ({@link #FINALIZERS},
 * {@link #PV_SPEC}), or a fact read from the state once per change ({@link #CLAIM_USED}: some pod
 * uses the claim). {@link WatchedKinds#when} shows a controller the changes of a kind and type only
 * when one of its declared facts holds; the runtime computes each fact at most once per change,
 * lazily, and shares the answer among all controllers ({@link ChangeFacts}).
 *
 * <p>The informers of Kubernetes controllers filter the same way in their update handlers (the PV
 * controller's resync check, the attach/detach controller comparing a pod's volumes): a handler
 * that only looks for the pods of a claim has nothing to do when no pod uses it. Here the question
 * is asked once for all of them.
 *
 * <p>The facts below are shared by several controllers; a controller may define its own with
 * {@link #of} as a {@code static final} constant (a fact is identified by the instance, and its
 * answer is cached per change by a number given at creation).
 */
public final class ChangeFact {

  private static final AtomicInteger NEXT = new AtomicInteger();

  /** The object's finalizers differ (or it was added or deleted). */
  public static final ChangeFact FINALIZERS = diff("finalizers", o -> o.metadata().finalizers());
  /** A PersistentVolume's spec differs (claimRef, source, capacity, access modes...). */
  public static final ChangeFact PV_SPEC = diff("volume spec", o -> o instanceof PersistentVolume pv ? pv.spec() : o);
  /** A PersistentVolumeClaim's dataSourceRef differs (or it was added or deleted). */
  public static final ChangeFact CLAIM_DATA_SOURCE_REF = diff("claim dataSourceRef",
      o -> o instanceof PersistentVolumeClaim c ? c.spec().dataSourceRef() : o);
  /** The claim (the object, before or after) has a dataSource; true for other kinds. */
  public static final ChangeFact CLAIM_DATA_SOURCE = of("claim dataSource",
      f -> claimHasDataSource(f.b()) || claimHasDataSource(f.a()));
  /**
   * Some pod uses the claim of the change ({@link PodIndex#podsUsing}, in the state the watches
   * see): the claim itself, or the claims a PersistentVolume's claimRef names before or after the
   * change. True for other kinds.
   */
  public static final ChangeFact CLAIM_USED = of("claim used by a pod", f -> !claimKind(f) || f.claimIndexed());
  /** As {@link #CLAIM_USED}, by a pod placed on a node (what the kubelet and the attach/detach controller look for). */
  public static final ChangeFact CLAIM_USED_BY_PLACED_POD = of("claim used by a placed pod",
      f -> !claimKind(f) || f.anyClaimPod(true));
  /** Some VolumeAttachment names the PersistentVolume ({@link AttachmentIndex}); true for other kinds. */
  public static final ChangeFact VOLUME_ATTACHED = of("volume attached", f -> !f.change().kind().equals(PersistentVolume.KIND)
      || !f.state().index(AttachmentIndex.class).ofVolume(f.change().key().name()).isEmpty());
  /** Some object names the change's object as its data source ({@link DataSourceIndex#dependents}). */
  public static final ChangeFact DEPENDENTS = of("has dependents",
      f -> !f.state().index(DataSourceIndex.class).dependents(f.change().key()).isEmpty());

  private final int id;
  private final String name;
  private final Predicate<ChangeFacts> test;

  private ChangeFact(String name, Predicate<ChangeFacts> test) {
    this.id = NEXT.getAndIncrement();
    this.name = Objects.requireNonNull(name, "name");
    this.test = Objects.requireNonNull(test, "test");
  }

  /**
   * A fact of a change, given a name (for messages) and its test, which reads the change and the
   * state through {@link ChangeFacts} (and may ask other facts there). Create each once, as a
   * constant: every instance is a distinct fact.
   */
  public static ChangeFact of(String name, Predicate<ChangeFacts> test) {
    return new ChangeFact(name, test);
  }

  /**
   * The fact that a part of the object differs between before and after (true for an added or a
   * deleted object). The parts are compared by reference first: an unchanged part is usually the
   * same instance.
   */
  public static ChangeFact diff(String name, Function<ApiObject, Object> part) {
    return of(name, f -> {
      if (f.b() == null || f.a() == null) {
        return true;
      }
      Object b = part.apply(f.b());
      Object a = part.apply(f.a());
      return b != a && !Objects.equals(b, a);
    });
  }

  /**
   * The fact that the object after the change exists and is being deleted or lacks the finalizer
   * (what a protection controller adds or removes).
   */
  public static ChangeFact deletingOrWithout(String finalizer) {
    Objects.requireNonNull(finalizer, "finalizer");
    return of("deleting or without " + finalizer, f -> f.a() != null
        && (f.a().metadata().isDeleting() || !f.a().metadata().hasFinalizer(finalizer)));
  }

  /** The number caching this fact's answer per change. */
  int id() {
    return id;
  }

  boolean test(ChangeFacts facts) {
    return test.test(facts);
  }

  private static boolean claimHasDataSource(ApiObject o) {
    return o != null && (!(o instanceof PersistentVolumeClaim c) || c.spec().dataSource().isPresent());
  }

  /** Whether the change is of a claim or a volume (whose claim the claim facts are about). */
  public static boolean claimKind(ChangeFacts f) {
    String kind = f.change().kind();
    return kind.equals(PersistentVolumeClaim.KIND) || kind.equals(PersistentVolume.KIND);
  }

  @Override
  public String toString() {
    return name;
  }
}
