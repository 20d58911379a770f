package io.spindle.wasm;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Chicory's byte-array memory, remembering refused growth: a guest that traps after {@code memory.grow} failed is
 * reported as having hit its memory limit, whatever it was trying to grow by. Every access delegates (the JIT
 * inlines the single implementation).
 */
final class LimitedMemory implements Memory {
    /** ByteArrayMemory's backing array, when this JVM lets us see it (class path: yes; named modules: no). */
    private static final VarHandle BUFFER = bufferHandle();
    private final ByteArrayMemory m;
    private volatile int refusedPages;

    LimitedMemory(MemoryLimits limits) {
        this.m = new ByteArrayMemory(limits);
    }

    private static VarHandle bufferHandle() {
        try {
            return MethodHandles.privateLookupIn(ByteArrayMemory.class, MethodHandles.lookup())
                    .findVarHandle(ByteArrayMemory.class, "buffer", byte[].class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // GuestMemory then copies through a staging array
        }
    }

    /**
     * The current backing array (replaced when memory grows: do not keep it across guest calls), or null when not
     * accessible. Lets a column cross the boundary in one copy instead of two.
     */
    byte[] array() {
        return BUFFER == null ? null : (byte[]) BUFFER.get(m);
    }

    /** Pages of the largest growth refused so far (0 when none was). */
    int refusedPages() {
        return refusedPages;
    }

    @Override
    public int grow(int size) {
        int r = m.grow(size);
        if (r == -1 && size > refusedPages) refusedPages = size;
        return r;
    }

    @Override public int pages() { return m.pages(); }
    @Override public int initialPages() { return m.initialPages(); }
    @Override public int maximumPages() { return m.maximumPages(); }
    @Override public boolean shared() { return m.shared(); }
    @Override public Object lock(int address) { return m.lock(address); }
    @Override public int waitOn(int address, int expected, long timeout) { return m.waitOn(address, expected, timeout); }
    @Override public int waitOn(int address, long expected, long timeout) { return m.waitOn(address, expected, timeout); }
    @Override public int notify(int address, int maxThreads) { return m.notify(address, maxThreads); }
    @Override public void initialize(Instance instance, DataSegment[] segments) { m.initialize(instance, segments); }
    @Override public void initPassiveSegment(int segmentId, int dest, int offset, int size) { m.initPassiveSegment(segmentId, dest, offset, size); }
    @Override public void write(int addr, byte[] data, int offset, int size) { m.write(addr, data, offset, size); }
    @Override public byte read(int addr) { return m.read(addr); }
    @Override public byte[] readBytes(int addr, int len) { return m.readBytes(addr, len); }
    @Override public void writeI32(int addr, int data) { m.writeI32(addr, data); }
    @Override public int readInt(int addr) { return m.readInt(addr); }
    @Override public void writeLong(int addr, long data) { m.writeLong(addr, data); }
    @Override public long readLong(int addr) { return m.readLong(addr); }
    @Override public void writeShort(int addr, short data) { m.writeShort(addr, data); }
    @Override public short readShort(int addr) { return m.readShort(addr); }
    @Override public long readU16(int addr) { return m.readU16(addr); }
    @Override public void writeByte(int addr, byte data) { m.writeByte(addr, data); }
    @Override public void writeF32(int addr, float data) { m.writeF32(addr, data); }
    @Override public long readF32(int addr) { return m.readF32(addr); }
    @Override public float readFloat(int addr) { return m.readFloat(addr); }
    @Override public void writeF64(int addr, double data) { m.writeF64(addr, data); }
    @Override public double readDouble(int addr) { return m.readDouble(addr); }
    @Override public long readF64(int addr) { return m.readF64(addr); }
    @Override public void zero() { m.zero(); }
    @Override public void fill(byte value, int fromIndex, int toIndex) { m.fill(value, fromIndex, toIndex); }
    @Override public void copy(int dest, int src, int size) { m.copy(dest, src, size); }
    @Override public void drop(int segment) { m.drop(segment); }
}
