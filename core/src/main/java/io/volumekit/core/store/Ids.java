package io.volumekit.core.store;

import java.security.SecureRandom;
import java.util.Random;
import java.util.UUID;

/**
 * Where the store gets uids and {@code generateName} suffixes from.
 *
 * <p>{@link #random()} is for production; {@link #seeded(long)} gives the same sequence for the
 * same seed, which makes a deterministic run replayable byte for byte.
 */
public interface Ids {

  /** A new uid (RFC 4122 version 4 form, as Kubernetes uses). */
  String uid();

  /** A random suffix for {@code generateName}: 5 characters from Kubernetes' alphabet. */
  String suffix();

  /** Ids from a secure random source. */
  static Ids random() {
    return new RandomIds(new SecureRandom());
  }

  /** Ids from a seeded pseudo-random source: same seed, same ids. */
  static Ids seeded(long seed) {
    return new RandomIds(new Random(seed));
  }

  /** {@link Ids} over a {@link Random}. */
  final class RandomIds implements Ids {
    // k8s.io/apimachinery/pkg/util/rand: consonants and digits without look-alikes.
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private final Random random;

    RandomIds(Random random) {
      this.random = random;
    }

    @Override
    public synchronized String uid() {
      long hi = (random.nextLong() & ~0xF000L) | 0x4000L;
      long lo = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
      return new UUID(hi, lo).toString();
    }

    @Override
    public synchronized String suffix() {
      char[] c = new char[5];
      for (int i = 0; i < c.length; i++) {
        c[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
      }
      return new String(c);
    }
  }
}
