package io.volumekit.model.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * {@link Names}' hand-written matchers accept exactly what Kubernetes' regular expressions (the
 * {@code _FMT} constants, as in apimachinery's validation) accept: compared with the regexes on
 * strings drawn from the characters that matter (letters of both cases, digits, '-', '.', '_', '/',
 * and one outsider), including the empty string and the ones that start or end with a separator.
 */
class NamesPropertiesTest {

  private static final char[] ALPHABET = "aZ09-._/ \u00e9".toCharArray();

  private static Gen<String> names() {
    Gen<Character> c = Generate.pick(chars()).map(x -> x);
    return integers().between(0, 12).flatMap(n -> lists(c, n)).map(l -> {
      StringBuilder b = new StringBuilder();
      l.forEach(b::append);
      return b.toString();
    });
  }

  private static List<Character> chars() {
    List<Character> out = new ArrayList<>();
    for (char ch : ALPHABET) {
      out.add(ch);
    }
    return out;
  }

  private static Gen<List<Character>> lists(Gen<Character> c, int n) {
    return rnd -> {
      List<Character> l = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        l.add(c.generate(rnd));
      }
      return l;
    };
  }

  private static boolean regex(String fmt, String s) {
    return Pattern.compile("^" + fmt + "$").matcher(s).matches();
  }

  @Test
  void matchersAgreeWithKubernetesRegexes() {
    qt().withExamples(20_000).forAll(names()).check(s ->
        Names.dns1123Label(s).isEmpty() == regex(Names.DNS1123_LABEL_FMT, s)
            && Names.dns1123Subdomain(s).isEmpty() == regex(Names.DNS1123_SUBDOMAIN_FMT, s)
            && Names.labelValue(s).isEmpty() == regex(Names.LABEL_VALUE_FMT, s)
            && Names.qualifiedName(s).isEmpty() == (regex("(" + Names.DNS1123_SUBDOMAIN_FMT + "/)?"
                + Names.QUALIFIED_NAME_FMT, s)));
  }

  @Test
  void examples() {
    assertThat(Names.dns1123Subdomain("a.b-c.d")).isEmpty();
    assertThat(Names.dns1123Subdomain("a..b")).hasSize(1);
    assertThat(Names.dns1123Subdomain("-a")).hasSize(1);
    assertThat(Names.dns1123Label("a.b")).hasSize(1);
    assertThat(Names.qualifiedName("example.com/My_Name.1")).isEmpty();
    assertThat(Names.qualifiedName("_x")).isNotEmpty();
    assertThat(Names.labelValue("")).isEmpty();
  }
}
