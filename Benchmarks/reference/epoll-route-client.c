/*
 * A minimal FastAGI `route` load client in C, as the yardstick of agi-bench's own load client:
 * the same work on the wire as agi-bench's EpollRouteClient (connect, send the recorded S1
 * environment, answer every command with `200 result=1`, count the session done when the
 * server closes, one new connection per session), with nothing else.
 *
 *   cc -O2 -Wall -o /tmp/epoll-route-client Benchmarks/reference/epoll-route-client.c -lpthread
 *   /tmp/epoll-route-client PORT [CONCURRENCY [SECONDS [THREADS]]]     # defaults: 50, 5, 1
 *
 * Prints sessions/s, p50/p99 latency (from socket() to the server's close) and the process's
 * CPU time per session. Against agi-bench's server in another process
 * (`agi-bench --server-only PORT`) or the reference server (epoll-route-server.c).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char environment[] =
    "agi_network: yes\nagi_network_script: route?did=5551000&cid=79161234567\n"
    "agi_request: agi://127.0.0.1:4573/route?did=5551000&cid=79161234567\n"
    "agi_channel: PJSIP/trunk-00000000\nagi_language: en\nagi_type: PJSIP\nagi_uniqueid: 1795358807.0\n"
    "agi_version: 22.10.1\nagi_callerid: 79161234567\nagi_calleridname: unknown\nagi_callingpres: 0\n"
    "agi_callingani2: 0\nagi_callington: 0\nagi_callingtns: 0\nagi_dnid: 5551000\nagi_rdnis: unknown\n"
    "agi_context: from-trunk\nagi_extension: 5551000\nagi_priority: 7\nagi_enhanced: 0.0\nagi_accountcode: \n"
    "agi_threadid: 140563176240832\n\n";
static const char answer[] = "200 result=1\n";

struct load {
    int port, concurrency;
    double seconds;
    long sessions, failures, latency_count, latency_capacity;
    double *latencies; /* milliseconds */
};

static double now(void) {
    struct timespec clock;
    clock_gettime(CLOCK_MONOTONIC, &clock);
    return clock.tv_sec + clock.tv_nsec / 1e9;
}

/* Opens one session and sends its environment; returns the descriptor, or -1. */
static int start(const struct load *load, int epoll, int slot) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    if (fd < 0) return -1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(load->port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    /* Over loopback the handshake is done by now; a client that must wait would poll for POLLOUT. */
    if (write(fd, environment, sizeof environment - 1) != (ssize_t)(sizeof environment - 1)) {
        close(fd);
        return -1;
    }
    struct epoll_event interest = {.events = EPOLLIN, .data.u64 = ((uint64_t)fd << 32) | (uint32_t)slot};
    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &interest);
    return fd;
}

static void *run(void *argument) {
    struct load *load = argument;
    int epoll = epoll_create1(0), open = 0;
    double *started = calloc(load->concurrency, sizeof *started), stop_at = now() + load->seconds;
    char buffer[4096];
    struct epoll_event events[512];
    for (int slot = 0; slot < load->concurrency; slot++) {
        started[slot] = now();
        if (start(load, epoll, slot) >= 0) open++; else load->failures++;
    }
    while (open > 0) {
        int count = epoll_wait(epoll, events, 512, 1000);
        for (int i = 0; i < count; i++) {
            int fd = (int)(events[i].data.u64 >> 32), slot = (int)(uint32_t)events[i].data.u64;
            ssize_t received = read(fd, buffer, sizeof buffer);
            if (received > 0) {
                /* Commands are never pipelined: each read is one command to answer. */
                if (write(fd, answer, sizeof answer - 1) == (ssize_t)(sizeof answer - 1)) continue;
                received = -1;
            } else if (received < 0 && errno == EAGAIN) {
                continue;
            }
            close(fd);
            open--;
            if (received == 0) {
                load->sessions++;
                if (load->latency_count == load->latency_capacity) {
                    load->latency_capacity = load->latency_capacity ? 2 * load->latency_capacity : 65536;
                    load->latencies = realloc(load->latencies, load->latency_capacity * sizeof *load->latencies);
                }
                load->latencies[load->latency_count++] = (now() - started[slot]) * 1000;
            } else {
                load->failures++;
            }
            if (now() < stop_at) {
                started[slot] = now();
                if (start(load, epoll, slot) >= 0) open++; else load->failures++;
            }
        }
    }
    free(started);
    close(epoll);
    return NULL;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s PORT [CONCURRENCY [SECONDS [THREADS]]]\n", argv[0]);
        return 2;
    }
    int port = atoi(argv[1]), concurrency = argc > 2 ? atoi(argv[2]) : 50, threads = argc > 4 ? atoi(argv[4]) : 1;
    double seconds = argc > 3 ? atof(argv[3]) : 5;
    if (threads < 1 || threads > 64 || concurrency < threads) {
        fprintf(stderr, "need 1 to 64 threads and at least one session per thread\n");
        return 2;
    }
    struct load loads[64] = {0};
    pthread_t thread[64];
    double began = now();
    for (int i = 0; i < threads; i++) {
        loads[i] = (struct load){.port = port, .concurrency = concurrency / threads + (i < concurrency % threads), .seconds = seconds};
        pthread_create(&thread[i], NULL, run, &loads[i]);
    }
    long sessions = 0, failures = 0, count = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(thread[i], NULL);
        sessions += loads[i].sessions;
        failures += loads[i].failures;
        count += loads[i].latency_count;
    }
    double elapsed = now() - began, *latencies = malloc((count ? count : 1) * sizeof *latencies);
    for (int i = 0, at = 0; i < threads; i++) {
        memcpy(latencies + at, loads[i].latencies, loads[i].latency_count * sizeof *latencies);
        at += loads[i].latency_count;
    }
    qsort(latencies, count, sizeof *latencies, by_value);
    struct timespec cpu;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    printf("concurrency %4d, %d thread(s): %8.0f sessions/s  p50 %6.2f ms  p99 %6.2f ms  (%ld sessions, %ld failures), "
           "client CPU %.0f µs per session\n",
           concurrency, threads, sessions / elapsed, count ? latencies[count / 2] : 0, count ? latencies[count * 99 / 100] : 0,
           sessions, failures, (cpu.tv_sec + cpu.tv_nsec / 1e9) * 1e6 / (sessions ? sessions : 1));
    return failures ? 1 : 0;
}
