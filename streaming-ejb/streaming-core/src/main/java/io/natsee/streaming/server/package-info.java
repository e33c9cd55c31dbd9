/** The NATS Streaming server: a core NATS client that serves the streaming protocol. */
package io.natsee.streaming.server;
