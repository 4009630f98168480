package io.volumekit.core;

import java.util.function.Consumer;

/** One row of a table test: a name (the case it mirrors), what to set up, what must hold after settle. */
public record TableCase(String name, Consumer<Scenario> setup, Consumer<Scenario> check) {

  /** A row. */
  public static TableCase row(String name, Consumer<Scenario> setup, Consumer<Scenario> check) {
    return new TableCase(name, setup, check);
  }

  /** Runs the row on a fresh scenario. */
  public void run() {
    Scenario s = Scenario.withFaults();
    setup.accept(s);
    s.settle();
    check.accept(s);
  }

  @Override
  public String toString() {
    return name;
  }
}
