// The processor's spin-wait hint, for busy-wait loops. On x86 `pause` saves power and,
// under a hypervisor, lets it see that a virtual CPU is only waiting (pause-loop exiting),
// so it can run another virtual CPU (possibly the very thread being waited for) instead.
#ifndef CSPINHINT_H
#define CSPINHINT_H

static inline void glidn_spin_hint(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
    __asm__ __volatile__("yield");
#endif
}

#endif
