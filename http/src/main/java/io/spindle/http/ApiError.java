package io.spindle.http;

/** A request the server refuses, with the HTTP status and a message naming the input and the reason. */
final class ApiError extends RuntimeException {
    final int status;

    private ApiError(int status, String message) {
        super(message, null, false, false); // an expected outcome, not a bug: no stack trace to fill
        this.status = status;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    static ApiError unauthorized(String message) {
        return new ApiError(401, message);
    }

    static ApiError forbidden(String message) {
        return new ApiError(403, message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    static ApiError tooLarge(String message) {
        return new ApiError(413, message);
    }

    static ApiError unavailable(String message) {
        return new ApiError(503, message);
    }
}
