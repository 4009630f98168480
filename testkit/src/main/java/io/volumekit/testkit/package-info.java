/**
 * Testing volumekit and integrations built on it: a deterministic simulator of the whole engine
 * ({@link io.volumekit.testkit.Simulation}: seeded random histories of user actions, node failures
 * and driver faults, checked against {@link io.volumekit.testkit.Invariants} after every step,
 * shrunk by delta debugging when one breaks), and a fault-injecting CSI driver decorator ({@link
 * io.volumekit.testkit.FaultInjectingCsiDriver}). The CSI conformance suite lives in {@code
 * io.volumekit.testkit.csi}. See docs/simulation.md.
 */
package io.volumekit.testkit;
