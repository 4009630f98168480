package io.volumekit.model.core;

import java.util.List;

/** StorageClass volume binding modes: {@code Immediate} (default) and {@code WaitForFirstConsumer}. */
public final class BindingModes {
  private BindingModes() {}

  public static final String IMMEDIATE = "Immediate";
  public static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";
  /** All modes. */
  public static final List<String> ALL = List.of(IMMEDIATE, WAIT_FOR_FIRST_CONSUMER);
}
