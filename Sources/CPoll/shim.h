#ifndef FLOTILLA_CPOLL_SHIM_H
#define FLOTILLA_CPOLL_SHIM_H
// The readiness loops of the kit's own threads (curl's sockets, libpq's connections):
// epoll and an eventfd for wake-ups. Wrapped in C because `struct epoll_event` is packed
// on x86-64, which Swift cannot import faithfully, and so Glibc and Musl builds see the
// same functions.
#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

/// One ready descriptor.
typedef struct {
    int fd;
    uint32_t events;
} flotilla_ready_fd;

static inline int flotilla_epoll_create(void) {
    return epoll_create1(EPOLL_CLOEXEC);
}

/// `op` is EPOLL_CTL_ADD, EPOLL_CTL_MOD or EPOLL_CTL_DEL.
static inline int flotilla_epoll_update(int epfd, int op, int fd, uint32_t events) {
    struct epoll_event event = {0};
    event.events = events;
    event.data.fd = fd;
    return epoll_ctl(epfd, op, fd, &event);
}

/// Wait up to `timeout_ms` (-1: forever); fills `ready` with at most `capacity` entries
/// (capacity at most 256) and returns how many, or -1 with errno set.
static inline int flotilla_epoll_wait(int epfd, flotilla_ready_fd *ready, int capacity, int timeout_ms) {
    struct epoll_event events[256];
    if (capacity > 256) capacity = 256;
    int count = epoll_wait(epfd, events, capacity, timeout_ms);
    for (int i = 0; i < count; i++) {
        ready[i].fd = events[i].data.fd;
        ready[i].events = events[i].events;
    }
    return count;
}

/// Watch `fd` for `events`: modified if it is in the set, added if not (a descriptor
/// leaves the set when it is closed, so the caller need not track it). 0, or -1 with errno set.
static inline int flotilla_epoll_set(int epfd, int fd, uint32_t events) {
    if (flotilla_epoll_update(epfd, EPOLL_CTL_MOD, fd, events) == 0) return 0;
    if (errno != ENOENT) return -1;
    return flotilla_epoll_update(epfd, EPOLL_CTL_ADD, fd, events);
}

static inline int flotilla_eventfd(void) {
    return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

static inline void flotilla_eventfd_signal(int fd) {
    uint64_t one = 1;
    ssize_t written = write(fd, &one, sizeof one);
    (void)written;
}

static inline void flotilla_eventfd_drain(int fd) {
    uint64_t count;
    ssize_t got = read(fd, &count, sizeof count);
    (void)got;
}
#endif
