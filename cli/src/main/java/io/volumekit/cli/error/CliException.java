package io.volumekit.cli.error;

import com.google.common.collect.ImmutableList;
import io.volumekit.model.meta.KindInfo;
import java.util.List;

/**
 * A failure the command reports on stderr, worded as kubectl and the API server word it, with the
 * exit code it ends the process with.
 *
 * <p>Exit codes follow docs/cli.md, "Exit codes": {@link #REFUSED} (1) when the input or the request was
 * refused and nothing changed, {@link #USAGE} (2) for a command line that cannot be understood.
 * Message shapes follow kubectl's error output: {@code Error from server (<Reason>):
 * <message>} for API errors, {@code error: <message>} for the rest, and the Invalid form {@code
 * The <Kind> "<name>" is invalid: ...} rebuilt from field errors.
 */
public final class CliException extends RuntimeException {

  /** Exit code of refused input or a failed request. */
  public static final int REFUSED = 1;

  /** Exit code of a usage error. */
  public static final int USAGE = 2;

  private final int exitCode;
  private final ImmutableList<String> lines;

  private CliException(int exitCode, List<String> lines) {
    super(String.join("\n", lines));
    this.exitCode = exitCode;
    this.lines = ImmutableList.copyOf(lines);
  }

  /** The lines to print on stderr, without newlines. */
  public ImmutableList<String> lines() {
    return lines;
  }

  /** The process exit code. */
  public int exitCode() {
    return exitCode;
  }

  /** A failure printed as given, line by line. */
  public static CliException of(int exitCode, List<String> lines) {
    return new CliException(exitCode, lines);
  }

  /** {@code error: <message>}, exit 1. */
  public static CliException error(String message) {
    return new CliException(REFUSED, List.of(errorLine(message)));
  }

  /** {@code error: <message>}, exit 2. */
  public static CliException usage(String message) {
    return new CliException(USAGE, List.of(errorLine(message)));
  }

  /** {@code Error from server (NotFound): persistentvolumeclaims "x" not found}. */
  public static CliException notFound(KindInfo kind, String name) {
    return new CliException(REFUSED, List.of(notFoundLine(kind, name)));
  }

  /** The NotFound line for one object, as kubectl prints it. */
  public static String notFoundLine(KindInfo kind, String name) {
    return "Error from server (NotFound): " + kind.qualifiedResource() + " " + GoQuote.quote(name) + " not found";
  }

  /** {@code Error from server (<reason>): <message>}. */
  public static CliException fromServer(String reason, String message) {
    return new CliException(REFUSED, List.of("Error from server (" + reason + "): " + message));
  }

  /**
   * kubectl's rendering of an Invalid status: one cause on the head line, several as {@code * }
   * lines after a head ending in {@code ": "}, as kubectl prints validation errors.
   *
   * @param kind the kind in API casing, or empty when the details name none
   * @param name the object's name
   * @param causes the field errors' texts, {@code <path>: <body>}, in the server's order
   */
  public static CliException invalid(String kind, String name, List<String> causes) {
    String head = kind.isEmpty() ? "The request is invalid" : "The " + kind + " " + GoQuote.quote(name) + " is invalid";
    List<String> distinct = causes.stream().distinct().toList();
    if (distinct.isEmpty()) {
      return new CliException(REFUSED, List.of(head));
    }
    if (distinct.size() == 1) {
      return new CliException(REFUSED, List.of(head + ": " + distinct.get(0)));
    }
    ImmutableList.Builder<String> lines = ImmutableList.builder();
    lines.add(head + ": ");
    distinct.forEach(c -> lines.add("* " + c));
    return new CliException(REFUSED, lines.build());
  }

  private static String errorLine(String message) {
    return message.startsWith("error: ") ? message : "error: " + message;
  }
}
