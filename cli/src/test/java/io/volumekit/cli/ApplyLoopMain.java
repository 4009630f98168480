package io.volumekit.cli;

import io.volumekit.cli.engine.EngineClusters;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A separate process for the crash test: applies a ConfigMap carrying an increasing counter with
 * the real command, over and over, printing {@code applied N} after each successful run.
 */
public final class ApplyLoopMain {

  private ApplyLoopMain() {}

  public static void main(String[] args) {
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    for (long n = 1; ; n++) {
      String manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: counter\ndata:\n  n: \"" + n + "\"\n";
      int code = Main.run(new String[] {"--state", args[0], "apply", "-f", "-"}, quiet, System.err,
          new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8)), System.getenv(), false, EngineClusters.opener());
      if (code != 0) {
        System.exit(code);
      }
      System.out.println("applied " + n);
      System.out.flush();
    }
  }
}
