package io.spindle.providers;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import io.spindle.wasm.ComponentException;
import io.spindle.wasm.GuestContext;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The canonical ABI as the host functions of linked interfaces need it (see {@code wit/ABI.md}): bounds-checked
 * reads of the guest's arguments, results written into the guest's return area, strings and lists the host returns
 * allocated with the guest's {@code cabi_realloc}. A pointer or length outside linear memory, a misaligned return
 * area or a bad allocator answer is a {@link ComponentException} of kind ABI_VIOLATION, which stops the instance.
 */
final class GuestAbi {
    private final GuestContext guest;
    private final Instance instance;
    private final Memory memory;
    private final String fn;

    GuestAbi(GuestContext guest, Instance instance, String fn) {
        this.guest = guest;
        this.instance = instance;
        this.memory = instance.memory();
        this.fn = fn;
    }

    private ComponentException violation(String message) {
        return new ComponentException(guest.component(), guest.call(), ComponentException.Kind.ABI_VIOLATION, fn + ": " + message);
    }

    private long size() {
        return (long) memory.pages() * Memory.PAGE_SIZE;
    }

    void check(int ptr, long bytes, String what) {
        long p = Integer.toUnsignedLong(ptr);
        if (bytes < 0 || p + bytes > size())
            throw violation(what + " [" + p + ", " + (p + bytes) + ") lies outside linear memory of " + size() + " bytes");
    }

    /** Reads a (pointer, length) argument of at most max bytes; over max is refused before anything is read. */
    byte[] bytes(long ptr, long len, long max, String what) {
        long n = Integer.toUnsignedLong((int) len);
        if (n > max) throw new ProviderException(what + " of " + n + " bytes exceeds the maximum of " + max);
        check((int) ptr, n, what);
        return n == 0 ? new byte[0] : memory.readBytes((int) ptr, (int) n);
    }

    /** A UTF-8 string argument; invalid UTF-8 is an error result, not a trap. */
    String string(long ptr, long len, long max, String what) {
        byte[] b = bytes(ptr, len, max, what);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new ProviderException(what + " is not valid UTF-8");
        }
    }

    /** Checks a return area of size bytes at ret (4-byte aligned, inside memory). */
    int area(long ret, int size) {
        int r = (int) ret;
        check(r, size, "return area");
        if ((r & 3) != 0) throw violation("return area " + Integer.toUnsignedString(r) + " is not 4-byte aligned");
        return r;
    }

    /** Copies bytes into memory the guest allocates (align 1); returns the pointer. */
    int lower(byte[] b) {
        if (b.length == 0) return 1;
        ExportFunction realloc = instance.export("cabi_realloc");
        int ptr = (int) realloc.apply(0, 0, 1, b.length)[0];
        check(ptr, b.length, "cabi_realloc result");
        memory.write(ptr, b, 0, b.length);
        return ptr;
    }

    void u8(int ptr, int v) {
        memory.writeByte(ptr, (byte) v);
    }

    void i32(int ptr, int v) {
        memory.writeI32(ptr, v);
    }

    /** Writes {@code ok} of a {@code result<_, string>} at ret (size 12). */
    void ok(int ret) {
        u8(ret, 0);
    }

    /** Writes {@code err(message)} of a result whose error string sits at +4/+8. */
    void err(int ret, String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        int p = lower(m);
        u8(ret, 1);
        i32(ret + 4, p);
        i32(ret + 8, m.length);
    }
}
