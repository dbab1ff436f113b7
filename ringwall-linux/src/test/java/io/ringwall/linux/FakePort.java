package io.ringwall.linux;

import java.lang.foreign.MemorySegment;

/** A port for driver tests: no socket behind it, sends succeed, nothing is dropped; subclasses say what it receives. */
abstract class FakePort implements FramePort {
    private final VnetHeader header = new VnetHeader();

    @Override
    public int fd() {
        return -1;
    }

    @Override
    public VnetHeader lastHeader() {
        return header;
    }

    @Override
    public long unsupportedOffloadDrops() {
        return 0;
    }

    @Override
    public long truncatedDrops() {
        return 0;
    }

    @Override
    public boolean send(MemorySegment frame, int length, int offloadFlags, VnetHeader h) {
        return true;
    }

    @Override
    public int lastSendErrno() {
        return 0;
    }

    @Override
    public void close() {
    }
}
