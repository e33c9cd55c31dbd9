/** The streaming store contract: an append-only log per channel with its consumers' positions. */
package io.natsee.streaming.store;
