/**
 * The controller contract: pure {@link io.volumekit.core.controller.Controller}s returning {@link io.volumekit.core.controller.Decision}s, and the one place they are registered ({@link io.volumekit.core.controller.Controllers}).
 */
package io.volumekit.core.controller;
