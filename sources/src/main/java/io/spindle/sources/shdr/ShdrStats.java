package io.spindle.sources.shdr;

/**
 * Counters of one SHDR reading.
 *
 * @param lines              physical lines read, multiline asset bodies included
 * @param blankLines         empty or whitespace-only lines
 * @param dataLines          well-formed timestamped lines carrying data items
 * @param samples            numeric samples emitted (time-series values count one each)
 * @param numericSeries      distinct series that carried at least one numeric sample
 * @param events             change-only events emitted
 * @param repeatedEvents     events and unavailabilities dropped because the value did not change
 * @param unavailable        UNAVAILABLE items emitted
 * @param conditions         condition items
 * @param assetCommands      asset commands (@ASSET@, @REMOVE_ASSET@, ...), skipped
 * @param assetBodyLines     lines inside multiline asset blocks, skipped
 * @param protocolLines      lines starting with '*' (PING, PONG, adapter settings)
 * @param malformed          lines that could not be read, and data items whose number overflows a double
 * @param backwardSteps      data lines whose timestamp is earlier than the previous data line's
 */
public record ShdrStats(long lines, long blankLines, long dataLines, long samples, long numericSeries, long events,
                        long repeatedEvents, long unavailable, long conditions, long assetCommands,
                        long assetBodyLines, long protocolLines, long malformed, long backwardSteps) {
}
