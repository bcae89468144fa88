/*
 * A minimal FastAGI `route` server in C, as a yardstick for agi-bench: it does what the
 * calljournal server does on the wire for a route session (read the environment up to the
 * blank line, send the four SET VARIABLE commands one at a time, each after the previous
 * response, close) and nothing else: no parsing, no limits, no time-outs, no metrics.
 *
 *   cc -O2 -D_GNU_SOURCE -o /tmp/epoll-route-server Benchmarks/reference/epoll-route-server.c -lpthread
 *   /tmp/epoll-route-server 4600 2 &            # port, threads (one SO_REUSEPORT listener each)
 *   .build/release/agi-bench --target-port 4600 --concurrency 1,50,500
 *
 * Its CPU time is read from /proc/PID/stat (fields 14 and 15, in clock ticks) before and after.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* accept4 */
#endif
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

struct session {
    int fd;
    int commands_sent; /* -1 while the environment is still arriving */
    int length;
    char buffer[4096];
};

static const char *commands[4] = {
    "SET VARIABLE ROUTE_STATUS \"OK\"\n",
    "SET VARIABLE ROUTE_DIAL \"PJSIP/101\"\n",
    "SET VARIABLE ROUTE_EMPLOYEE_ID \"1\"\n",
    "SET VARIABLE ROUTE_EMPLOYEE_NAME \"Agent 101\"\n",
};
static int port;

static void *serve(void *unused) {
    (void)unused;
    int one = 1;
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(listener, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    setsockopt(listener, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* inherited by accepted sockets */
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 4096) != 0) {
        perror("bind/listen");
        exit(1);
    }
    int epoll = epoll_create1(0);
    struct epoll_event interest = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &interest);
    struct epoll_event events[256];
    for (;;) {
        int count = epoll_wait(epoll, events, 256, -1);
        for (int i = 0; i < count; i++) {
            struct session *session = events[i].data.ptr;
            if (session == NULL) {
                int fd;
                while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    session = calloc(1, sizeof *session);
                    session->fd = fd;
                    session->commands_sent = -1;
                    struct epoll_event readable = {.events = EPOLLIN, .data.ptr = session};
                    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &readable);
                }
                continue;
            }
            ssize_t received = read(session->fd, session->buffer + session->length, sizeof session->buffer - session->length - 1);
            if (received <= 0) {
                close(session->fd);
                free(session);
                continue;
            }
            session->length += (int)received;
            session->buffer[session->length] = 0;
            int complete = session->commands_sent < 0 ? strstr(session->buffer, "\n\n") != NULL
                                                      : memchr(session->buffer, '\n', session->length) != NULL;
            if (!complete) continue;
            session->length = 0;
            if (++session->commands_sent == 4) {
                close(session->fd);
                free(session);
                continue;
            }
            const char *command = commands[session->commands_sent];
            if (write(session->fd, command, strlen(command)) < 0) perror("write");
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s PORT [THREADS]\n", argv[0]);
        return 2;
    }
    port = atoi(argv[1]);
    int threads = argc > 2 ? atoi(argv[2]) : 1;
    pthread_t thread[64];
    for (int i = 0; i < threads && i < 64; i++) pthread_create(&thread[i], NULL, serve, NULL);
    pthread_join(thread[0], NULL);
    return 0;
}
