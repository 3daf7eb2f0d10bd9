package ditto.engine.security;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import ditto.api.DittoException;
import ditto.api.spi.transport.LinkHandler;

/**
 * Records what one side of a secure channel hears: establishment or failure, then the
 * application frames and the close. Also usable as the raw handler of a link no channel runs on.
 */
final class ChannelProbe implements SecureChannel.Listener, LinkHandler {

    final CompletableFuture<SecureChannel> established = new CompletableFuture<>();
    final CompletableFuture<DittoException> failed = new CompletableFuture<>();
    final CompletableFuture<Optional<Throwable>> closed = new CompletableFuture<>();
    final BlockingQueue<ByteBuffer> frames = new LinkedBlockingQueue<>();

    @Override
    public LinkHandler onEstablished(SecureChannel channel) {
        established.complete(channel);
        return this;
    }

    @Override
    public void onFailed(SecureChannel channel, DittoException error) {
        failed.complete(error);
    }

    @Override
    public void onFrame(ByteBuffer frame) {
        frames.add(frame);
    }

    @Override
    public void onClosed(Throwable cause) {
        closed.complete(Optional.ofNullable(cause));
    }

    SecureChannel channel() throws Exception {
        return established.get(10, TimeUnit.SECONDS);
    }

    DittoException failure() throws Exception {
        return failed.get(10, TimeUnit.SECONDS);
    }

    Optional<Throwable> closeCause() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    ByteBuffer nextFrame() throws InterruptedException {
        ByteBuffer frame = frames.poll(10, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within 10 s");
        }
        return frame;
    }
}
