#include "CSignalFlag.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t received = 0;
static char message[256];
static size_t message_length = 0;

static void handle(int signal_number) {
    if (received != 0) {
        _exit(128 + signal_number);
    }
    received = signal_number;
    if (message_length > 0) {
        ssize_t ignored = write(STDERR_FILENO, message, message_length);
        (void)ignored;
    }
}

int glidn_signal_flag_install(const int *signals, int count, const char *text) {
    size_t n = strlen(text);
    if (n > sizeof message - 1) n = sizeof message - 1;
    memcpy(message, text, n);
    message_length = n;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handle;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigset_t unblock;
    sigemptyset(&unblock);
    for (int i = 0; i < count; i++) {
        // A signal ignored when the process started stays ignored (nohup's SIGHUP, the SIGINT
        // of a shell's background job), as the shell's user asked.
        struct sigaction previous;
        if (sigaction(signals[i], NULL, &previous) == 0 && previous.sa_handler == SIG_IGN) continue;
        if (sigaction(signals[i], &action, NULL) != 0) return -1;
        sigaddset(&unblock, signals[i]);
    }
    // A parent may start us with these signals blocked (its own thread's mask is inherited):
    // then the handler would never run. Threads started from here on inherit the unblocking.
    return pthread_sigmask(SIG_UNBLOCK, &unblock, NULL) == 0 ? 0 : -1;
}

int glidn_signal_flag_received(void) { return received; }
