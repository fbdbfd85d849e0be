/**
 * Value types and the storage exception shared by the engine and every plugin.
 */
package io.s3lfs.api;
