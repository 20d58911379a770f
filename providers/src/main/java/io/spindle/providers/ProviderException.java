package io.spindle.providers;

/**
 * A provider refused or could not do what a component asked (an invalid key or subject, a value over the limit, no
 * link, a bus or store that is down). Returned to the guest as {@code err(message)}: the instance stays usable.
 */
public final class ProviderException extends RuntimeException {
    public ProviderException(String message) {
        super(message, null, false, false);
    }

    public ProviderException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
