package io.natsee.streaming.store.memory;

import io.natsee.streaming.store.Channel;
import io.natsee.streaming.store.ChannelLimits;
import io.natsee.streaming.store.ChannelNames;
import io.natsee.streaming.store.ClientRecord;
import io.natsee.streaming.store.NotFoundException;
import io.natsee.streaming.store.RecoveredState;
import io.natsee.streaming.store.ServerInfoRecord;
import io.natsee.streaming.store.Store;
import io.natsee.streaming.store.StoreLimits;
import io.natsee.streaming.store.TooManyChannelsException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Store} held in memory only: nothing survives the process; {@link #flush()} is a no-op. */
public final class MemoryStore implements Store {

    private final Map<String, Channel> channels = new LinkedHashMap<>();
    private final Map<String, ClientRecord> clients = new LinkedHashMap<>();
    private final AtomicLong subscriptionIds = new AtomicLong();
    private volatile StoreLimits limits;
    private ServerInfoRecord serverInfo;

    /** A memory store with these limits (validated). */
    public MemoryStore(StoreLimits limits) {
        this.limits = limits.validate();
    }

    @Override
    public String type() {
        return "MEMORY";
    }

    @Override
    public synchronized RecoveredState recover() {
        return new RecoveredState(null, List.of(), Map.of());
    }

    @Override
    public synchronized void init(ServerInfoRecord info) {
        serverInfo = info;
    }

    /** The server info given to {@link #init}, or null. */
    public synchronized ServerInfoRecord serverInfo() {
        return serverInfo;
    }

    @Override
    public StoreLimits limits() {
        return limits;
    }

    @Override
    public void setLimits(StoreLimits limits) {
        this.limits = limits.validate();
    }

    @Override
    public synchronized Channel getOrCreateChannel(String name) {
        Channel existing = channels.get(name);
        if (existing != null) {
            return existing;
        }
        if (!ChannelNames.isValid(name, false)) {
            throw new IllegalArgumentException("invalid channel name \"" + name + "\"");
        }
        StoreLimits current = limits;
        if (current.maxChannels() > 0 && channels.size() >= current.maxChannels()) {
            throw new TooManyChannelsException();
        }
        ChannelLimits channelLimits = current.forChannel(name);
        Channel channel = new Channel(name, new MemoryMsgStore(name, channelLimits),
                new MemorySubStore(channelLimits, subscriptionIds), channelLimits);
        channels.put(name, channel);
        return channel;
    }

    @Override
    public synchronized Channel lookupChannel(String name) {
        return channels.get(name);
    }

    @Override
    public synchronized Collection<Channel> channels() {
        return new ArrayList<>(channels.values());
    }

    @Override
    public synchronized void deleteChannel(String name) {
        if (channels.remove(name) == null) {
            throw new NotFoundException("channel " + name + " not found");
        }
    }

    @Override
    public synchronized void addClient(ClientRecord client) {
        clients.put(client.id(), client);
    }

    @Override
    public synchronized void deleteClient(String clientId) {
        clients.remove(clientId);
    }

    @Override
    public synchronized Collection<ClientRecord> clients() {
        return new ArrayList<>(clients.values());
    }

    @Override
    public void flush() {
        // Nothing to make durable.
    }

    @Override
    public void close() {
        // Nothing to release.
    }

}
