package io.spindle.wasm;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Canonical ABI lowering and lifting over one instance's linear memory. Columns of primitives cross as one bulk copy
 * (through a reused little-endian staging buffer), never one call per element. Every pointer and length the guest
 * hands back is bounds-checked before it is read: a bad one is an {@link AbiViolation}, not a host crash.
 */
final class GuestMemory {
    private final Instance instance;
    private final Memory memory;
    private final ExportFunction realloc;
    private byte[] stage = new byte[0];
    private ByteBuffer stageBuf = ByteBuffer.wrap(stage).order(ByteOrder.LITTLE_ENDIAN);

    GuestMemory(Instance instance) {
        this.instance = instance;
        this.memory = instance.memory();
        this.realloc = instance.export("cabi_realloc");
    }

    Instance instance() {
        return instance;
    }

    /** Current size of linear memory in bytes. */
    long size() {
        return (long) memory.pages() * Memory.PAGE_SIZE;
    }

    int pages() {
        return memory.pages();
    }

    /** Allocates size bytes in the guest with cabi_realloc; checks the guest's answer. */
    int alloc(int align, long size) {
        if (size > Integer.MAX_VALUE) throw new AbiViolation("allocation of " + size + " bytes exceeds the 32-bit address space");
        if (size == 0) return align; // the canonical ABI never allocates empty lists; any aligned pointer will do
        int ptr = (int) realloc.apply(0, 0, align, size)[0];
        check(ptr, size, "cabi_realloc result");
        if ((ptr & (align - 1)) != 0) throw new AbiViolation("cabi_realloc returned " + Integer.toUnsignedString(ptr) + ", not aligned to " + align);
        return ptr;
    }

    /** Fails unless [ptr, ptr + bytes) lies inside linear memory; what names the value for the message. */
    void check(int ptr, long bytes, String what) {
        long p = Integer.toUnsignedLong(ptr);
        if (bytes < 0 || p + bytes > size())
            throw new AbiViolation(what + " [" + p + ", " + (p + bytes) + ") lies outside linear memory of " + size() + " bytes");
    }

    private ByteBuffer stage(int bytes) {
        if (stage.length < bytes) {
            stage = new byte[Math.max(bytes, stage.length * 2)];
            stageBuf = ByteBuffer.wrap(stage).order(ByteOrder.LITTLE_ENDIAN);
        }
        return stageBuf.clear();
    }

    /** A little-endian view of [ptr, ptr + bytes) of linear memory itself, or null when only staging is possible. */
    private ByteBuffer direct(int ptr, int bytes) {
        byte[] arr = memory instanceof LimitedMemory lm ? lm.array() : null;
        return arr == null ? null : ByteBuffer.wrap(arr, ptr, bytes).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    int lowerLongs(long[] a, int from, int n) {
        int ptr = alloc(8, 8L * n);
        if (n == 0) return ptr;
        ByteBuffer d = direct(ptr, 8 * n);
        if (d != null) {
            d.asLongBuffer().put(a, from, n);
            return ptr;
        }
        stage(8 * n).asLongBuffer().put(a, from, n);
        memory.write(ptr, stage, 0, 8 * n);
        return ptr;
    }

    int lowerDoubles(double[] a, int from, int n) {
        int ptr = alloc(8, 8L * n);
        if (n == 0) return ptr;
        ByteBuffer d = direct(ptr, 8 * n);
        if (d != null) {
            d.asDoubleBuffer().put(a, from, n);
            return ptr;
        }
        stage(8 * n).asDoubleBuffer().put(a, from, n);
        memory.write(ptr, stage, 0, 8 * n);
        return ptr;
    }

    int lowerBytes(byte[] b) {
        int ptr = alloc(1, b.length);
        if (b.length > 0) memory.write(ptr, b, 0, b.length);
        return ptr;
    }

    int readInt(int ptr, String what) {
        check(ptr, 4, what);
        return memory.readInt(ptr);
    }

    int readU8(int ptr, String what) {
        check(ptr, 1, what);
        return memory.read(ptr) & 0xff;
    }

    void writeInt(int ptr, int value, String what) {
        check(ptr, 4, what);
        memory.writeI32(ptr, value);
    }

    void writeU8(int ptr, int value, String what) {
        check(ptr, 1, what);
        memory.writeByte(ptr, (byte) value);
    }

    byte[] readBytes(int ptr, int len, String what) {
        check(ptr, Integer.toUnsignedLong(len), what);
        return memory.readBytes(ptr, len);
    }

    String readString(int ptr, int len, String what) {
        return new String(readBytes(ptr, len, what), StandardCharsets.UTF_8);
    }

    /** Reads n little-endian s64 at ptr into dst[0, n). */
    void readLongs(int ptr, int n, long[] dst, String what) {
        check(ptr, 8L * n, what);
        if (n == 0) return;
        ByteBuffer d = direct(ptr, 8 * n);
        if (d != null) {
            d.asLongBuffer().get(dst, 0, n);
            return;
        }
        ByteBuffer.wrap(memory.readBytes(ptr, 8 * n)).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(dst, 0, n);
    }

    void readDoubles(int ptr, int n, double[] dst, String what) {
        check(ptr, 8L * n, what);
        if (n == 0) return;
        ByteBuffer d = direct(ptr, 8 * n);
        if (d != null) {
            d.asDoubleBuffer().get(dst, 0, n);
            return;
        }
        ByteBuffer.wrap(memory.readBytes(ptr, 8 * n)).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(dst, 0, n);
    }

    void readInts(int ptr, int n, int[] dst, String what) {
        check(ptr, 4L * n, what);
        if (n == 0) return;
        ByteBuffer.wrap(memory.readBytes(ptr, 4 * n)).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(dst, 0, n);
    }
}
