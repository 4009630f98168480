package io.volumekit.model.codec;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.regex.Pattern;

/**
 * Quotes, on top of Jackson's defaults, the plain scalars that a YAML 1.1 reader (kubectl's
 * sigs.k8s.io/yaml, SnakeYAML) would read as something other than a string: timestamps
 * ({@code 2026-01-02}), sexagesimal numbers ({@code 190:20:30}), {@code 0o17}, and the
 * {@code =} / {@code <<} indicators. Keeps our YAML output unambiguous for any reader.
 */
final class KubeQuoting extends StringQuotingChecker.Default {
  private static final long serialVersionUID = 1L;

  private static final Pattern AMBIGUOUS = Pattern.compile(
      "^(=|<<|[-+]?0o[0-7_]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt \\t].*)?)$");

  @Override
  public boolean needToQuoteValue(String value) {
    return super.needToQuoteValue(value) || AMBIGUOUS.matcher(value).matches();
  }

  @Override
  public boolean needToQuoteName(String name) {
    return super.needToQuoteName(name) || AMBIGUOUS.matcher(name).matches();
  }
}
