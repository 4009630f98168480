package io.volumekit.cli;

import io.volumekit.cli.engine.EngineClusters;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the command's entry point as a user would, with real captured stdout and stderr, on one state. */
public final class Cli {

  /** What one run printed and returned. */
  public record Result(int code, String out, String err) {}

  private final Path state;

  public Cli(Path state) {
    this.state = state;
  }

  /** Runs {@code volumekit --state <state> args...}. */
  public Result run(String... args) {
    return runWithInput("", args);
  }

  /** Runs with the text as standard input. */
  public Result runWithInput(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("--state", state.toString()));
    all.addAll(List.of(args));
    int code = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Map.of("VOLUMEKIT_MOUNT_MODE", "symlink"), false,
        EngineClusters.opener());
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
