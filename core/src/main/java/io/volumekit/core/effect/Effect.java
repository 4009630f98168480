package io.volumekit.core.effect;

import io.volumekit.core.key.ObjectKey;

/**
 * Something a controller wants done outside the cluster state: a CSI call (or, later, a local
 * write). Effects are plain data; the runtime performs them and records their outcome as an {@link
 * Operation} in the state, then reconciles {@link #owner()} with the controller named {@link
 * #controller()} so it can act on the result.
 *
 * <p>To add an effect: write a record implementing one of the sealed sub-interfaces (a CSI call:
 * {@link CsiEffect}, whose {@code call} is the only place the driver is invoked), and add it to that
 * interface's {@code permits} list.
 */
public sealed interface Effect permits CsiEffect, LocalEffect {

  /** The id; two effects with the same id are never in flight at once. */
  EffectId id();

  /** The object whose controller issued the effect and receives its outcome. */
  ObjectKey owner();

  /** The name of the issuing controller ({@code Controller.name()}). */
  String controller();

  /** A one-line description for traces and logs; never contains secret values. */
  String describe();
}
