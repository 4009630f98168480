package io.volumekit.core.controller;

/** The type of a Kubernetes Event: {@code Normal} or {@code Warning} ({@code core/v1 Event.type}). */
public enum EventType {
  Normal,
  Warning
}
