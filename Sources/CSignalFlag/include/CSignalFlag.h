#ifndef CSIGNALFLAG_H
#define CSIGNALFLAG_H

/// A stop request by signal, kept in a flag. The handler only sets the flag and writes a
/// message with write(2), both async-signal-safe: it may interrupt any thread anywhere,
/// malloc included. A second signal ends the process at once with status 128 + the signal.

/// Installs the handler for each of `signals` (SA_RESTART) that is not ignored already, and
/// unblocks them in the calling thread; `message` (copied, at most 255 bytes) is written to
/// standard error when the first one arrives. Returns 0, or -1.
int glidn_signal_flag_install(const int *signals, int count, const char *message);

/// The first signal received since installation, 0 before.
int glidn_signal_flag_received(void);

#endif
