/**
 * Validation with the API server's rules and words: {@link io.volumekit.model.validation.Validation}
 * returns {@link io.volumekit.model.validation.FieldError}s or throws
 * {@link io.volumekit.model.validation.InvalidObjectException} with the kubectl message.
 */
package io.volumekit.model.validation;
