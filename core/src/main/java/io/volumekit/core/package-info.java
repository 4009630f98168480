/** volumekit core module. */
package io.volumekit.core;
