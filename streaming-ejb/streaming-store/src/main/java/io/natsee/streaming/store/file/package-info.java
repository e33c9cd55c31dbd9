/**
 * The file store: {@link io.natsee.streaming.store.file.FileStore}, a directory of append-only,
 * CRC-framed record files with group-commit fsync and recovery after a crash.
 */
package io.natsee.streaming.store.file;
