package io.spindle.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Request bodies: read with a bound (never more than {@link #MAX_BYTES} kept in memory) and parsed as strict JSON
 * (no comments, no trailing commas or tokens, no duplicate keys, no NaN), into an object.
 */
final class JsonBody {
    /** Largest body accepted. */
    static final int MAX_BYTES = 1 << 20;
    /** How much of a too-large body is read and thrown away so the client still gets the 413 (then the connection closes). */
    private static final long DRAIN_MAX = 16L << 20;

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS) // exact times and no silent Infinity
            .build();

    private JsonBody() {
    }

    /** The body as a JSON object; an empty body is an empty object when emptyIsObject, else a 400. */
    static ObjectNode object(Context ctx, boolean emptyIsObject) {
        byte[] body = bytes(ctx);
        if (isBlank(body)) {
            if (emptyIsObject) return JsonNodeFactory.instance.objectNode();
            throw ApiError.badRequest("request body is empty; expected a JSON object");
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ApiError.badRequest("request body is not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest("request body could not be read: " + e.getMessage());
        }
        if (!(n instanceof ObjectNode o))
            throw ApiError.badRequest("request body must be a JSON object, got " + Fields.kind(n));
        return o;
    }

    /** The raw body, at most MAX_BYTES; 413 when the client says or sends more. */
    static byte[] bytes(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > MAX_BYTES) {
                drain(in);
                throw tooLarge(declared);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(256, Math.min(declared, MAX_BYTES)));
            byte[] buf = new byte[16 * 1024];
            long total = 0;
            for (int r; (r = in.read(buf)) > 0; ) {
                total += r;
                if (total > MAX_BYTES) {
                    drain(in);
                    throw tooLarge(-1);
                }
                out.write(buf, 0, r);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw ApiError.badRequest("request body could not be read: " + e.getMessage());
        }
    }

    private static ApiError tooLarge(long declared) {
        return ApiError.tooLarge("request body is " + (declared > 0 ? declared + " bytes" : "larger than that")
                + "; at most " + MAX_BYTES + " bytes are accepted");
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int r; total < DRAIN_MAX && (r = in.read(buf)) > 0; ) total += r;
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) if (x != ' ' && x != '\n' && x != '\r' && x != '\t') return false;
        return true;
    }
}
