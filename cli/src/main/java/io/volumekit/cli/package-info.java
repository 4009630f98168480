/** volumekit cli module. */
package io.volumekit.cli;
