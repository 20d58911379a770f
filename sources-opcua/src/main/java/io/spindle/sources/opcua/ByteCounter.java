package io.spindle.sources.opcua;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Netty's default receive-buffer allocator plus a count of the bytes each socket read returned. Counting here rather
 * than in a pipeline handler: Milo puts its own handler first in the pipeline after the handshake, so a handler would
 * only see decoded messages.
 */
final class ByteCounter implements MaxMessagesRecvByteBufAllocator {
    private final AdaptiveRecvByteBufAllocator delegate = new AdaptiveRecvByteBufAllocator();
    private final AtomicLong bytes;

    ByteCounter(AtomicLong bytes) {
        this.bytes = bytes;
    }

    @Override
    @SuppressWarnings("deprecation") // Handle is what channels ask for in Netty 4.1
    public Handle newHandle() {
        return new RecvByteBufAllocator.DelegatingHandle(delegate.newHandle()) {
            @Override
            public void lastBytesRead(int read) {
                if (read > 0) bytes.addAndGet(read);
                super.lastBytesRead(read);
            }
        };
    }

    @Override
    public int maxMessagesPerRead() {
        return delegate.maxMessagesPerRead();
    }

    @Override
    public MaxMessagesRecvByteBufAllocator maxMessagesPerRead(int maxMessagesPerRead) {
        delegate.maxMessagesPerRead(maxMessagesPerRead);
        return this;
    }
}
