package io.volumekit.core.effect;

import io.volumekit.core.key.ObjectKey;

/**
 * Something a controller wants done outside the cluster state: a CSI call, a local write, or a
 * volume populator's fill. Effects are plain data; the runtime performs them and records their outcome as an {@link
 * Operation} in the state, then reconciles {@link #owner()} with the controller named {@link
 * #controller()} so it can act on the result.
 *
 * <p>To add an effect: write a record implementing one of the sealed sub-interfaces (a CSI call:
 * {@link CsiEffect}, whose {@code call} is the only place the driver is invoked), and add it to that
 * interface's {@code permits} list. The runtime performs an effect through {@link
 * #accept(Visitor)}, which each kind of effect implements: a new kind needs a new {@link Visitor}
 * method, so the runtime fails to compile until it knows how to perform it.
 */
public sealed interface Effect permits CsiEffect, LocalEffect, PopulateVolume {

  /** The id; two effects with the same id are never in flight at once. */
  EffectId id();

  /** The object whose controller issued the effect and receives its outcome. */
  ObjectKey owner();

  /** The name of the issuing controller ({@code Controller.name()}). */
  String controller();

  /** A one-line description for traces and logs; never contains secret values. */
  String describe();

  /**
   * Whether the issuing controller has nothing to do with this effect's success but forget its
   * operation. The runtime then forgets the operation when the effect succeeds, instead of
   * recording the success and reconciling {@link #owner()} for it (one reconcile that would only
   * forget). A failure is recorded and reconciled as for any effect. False by default.
   */
  default boolean forgottenOnSuccess() {
    return false;
  }

  /** Calls the visitor's method for this kind of effect. */
  <R> R accept(Visitor<R> visitor);

  /** One method per kind of effect: where it is performed. */
  interface Visitor<R> {
    /** A call of a driver's controller plugin (or identity service). */
    R controllerCall(CsiEffect<?> effect);

    /** A call of a driver's node plugin on one node. */
    R nodeCall(NodeCsiEffect<?> effect);

    /** A write under the kubelet root of one node. */
    R localWrite(LocalEffect effect);

    /** A volume populator filling a volume from its claim's data source. */
    R populate(PopulateVolume effect);
  }
}
