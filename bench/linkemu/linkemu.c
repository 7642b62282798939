/*
 * linkemu: a user-space wide-area link between two network namespaces, over two TUN devices.
 *
 * This kernel's tc has tbf but no netem, so it cannot add delay or random loss. linkemu opens one TUN device in
 * each namespace (setns before TUNSETIFF: the device is created in that namespace, and the file descriptor keeps
 * working from anywhere) and forwards IP packets between them, per direction:
 *   1. seeded random loss (i.i.d., like netem's "loss P%"), applied as a packet enters the link;
 *   2. a drop-tail queue of --queue-bytes in front of a --rate-mbit serializer;
 *   3. a fixed one-way delay of --delay-ms after serialization.
 * The backlog in front of the serializer is computed, not stored: backlog = (busy_until - now) * rate, so a
 * packet is admitted iff backlog + its length <= queue limit. Admitted packets wait in a bounded FIFO (their
 * delivery times only grow, since busy_until and the delay only grow) until they are written to the other side.
 *
 * Usage: linkemu --ns-a NS --ns-b NS [--dev-a tunA] [--dev-b tunB] --rate-mbit R --delay-ms D --loss P
 *                [--queue-bytes Q] [--seed S] [--ready-file F]
 * Prints per-direction counters on SIGTERM/SIGINT/SIGUSR1 (stderr) and exits on SIGTERM/SIGINT.
 * Limits: packets up to 2048 bytes (TUN MTU 1500 here); at most RING_SLOTS packets in flight per direction,
 * more are dropped and counted as "ring" drops.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define MAX_PACKET_BYTES 2048
#define RING_SLOTS 16384 /* > (queue + BDP) / MTU for 1 Gbit/s x 100 ms at 1500 bytes */
#define MAX_READS_PER_WAKE 256 /* bound the work per wake-up so the other direction is served too */

struct packet {
    int64_t deliver_at_ns;
    uint16_t length;
    uint8_t bytes[MAX_PACKET_BYTES];
};

struct direction {
    const char *name;
    int in_fd;
    int out_fd;
    uint64_t rng;
    int64_t busy_until_ns;
    struct packet *ring;
    uint32_t head; /* next to deliver */
    uint32_t count;
    uint64_t packets_in, bytes_in, dropped_loss, dropped_queue, dropped_ring, packets_out, bytes_out,
        write_errors;
    int64_t max_backlog_bytes;
};

static volatile sig_atomic_t stop_requested = 0;
static volatile sig_atomic_t report_requested = 0;

static double rate_bits_per_ns; /* bits per nanosecond */
static int64_t delay_ns;
static double loss_probability;
static int64_t queue_limit_bytes;

static void on_stop(int sig) {
    (void)sig;
    stop_requested = 1;
}

static void on_report(int sig) {
    (void)sig;
    report_requested = 1;
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* splitmix64: small, seedable, good enough for i.i.d. loss decisions. */
static uint64_t next_random(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double next_unit(uint64_t *state) {
    return (next_random(state) >> 11) * (1.0 / 9007199254740992.0);
}

static void die(const char *what, const char *fix) {
    fprintf(stderr, "linkemu: %s: %s; %s\n", what, strerror(errno), fix);
    exit(1);
}

/* Creates TUN device `dev` inside namespace `ns` (a name under /var/run/netns) and returns its fd. */
static int open_tun_in_namespace(const char *ns, const char *dev) {
    char path[256];
    snprintf(path, sizeof path, "/var/run/netns/%s", ns);
    int ns_fd = open(path, O_RDONLY | O_CLOEXEC);
    if (ns_fd < 0) die(path, "create the namespace first (ip netns add NAME)");
    if (setns(ns_fd, CLONE_NEWNET) != 0) die("setns", "run as root");
    close(ns_fd);
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) die("/dev/net/tun", "load the tun module (modprobe tun) and run as root");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    strncpy(ifr.ifr_name, dev, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) != 0) die("TUNSETIFF", "is a device of that name already there?");
    return fd;
}

static void report(const struct direction *d) {
    fprintf(stderr,
            "linkemu %s: in=%llu pkts %llu bytes, dropped loss=%llu queue=%llu ring=%llu, out=%llu pkts %llu "
            "bytes, write_errors=%llu, max_backlog=%lld bytes\n",
            d->name, (unsigned long long)d->packets_in, (unsigned long long)d->bytes_in,
            (unsigned long long)d->dropped_loss, (unsigned long long)d->dropped_queue,
            (unsigned long long)d->dropped_ring, (unsigned long long)d->packets_out,
            (unsigned long long)d->bytes_out, (unsigned long long)d->write_errors, (long long)d->max_backlog_bytes);
}

/* Reads what the source side has sent and admits it to the link (or drops it). */
static void ingest(struct direction *d) {
    for (int i = 0; i < MAX_READS_PER_WAKE; i++) {
        if (d->count == RING_SLOTS) {
            /* Ring full: read and drop, so the TUN queue does not stall the other side's sends forever. */
            uint8_t scratch[MAX_PACKET_BYTES];
            ssize_t n = read(d->in_fd, scratch, sizeof scratch);
            if (n <= 0) return;
            d->packets_in++;
            d->bytes_in += (uint64_t)n;
            d->dropped_ring++;
            continue;
        }
        struct packet *p = &d->ring[(d->head + d->count) % RING_SLOTS];
        ssize_t n = read(d->in_fd, p->bytes, sizeof p->bytes);
        if (n <= 0) return; /* EAGAIN: drained */
        d->packets_in++;
        d->bytes_in += (uint64_t)n;
        if (loss_probability > 0 && next_unit(&d->rng) < loss_probability) {
            d->dropped_loss++;
            continue;
        }
        int64_t t = now_ns();
        int64_t backlog_ns = d->busy_until_ns > t ? d->busy_until_ns - t : 0;
        int64_t backlog_bytes = (int64_t)(backlog_ns * rate_bits_per_ns / 8.0);
        if (backlog_bytes + n > queue_limit_bytes) {
            d->dropped_queue++;
            continue;
        }
        if (backlog_bytes > d->max_backlog_bytes) d->max_backlog_bytes = backlog_bytes;
        int64_t start = d->busy_until_ns > t ? d->busy_until_ns : t;
        d->busy_until_ns = start + (int64_t)(n * 8.0 / rate_bits_per_ns);
        p->deliver_at_ns = d->busy_until_ns + delay_ns;
        p->length = (uint16_t)n;
        d->count++;
    }
}

/* Writes every packet whose time has come to the destination side. */
static void deliver(struct direction *d, int64_t t) {
    while (d->count > 0) {
        struct packet *p = &d->ring[d->head];
        if (p->deliver_at_ns > t) return;
        ssize_t n = write(d->out_fd, p->bytes, p->length);
        if (n == (ssize_t)p->length) {
            d->packets_out++;
            d->bytes_out += (uint64_t)n;
        } else {
            d->write_errors++;
        }
        d->head = (d->head + 1) % RING_SLOTS;
        d->count--;
    }
}

static int64_t next_delivery_ns(const struct direction *d) {
    return d->count > 0 ? d->ring[d->head].deliver_at_ns : INT64_MAX;
}

int main(int argc, char **argv) {
    const char *ns_a = NULL, *ns_b = NULL, *dev_a = "tunA", *dev_b = "tunB", *ready_file = NULL;
    double rate_mbit = 100, delay_ms = 25, loss_percent = 0;
    long long queue_bytes = -1;
    unsigned long long seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (v == NULL) {
            fprintf(stderr, "linkemu: %s needs a value\n", a);
            return 2;
        }
        if (!strcmp(a, "--ns-a")) ns_a = v;
        else if (!strcmp(a, "--ns-b")) ns_b = v;
        else if (!strcmp(a, "--dev-a")) dev_a = v;
        else if (!strcmp(a, "--dev-b")) dev_b = v;
        else if (!strcmp(a, "--rate-mbit")) rate_mbit = atof(v);
        else if (!strcmp(a, "--delay-ms")) delay_ms = atof(v);
        else if (!strcmp(a, "--loss")) loss_percent = atof(v);
        else if (!strcmp(a, "--queue-bytes")) queue_bytes = atoll(v);
        else if (!strcmp(a, "--seed")) seed = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--ready-file")) ready_file = v;
        else {
            fprintf(stderr, "linkemu: unknown option %s (see the comment at the top of linkemu.c)\n", a);
            return 2;
        }
        i++;
    }
    if (ns_a == NULL || ns_b == NULL || rate_mbit <= 0 || delay_ms < 0 || loss_percent < 0 || loss_percent >= 100) {
        fprintf(stderr, "linkemu: need --ns-a, --ns-b, --rate-mbit > 0, --delay-ms >= 0, 0 <= --loss < 100\n");
        return 2;
    }
    rate_bits_per_ns = rate_mbit * 1e6 / 1e9;
    delay_ns = (int64_t)(delay_ms * 1e6);
    loss_probability = loss_percent / 100.0;
    /* Default queue: one bandwidth-delay product of the round trip (2 x one-way delay), at least 64 KiB. */
    if (queue_bytes < 0) {
        queue_bytes = (long long)(rate_mbit * 1e6 / 8 * 2 * delay_ms / 1000);
        if (queue_bytes < 65536) queue_bytes = 65536;
    }
    queue_limit_bytes = queue_bytes;

    int fd_a = open_tun_in_namespace(ns_a, dev_a);
    int fd_b = open_tun_in_namespace(ns_b, dev_b);

    struct direction ab = {.name = "a->b", .in_fd = fd_a, .out_fd = fd_b, .rng = seed};
    struct direction ba = {.name = "b->a", .in_fd = fd_b, .out_fd = fd_a, .rng = seed ^ 0x5DEECE66DULL};
    ab.ring = calloc(RING_SLOTS, sizeof(struct packet));
    ba.ring = calloc(RING_SLOTS, sizeof(struct packet));
    if (ab.ring == NULL || ba.ring == NULL) die("calloc", "free some memory");

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_report;
    sigaction(SIGUSR1, &sa, NULL);

    fprintf(stderr, "linkemu: %s <-> %s, %.1f Mbit/s, one-way delay %.1f ms, loss %.2f%%, queue %lld bytes, seed %llu\n",
            dev_a, dev_b, rate_mbit, delay_ms, loss_percent, queue_bytes, seed);
    if (ready_file != NULL) {
        FILE *f = fopen(ready_file, "w");
        if (f != NULL) {
            fprintf(f, "%d\n", (int)getpid());
            fclose(f);
        }
    }

    /* Wake-ups within 1 us of the deadline, not the default 50 us slack: delay accuracy. */
    prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);

    struct pollfd fds[2] = {{.fd = fd_a, .events = POLLIN}, {.fd = fd_b, .events = POLLIN}};
    while (!stop_requested) {
        int64_t t = now_ns();
        deliver(&ab, t);
        deliver(&ba, t);
        int64_t next = next_delivery_ns(&ab);
        int64_t nb = next_delivery_ns(&ba);
        if (nb < next) next = nb;
        struct timespec timeout = {.tv_sec = 1, .tv_nsec = 0};
        if (next != INT64_MAX) {
            int64_t wait = next - now_ns();
            if (wait < 0) wait = 0;
            timeout.tv_sec = wait / 1000000000LL;
            timeout.tv_nsec = wait % 1000000000LL;
        }
        int r = ppoll(fds, 2, &timeout, NULL);
        if (r < 0 && errno != EINTR) die("ppoll", "this should not happen");
        if (r > 0) {
            if (fds[0].revents & POLLIN) ingest(&ab);
            if (fds[1].revents & POLLIN) ingest(&ba);
        }
        if (report_requested) {
            report_requested = 0;
            report(&ab);
            report(&ba);
        }
    }
    report(&ab);
    report(&ba);
    return 0;
}
