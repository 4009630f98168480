/**
 * The only impure part of the engine: applies events, runs the controllers to a fixpoint, performs effects, retries with backoff; the manual clock of the deterministic mode ({@link io.volumekit.core.runtime.Runtime}).
 */
package io.volumekit.core.runtime;
