package io.volumekit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.key.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Runs the simulator over a budget of seeds on every build; replays one seed with {@code
 * -Dvolumekit.sim.seed=N}; soaks with {@code -Psoak} (see docs/simulation.md).
 */
class SimulationTest {

  /** Seeds per CI run: sized to stay well under the ~3 minute budget on 2 cores. */
  static final int CI_SEEDS = 12_000;

  /**
   * The invariants CI checks. Engine bugs found by the simulator and not yet fixed are ignored
   * here through a narrow {@code i.ignoring(text, reason)} on the invariant they break (only
   * violations with exactly that text), with a disabled reproduction in {@link KnownEngineBugsTest};
   * none is ignored at the moment (see docs/simulation.md).
   */
  static ImmutableList<Invariant> invariants() {
    return Invariants.all();
  }

  /** The command that replays seed {@code %d} of a test class's histories ({@code -D<seedProperty>=N}). */
  static String replayCommand(Class<?> test, String seedProperty) {
    return "mvn -pl testkit test -Dtest=" + test.getSimpleName() + " -D" + seedProperty + "=%d";
  }

  /**
   * The one builder of the simulation test classes: a test class's generator, every invariant CI
   * checks ({@link #invariants()}), and reports printing the command that replays a seed in that
   * class (the class reads the seed from {@code seedProperty}). A class may then change the
   * invariants (to ignore a known bug) or the engine (a broken one) before building.
   */
  static Simulation.Builder builder(HistoryGenerator generator, Class<?> test, String seedProperty) {
    return Simulation.builder()
        .generator(generator)
        .invariants(invariants())
        .replayCommand(replayCommand(test, seedProperty));
  }

  /** {@link #builder} of a class that replays one seed with {@code -Dvolumekit.sim.seed=N}, built. */
  static Simulation simulation(HistoryGenerator generator, Class<?> test) {
    return builder(generator, test, Simulation.SEED_PROPERTY).build();
  }

  /**
   * The simulation CI runs; with {@code -Dvolumekit.sim.strict=true} the known engine bugs are not
   * ignored (to replay one of them).
   */
  static Simulation simulation() {
    Simulation.Builder b = builder(HistoryGenerator.defaults(), SimulationTest.class, Simulation.SEED_PROPERTY);
    return Boolean.getBoolean("volumekit.sim.strict")
        ? b.invariants(Invariants.all())
            .replayCommand(replayCommand(SimulationTest.class, Simulation.SEED_PROPERTY) + " -Dvolumekit.sim.strict=true")
            .build()
        : b.build();
  }

  /**
   * {@link #simulation(HistoryGenerator, Class)} with one more invariant that never fails and shows
   * every committed change to {@code observer}: for the tests that check what the histories reach.
   */
  static Simulation observing(HistoryGenerator generator, Class<?> test, Consumer<Change> observer) {
    return builder(generator, test, Simulation.SEED_PROPERTY).invariant(new Invariant() {
      @Override
      public String name() {
        return "observer";
      }

      @Override
      public String description() {
        return "shows every committed change to " + test.getSimpleName() + " (never fails)";
      }

      @Override
      public Optional<String> onChange(Change change, SimView view) {
        observer.accept(change);
        return Optional.empty();
      }
    }).build();
  }

  /** Seeds a broken engine is given to break its invariant ({@link #assertCaught}). */
  static final int BROKEN_ENGINE_BUDGET = 300;

  /**
   * Some seed of 1..{@value #BROKEN_ENGINE_BUDGET} makes the broken simulation violate the
   * invariant, and the real one passes that seed; returns the broken run.
   */
  static SimulationResult assertCaught(Simulation broken, Simulation real, String invariant) {
    for (long seed = 1; seed <= BROKEN_ENGINE_BUDGET; seed++) {
      SimulationResult r = broken.run(seed);
      if (r.violation().map(v -> v.invariant().equals(invariant)).orElse(false)) {
        assertThat(real.run(seed).violation()).as("the real engine passes seed %d", seed).isEmpty();
        return r;
      }
    }
    throw new AssertionError("no seed in 1.." + BROKEN_ENGINE_BUDGET + " made the broken engine violate " + invariant);
  }

  /** {@link #assertCaught} for a class's generator with one broken engine. */
  static void assertCaught(HistoryGenerator generator, Class<?> test, UnaryOperator<List<Controller>> engine,
      Invariant invariant) {
    assertCaught(builder(generator, test, Simulation.SEED_PROPERTY).engine(engine).build(),
        simulation(generator, test), invariant.name());
  }

  /**
   * Runs the seeds of an optional history kind and fails with the first failure's report: one seed,
   * run twice, with {@code -Dvolumekit.sim.seed=N}; else {@code -D<countProperty>} seeds (default
   * {@code ciSeeds}) from {@code -Dvolumekit.sim.firstSeed} (default 1), every tenth run twice
   * (replay check).
   */
  static void assertSeedsPass(Simulation sim, String countProperty, int ciSeeds) {
    String one = System.getProperty(Simulation.SEED_PROPERTY, "");
    long first = one.isEmpty() ? Long.getLong("volumekit.sim.firstSeed", 1) : Long.parseLong(one.trim());
    long count = one.isEmpty() ? Long.getLong(countProperty, ciSeeds) : 1;
    List<Long> failing = new ArrayList<>();
    SimulationResult firstFailure = null;
    for (long seed = first; seed < first + count; seed++) {
      SimulationResult r = (seed - first) % 10 == 0 ? sim.runTwice(seed) : sim.run(seed);
      if (r.failed()) {
        failing.add(seed);
        if (firstFailure == null) {
          firstFailure = r;
        }
      }
    }
    if (firstFailure != null) {
      throw new AssertionError("failing seeds " + failing + "\n" + sim.report(firstFailure, sim.shrink(firstFailure)));
    }
  }

  @Test
  void seedsKeepEveryInvariant() {
    Simulation sim = simulation();
    String one = System.getProperty(Simulation.SEED_PROPERTY, "");
    long first = one.isEmpty() ? Long.getLong("volumekit.sim.firstSeed", 1) : Long.parseLong(one.trim());
    long count = one.isEmpty() ? Long.getLong(Simulation.SEEDS_PROPERTY, CI_SEEDS) : 1;
    long replayEvery = one.isEmpty() ? Long.getLong("volumekit.sim.replayEvery", 10) : 1;
    long started = System.nanoTime();
    long cpuStarted = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long effects = 0;
    long faults = 0;
    long steps = 0;
    Map<String, List<Long>> failing = new TreeMap<>();
    SimulationResult firstFailure = null;
    for (long seed = first; seed < first + count; seed++) {
      SimulationResult r = (seed - first) % replayEvery == 0 ? sim.runTwice(seed) : sim.run(seed);
      effects += r.effects();
      faults += r.faults();
      steps += r.history().size();
      if (r.failed()) {
        failing.computeIfAbsent(r.violation().get().invariant(), k -> new ArrayList<>()).add(seed);
        if (firstFailure == null) {
          firstFailure = r;
        }
      }
    }
    long ms = (System.nanoTime() - started) / 1_000_000;
    long cpuMs = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStarted)
        / 1_000_000;
    System.out.printf("simulated %d seeds %d..%d (%d steps, %d effects, %d injected faults) in %d ms (%d ms CPU)%n",
        count, first, first + count - 1, steps, effects, faults, ms, cpuMs);
    if (firstFailure != null) {
      StringBuilder b = new StringBuilder();
      b.append("failing seeds by invariant: ").append(failing).append('\n');
      b.append(sim.report(firstFailure, sim.shrink(firstFailure)));
      System.out.println(b);
      throw new AssertionError(b.toString());
    }
    assertThat(failing).isEmpty();
  }
}
