package io.volumekit.cli;

import io.volumekit.cli.cluster.Cluster;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Shows how a long settle advances, on a terminal only: one line on stderr, rewritten in place
 * and cleared at the end. Nothing is written when the output is not a terminal, or when the
 * settle ends before {@code delay}, so short commands and pipes stay clean.
 */
final class ProgressReporter implements Cluster.Progress {

  private final PrintStream err;
  private final boolean terminal;
  private final long startNanos;
  private final long delayNanos;
  private boolean shown;

  ProgressReporter(PrintStream err, boolean terminal, Duration delay) {
    this.err = err;
    this.terminal = terminal;
    this.startNanos = System.nanoTime();
    this.delayNanos = delay.toNanos();
  }

  @Override
  public void update(long changes) {
    if (terminal && System.nanoTime() - startNanos >= delayNanos) {
      err.print("\rsettling: " + changes + " changes applied");
      err.flush();
      shown = true;
    }
  }

  /** Clears the progress line, if one was shown. */
  void finish() {
    if (shown) {
      err.print("\r\033[K");
      err.flush();
      shown = false;
    }
  }
}
