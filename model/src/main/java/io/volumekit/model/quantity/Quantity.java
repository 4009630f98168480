package io.volumekit.model.quantity;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Objects;

/**
 * A Kubernetes resource quantity ({@code resource.Quantity}): an exact decimal number with a
 * format family remembered from its suffix.
 *
 * <p>Parsing, rounding and printing follow {@code apimachinery/pkg/api/resource/quantity.go}:
 * binary suffixes {@code Ki..Ei}, decimal suffixes {@code n u m k M G T P E}, exponents ({@code 1e3}), fractions ({@code 1.5Gi}); values finer than
 * {@code 1n} are rounded up (away from zero) to the nano; {@link #toString()} gives the canonical
 * form ({@code 2048Mi} -> {@code 2Gi}, {@code 1.5Gi} -> {@code 1536Mi}), or the input text itself
 * when Kubernetes would keep it. All arithmetic is exact ({@link BigDecimal}); no floating point.
 *
 * <p>Equality, hashing and ordering are by numeric value only ({@code 1Gi} equals {@code
 * 1073741824}), like Kubernetes' {@code Quantity.Cmp}/semantic equality.
 *
 * <p>Deliberate difference from Kubernetes: a value whose magnitude exceeds {@code 2^63-1} is
 * refused with a clear message ("absurd" input) instead of being silently capped.
 *
 * <pre>{@code
 * Quantity q = Quantity.parse("1.5Gi");
 * q.toString();                 // "1536Mi"
 * q.value();                    // 1610612736
 * q.compareTo(Quantity.parse("1Gi")) > 0
 * }</pre>
 */
public final class Quantity implements Comparable<Quantity> {

  /** The format family, chosen by the suffix at parse time. */
  public enum Format {
    /** {@code e3}, {@code E-6}: printed with an exponent that is a multiple of 3. */
    DECIMAL_EXPONENT,
    /** {@code Ki}, {@code Mi}, ...: printed with the largest exact power-of-1024 suffix. */
    BINARY_SI,
    /** {@code m}, {@code k}, {@code M}, ... and plain numbers. */
    DECIMAL_SI
  }

  /** The regular expression named in the API server's parse error. */
  public static final String SPLIT_RE = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

  static final String ERR_FORMAT = "quantities must match the regular expression '" + SPLIT_RE + "'";
  static final String ERR_NUMERIC = "unable to parse numeric part of quantity";
  static final String ERR_SUFFIX = "unable to parse quantity's suffix";

  /** Longest input accepted (far beyond any sensible quantity); longer input is refused. */
  public static final int MAX_LENGTH = 128;

  private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final BigDecimal B1024 = BigDecimal.valueOf(1024);
  private static final BigInteger BI1024 = BigInteger.valueOf(1024);
  private static final String[] BIN_SUFFIX = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  private static final Map<String, Integer> DEC_SUFFIX =
      Map.of("n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
  private static final Map<String, Integer> BIN_EXP =
      Map.of("Ki", 10, "Mi", 20, "Gi", 30, "Ti", 40, "Pi", 50, "Ei", 60);

  public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI, "0");

  private final BigDecimal amount;
  private final Format format;
  private final String text; // the input string when Kubernetes keeps it, else null
  // value() computed on first use: the engine asks a capacity's value several times per bind and
  // per write, and the BigDecimal rounding is most of its cost. A racy publication is harmless:
  // Long is immutable and every thread computes the same value.
  private Long value;

  private Quantity(BigDecimal amount, Format format, String text) {
    this.amount = amount;
    this.format = format;
    this.text = text;
  }

  /** Parses a quantity, or throws {@link QuantityFormatException} with the API server's words. */
  @JsonCreator
  public static Quantity parse(String str) {
    Objects.requireNonNull(str, "quantity");
    if (str.isEmpty()) {
      throw new QuantityFormatException(ERR_FORMAT);
    }
    if (str.length() > MAX_LENGTH) {
      throw new QuantityFormatException(
          "quantity is too long (" + str.length() + " characters, at most " + MAX_LENGTH + ")");
    }
    if (str.equals("0")) {
      return new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI, "0");
    }
    // Scan exactly as parseQuantityString: sign, leading zeros, numerator, denominator, suffix.
    boolean positive = true;
    int pos = 0;
    int end = str.length();
    char c0 = str.charAt(0);
    if (c0 == '-') {
      positive = false;
      pos++;
    } else if (c0 == '+') {
      pos++;
    }
    while (pos < end && str.charAt(pos) == '0') {
      pos++;
    }
    String num;
    String denom = "";
    String suffix = "";
    int i = pos;
    while (i < end && isDigit(str.charAt(i))) {
      i++;
    }
    num = str.substring(pos, i);
    pos = i;
    if (num.isEmpty()) {
      num = "0";
    }
    if (pos < end && str.charAt(pos) == '.') {
      pos++;
      i = pos;
      while (i < end && isDigit(str.charAt(i))) {
        i++;
      }
      denom = str.substring(pos, i);
      pos = i;
    }
    if (pos < end) {
      int suffixStart = pos;
      i = pos;
      while (i < end && "eEinumkKMGTP".indexOf(str.charAt(i)) >= 0) {
        i++;
      }
      if (i < end && (str.charAt(i) == '-' || str.charAt(i) == '+')) {
        i++;
      }
      while (i < end && isDigit(str.charAt(i))) {
        i++;
      }
      if (i < end) {
        throw new QuantityFormatException(ERR_FORMAT);
      }
      suffix = str.substring(suffixStart);
    }

    // interpret the suffix
    int base;
    int exponent;
    Format format;
    if (DEC_SUFFIX.containsKey(suffix)) {
      base = 10;
      exponent = DEC_SUFFIX.get(suffix);
      format = Format.DECIMAL_SI;
    } else if (BIN_EXP.containsKey(suffix)) {
      base = 2;
      exponent = BIN_EXP.get(suffix);
      format = Format.BINARY_SI;
    } else if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
      String e = suffix.substring(1);
      long parsed;
      try {
        parsed = Long.parseLong(e);
      } catch (NumberFormatException ex) {
        throw new QuantityFormatException(ERR_SUFFIX);
      }
      if (parsed > 100 || parsed < -1000) {
        if (parsed > 0 && !isZeroDigits(num + denom)) {
          throw tooLarge();
        }
        parsed = parsed > 0 ? 100 : -1000; // zero, or rounds to 1n below: same value either way
      }
      base = 10;
      exponent = (int) parsed;
      format = Format.DECIMAL_EXPONENT;
    } else {
      throw new QuantityFormatException(ERR_SUFFIX);
    }

    // Fast path of ParseQuantity: decides whether the input string is kept as the printed form.
    int precision;
    int scale;
    long mantissa = 1;
    if (format == Format.BINARY_SI) {
      scale = 0;
      if (denom.isEmpty()) {
        mantissa = 1L << exponent;
        precision = 15 - num.length() - (int) ((float) exponent * 3 / 10) - 1;
      } else {
        precision = -1;
      }
    } else {
      scale = exponent;
      precision = 18 - (num.length() + denom.length());
    }
    if (precision >= 0) {
      scale -= denom.length();
      if (scale >= -9) {
        String shifted = num + denom;
        long value = Long.parseLong(shifted);
        long result;
        boolean ok = true;
        try {
          result = Math.multiplyExact(value, mantissa);
        } catch (ArithmeticException ex) {
          ok = false;
          result = 0;
        }
        if (ok) {
          if (!positive) {
            result = -result;
          }
          BigDecimal amount = BigDecimal.valueOf(result, -scale);
          if (amount.abs().compareTo(MAX) > 0) {
            throw tooLarge();
          }
          boolean keep =
              format == Format.BINARY_SI
                  ? exponent % 10 == 0 && (value & 0x07) != 0
                  : scale % 3 == 0 && !shifted.endsWith("000") && shifted.charAt(0) != '0';
          return new Quantity(amount, format, keep ? str : null);
        }
      }
    }

    // Slow path: exact decimal arithmetic.
    BigDecimal amount = new BigDecimal(new BigInteger(num + denom), denom.length());
    if (base == 10) {
      amount = amount.scaleByPowerOfTen(exponent);
    } else {
      amount = amount.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(exponent)));
    }
    if (amount.signum() != 0 && amount.scale() > 9) {
      amount = amount.setScale(9, RoundingMode.UP);
    }
    if (amount.compareTo(MAX) > 0) {
      throw tooLarge();
    }
    if (format == Format.BINARY_SI && amount.compareTo(BigDecimal.ONE) < 0 && amount.signum() > 0) {
      format = Format.DECIMAL_SI;
    }
    if (!positive) {
      amount = amount.negate();
    }
    return new Quantity(amount, format, null);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isZeroDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }

  private static QuantityFormatException tooLarge() {
    return new QuantityFormatException(
        "quantity is too large: its magnitude must be at most 9223372036854775807 (2^63-1)");
  }

  /** A quantity of exactly {@code bytes}, printed in the binary family ({@code 1Gi}). */
  public static Quantity ofBytes(long bytes) {
    return new Quantity(BigDecimal.valueOf(bytes), Format.BINARY_SI, null);
  }

  /** A quantity of the exact value in the given family; rounded up to the nano like parsing. */
  public static Quantity of(BigDecimal value, Format format) {
    BigDecimal v = value;
    if (v.signum() != 0 && v.scale() > 9) {
      v = v.setScale(9, RoundingMode.UP);
    }
    if (v.abs().compareTo(MAX) > 0) {
      throw tooLarge();
    }
    return new Quantity(v, format, null);
  }

  /** A plain decimal quantity ({@code 1000} prints {@code 1k}). */
  public static Quantity ofDecimal(long value) {
    return new Quantity(BigDecimal.valueOf(value), Format.DECIMAL_SI, null);
  }

  /** The exact value. */
  public BigDecimal amount() {
    return amount;
  }

  /** The format family used for printing. */
  public Format format() {
    return format;
  }

  /** The value rounded up to a whole number, as Kubernetes' {@code Value()}; saturates at long. */
  public long value() {
    Long v = value;
    if (v == null) {
      v = saturate(amount.setScale(0, RoundingMode.UP));
      value = v;
    }
    return v;
  }

  /** The value in thousandths rounded up, as Kubernetes' {@code MilliValue()}. */
  public long milliValue() {
    return saturate(amount.movePointRight(3).setScale(0, RoundingMode.UP));
  }

  private static long saturate(BigDecimal whole) {
    if (whole.compareTo(MAX) > 0) {
      return Long.MAX_VALUE;
    }
    if (whole.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
      return Long.MIN_VALUE;
    }
    return whole.longValueExact();
  }

  public boolean isZero() {
    return amount.signum() == 0;
  }

  /** -1, 0 or 1. */
  public int signum() {
    return amount.signum();
  }

  /**
   * The exact sum; the format is this one's, or {@code other}'s when this is zero (as
   * Kubernetes). Arithmetic is exact and not bounded by the parse limit (sums of many volumes
   * may exceed 2^63-1).
   */
  public Quantity add(Quantity other) {
    return new Quantity(amount.add(other.amount), isZero() ? other.format : format, null);
  }

  /** The exact difference; the format is this one's, or {@code other}'s when this is zero. */
  public Quantity subtract(Quantity other) {
    return new Quantity(amount.subtract(other.amount), isZero() ? other.format : format, null);
  }

  /** The exact product with an integer. */
  public Quantity multiply(long factor) {
    return new Quantity(amount.multiply(BigDecimal.valueOf(factor)), format, null);
  }

  /** The negated value, same format. */
  public Quantity negate() {
    return new Quantity(amount.negate(), format, null);
  }

  /** The larger of the two (this one when equal). */
  public Quantity max(Quantity other) {
    return compareTo(other) >= 0 ? this : other;
  }

  @Override
  public int compareTo(Quantity o) {
    return amount.compareTo(o.amount);
  }

  public boolean isGreaterThan(Quantity o) {
    return compareTo(o) > 0;
  }

  public boolean isLessThan(Quantity o) {
    return compareTo(o) < 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Quantity q && amount.compareTo(q.amount) == 0;
  }

  @Override
  public int hashCode() {
    return amount.signum() == 0 ? 0 : amount.stripTrailingZeros().hashCode();
  }

  /** The canonical form as the API server and kubectl print it. */
  @JsonValue
  @Override
  public String toString() {
    return text != null ? text : canonical();
  }

  /** The canonical form computed from value and format, ignoring any kept input text. */
  public String canonical() {
    if (amount.signum() == 0) {
      return "0";
    }
    Format f = format;
    if (f == Format.BINARY_SI) {
      if (amount.abs().compareTo(B1024) < 0 || !isWhole(amount)) {
        f = Format.DECIMAL_SI;
      }
    }
    if (f == Format.BINARY_SI) {
      BigInteger n = amount.toBigIntegerExact();
      int exp = 0;
      while (exp < BIN_SUFFIX.length - 1) {
        BigInteger[] qr = n.divideAndRemainder(BI1024);
        if (qr[1].signum() != 0) {
          break;
        }
        n = qr[0];
        exp++;
      }
      return n.toString() + BIN_SUFFIX[exp];
    }
    BigInteger mantissa = amount.unscaledValue();
    int exponent = -amount.scale();
    while (true) {
      BigInteger[] qr = mantissa.divideAndRemainder(BigInteger.TEN);
      if (qr[1].signum() != 0) {
        break;
      }
      mantissa = qr[0];
      exponent++;
    }
    while (exponent % 3 != 0) {
      mantissa = mantissa.multiply(BigInteger.TEN);
      exponent--;
    }
    String suffix;
    if (f == Format.DECIMAL_EXPONENT) {
      suffix = exponent == 0 ? "" : "e" + exponent;
    } else {
      suffix = decSuffix(exponent);
    }
    return mantissa.toString() + suffix;
  }

  private static boolean isWhole(BigDecimal v) {
    return v.signum() == 0 || v.scale() <= 0 || v.stripTrailingZeros().scale() <= 0;
  }

  private static String decSuffix(int exponent) {
    for (var e : DEC_SUFFIX.entrySet()) {
      if (e.getValue() == exponent) {
        return e.getKey();
      }
    }
    return "e" + exponent; // unreachable within the 2^63-1 bound and nano rounding
  }
}
