package io.volumekit.testkit;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.controller.Controller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A deterministic simulator of the whole engine, in the style of FoundationDB's and TigerBeetle's
 * simulation testing: from a seed it generates a random history (users creating and deleting
 * classes, claims, PVs and pods, nodes lost and returning, time passing, the CSI driver failing and
 * restarting), runs it against a fresh engine over a {@link FaultInjectingCsiDriver}, and checks
 * {@link Invariants} after every step and at quiescence.
 *
 * <p>Everything runs on one thread and a {@link io.volumekit.core.runtime.ManualClock}; uids,
 * faults and the moments effects complete are drawn from the seed, so a seed replays exactly. A
 * failing history is shrunk by delta debugging over its steps ({@link #shrink}) and printed with
 * the command that replays it ({@link #report}).
 *
 * <pre>{@code
 * Simulation sim = Simulation.builder().build();
 * SimulationResult r = sim.run(1234);
 * if (r.failed()) {
 *   throw new AssertionError(sim.report(r, sim.shrink(r)));
 * }
 * }</pre>
 *
 * <p>To simulate a modified engine (your own controller, or a deliberately broken one), pass a
 * function over the default controller list to {@link Builder#engine}.
 */
public final class Simulation {

  /** The system property naming one seed to replay. */
  public static final String SEED_PROPERTY = "volumekit.sim.seed";

  /** The system property giving how many seeds to run. */
  public static final String SEEDS_PROPERTY = "volumekit.sim.seeds";

  /** Everything a run needs; made by the {@link Builder}. */
  record Config(
      HistoryGenerator generator,
      FaultPlan faults,
      ImmutableList<Invariant> invariants,
      UnaryOperator<List<Controller>> engine,
      double effectHoldRate,
      Duration settleHorizon,
      Duration finalHorizon,
      long maxTraceLinesPerSettle,
      long maxReconcilesPerSettle,
      int traceTailLines,
      long driverCapacityBytes,
      String replayCommand,
      int shrinkBudget) {}

  private final Config config;

  private Simulation(Config config) {
    this.config = config;
  }

  /** A builder with the defaults: {@link HistoryGenerator#defaults()}, {@link FaultPlan#defaults()}, {@link Invariants#all()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The history the seed generates. */
  public ImmutableList<Step> history(long seed) {
    return config.generator().generate(seed);
  }

  /** Generates the seed's history and runs it. */
  public SimulationResult run(long seed) {
    return run(seed, history(seed));
  }

  /** Runs the given history with the seed's faults and timings. */
  public SimulationResult run(long seed, List<Step> history) {
    return new SimulationRun(config, seed, history).run();
  }

  /**
   * Runs the seed twice and checks the runs are identical (same trace, same final state, same
   * outcome); a difference is reported as a {@link Invariants#REPLAY_IDENTICAL} violation.
   */
  public SimulationResult runTwice(long seed) {
    SimulationResult a = run(seed);
    SimulationResult b = run(seed);
    if (a.traceHash() != b.traceHash() || a.stateHash() != b.stateHash() || !a.violation().equals(b.violation())) {
      Violation v = new Violation(Invariants.REPLAY_IDENTICAL, "two runs of seed " + seed + " differ: trace "
          + Long.toHexString(a.traceHash()) + " vs " + Long.toHexString(b.traceHash()) + ", state "
          + Long.toHexString(a.stateHash()) + " vs " + Long.toHexString(b.stateHash()) + ", outcome "
          + a.violation().map(Violation::invariant).orElse("pass") + " vs "
          + b.violation().map(Violation::invariant).orElse("pass"), a.history().size(), "replay");
      return new SimulationResult(seed, a.history(), Optional.of(v), a.traceLines(), a.effects(), a.faults(),
          a.virtualTime(), a.traceHash(), a.stateHash(), a.traceTail());
    }
    return a;
  }

  /**
   * The smallest sub-history (delta debugging over the steps, same seed) that still breaks the
   * same invariant with the same message (up to renumbered uids and volume ids, see {@link
   * #signature}); the failure itself if it cannot be shrunk.
   */
  public SimulationResult shrink(SimulationResult failure) {
    if (failure.violation().isEmpty()) {
      throw new IllegalArgumentException("seed " + failure.seed() + " did not fail");
    }
    String invariant = failure.violation().get().invariant();
    if (invariant.equals(Invariants.REPLAY_IDENTICAL)) {
      return failure;
    }
    String signature = signature(failure.violation().get());
    // Steps after the violation cannot matter.
    int upTo = Math.min(failure.history().size(), failure.violation().get().step() + 1);
    List<Step> prefix = failure.history().subList(0, upTo);
    SimulationResult[] last = {failure};
    ImmutableList<Step> minimal = Shrinker.ddmin(prefix, h -> {
      SimulationResult r = run(failure.seed(), h);
      boolean same = r.violation().map(v -> signature(v).equals(signature)).orElse(false);
      if (same) {
        last[0] = r;
      }
      return same;
    }, config.shrinkBudget());
    SimulationResult r = run(failure.seed(), minimal);
    return r.violation().map(v -> signature(v).equals(signature)).orElse(false) ? r : last[0];
  }

  /**
   * What makes two violations "the same failure" while shrinking: the invariant and the message
   * with the names a shorter history renumbers (uids, volume ids, attachment hashes) blanked, so
   * a shrink step that trades the failure for another one of the same invariant is refused.
   */
  static String signature(Violation v) {
    return v.invariant() + ": " + v.message()
        .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uid>")
        .replaceAll("vol-[0-9]+", "<volume>")
        .replaceAll("csi-[0-9a-f]{64}", "<attachment>");
  }

  /** The command that replays the seed (from {@link Builder#replayCommand}). */
  public String replayCommand(long seed) {
    return String.format(config.replayCommand(), seed);
  }

  /** A printable reproduction: the violation, the minimal history, its trace tail and the replay command. */
  public String report(SimulationResult failure, SimulationResult minimal) {
    StringBuilder b = new StringBuilder();
    Violation v = failure.violation().orElseThrow();
    b.append("Simulation seed ").append(failure.seed()).append(" broke ").append(v.invariant()).append('\n');
    b.append("  ").append(v).append('\n');
    b.append("Replay: ").append(replayCommand(failure.seed())).append('\n');
    b.append("Minimal history (").append(minimal.history().size()).append(" of ").append(failure.history().size())
        .append(" steps, same seed; run with Simulation.run(").append(failure.seed()).append(", steps)):\n");
    for (int i = 0; i < minimal.history().size(); i++) {
      b.append(String.format("  %3d  %s%n", i, minimal.history().get(i)));
    }
    minimal.violation().ifPresent(mv -> b.append("which breaks: ").append(mv).append('\n'));
    b.append("Trace of the minimal history (last ").append(minimal.traceTail().size()).append(" lines):\n");
    for (String line : minimal.traceTail()) {
      b.append("  ").append(line).append('\n');
    }
    return b.toString();
  }

  /** Configures a {@link Simulation}. */
  public static final class Builder {
    private HistoryGenerator generator = HistoryGenerator.defaults();
    private FaultPlan faults = FaultPlan.defaults();
    private final List<Invariant> invariants = new ArrayList<>(Invariants.all());
    private UnaryOperator<List<Controller>> engine = UnaryOperator.identity();
    private double effectHoldRate = 0.3;
    private Duration settleHorizon = Duration.ofMinutes(10);
    private Duration finalHorizon = Duration.ofHours(1);
    private long maxTraceLinesPerSettle = 200_000;
    private long maxReconcilesPerSettle = 200_000;
    private int traceTailLines = 120;
    private long driverCapacityBytes = 1L << 40;
    private String replayCommand = "mvn -pl testkit test -Dtest=SimulationTest -D" + SEED_PROPERTY + "=%d";
    private int shrinkBudget = 300;

    private Builder() {}

    /** The history generator. */
    public Builder generator(HistoryGenerator generator) {
      this.generator = Objects.requireNonNull(generator, "generator");
      return this;
    }

    /** The driver's faults. */
    public Builder faults(FaultPlan faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /** Adds an invariant to the defaults. */
    public Builder invariant(Invariant invariant) {
      invariants.add(Objects.requireNonNull(invariant, "invariant"));
      return this;
    }

    /** Replaces the invariants. */
    public Builder invariants(List<Invariant> list) {
      invariants.clear();
      invariants.addAll(list);
      return this;
    }

    /**
     * Changes the engine: the function receives the default controllers (a mutable list) and
     * returns the ones to run, e.g. with one replaced by your own or by a broken variant.
     */
    public Builder engine(UnaryOperator<List<Controller>> engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /** Probability that an effect stays in flight across steps instead of completing at once (default 0.3). */
    public Builder effectHoldRate(double rate) {
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException("effectHoldRate: must be within [0, 1], got " + rate);
      }
      this.effectHoldRate = rate;
      return this;
    }

    /** The horizon of a settle step (default 10 min of virtual time). */
    public Builder settleHorizon(Duration horizon) {
      this.settleHorizon = Objects.requireNonNull(horizon, "horizon");
      return this;
    }

    /** How long the final settle may take once faults stopped (default 1 h of virtual time). */
    public Builder finalHorizon(Duration horizon) {
      this.finalHorizon = Objects.requireNonNull(horizon, "horizon");
      return this;
    }

    /** Trace lines after which a settle counts as a livelock (default 200,000). */
    public Builder maxTraceLinesPerSettle(long lines) {
      this.maxTraceLinesPerSettle = lines;
      return this;
    }

    /** Reconciles after which a settle counts as a livelock (default 200,000). */
    public Builder maxReconcilesPerSettle(long reconciles) {
      this.maxReconcilesPerSettle = reconciles;
      return this;
    }

    /** Trace lines kept for reports (default 120). */
    public Builder traceTailLines(int lines) {
      this.traceTailLines = lines;
      return this;
    }

    /**
     * The in-memory driver's pool size (default 1 TiB: a default history never runs out of space;
     * a small pool makes provisioning fail with RESOURCE_EXHAUSTED for as long as it is full, and
     * such a history never becomes quiescent).
     */
    public Builder driverCapacityBytes(long bytes) {
      this.driverCapacityBytes = bytes;
      return this;
    }

    /** The replay command printed for a failing seed; {@code %d} is the seed. */
    public Builder replayCommand(String format) {
      this.replayCommand = Objects.requireNonNull(format, "format");
      return this;
    }

    /** How many runs shrinking may use (default 300). */
    public Builder shrinkBudget(int runs) {
      this.shrinkBudget = runs;
      return this;
    }

    /** The simulation. */
    public Simulation build() {
      return new Simulation(new Config(generator, faults, ImmutableList.copyOf(invariants), engine, effectHoldRate,
          settleHorizon, finalHorizon, maxTraceLinesPerSettle, maxReconcilesPerSettle, traceTailLines,
          driverCapacityBytes, replayCommand,
          shrinkBudget));
    }
  }
}
