/**
 * The controller contract: pure {@link io.volumekit.core.controller.Controller}s returning {@link io.volumekit.core.controller.Decision}s, and the writes they ask for. The default set is wired in {@link io.volumekit.core.Controllers}.
 */
package io.volumekit.core.controller;

