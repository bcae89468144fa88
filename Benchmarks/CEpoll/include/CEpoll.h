// epoll for agi-bench's load client: Glibc's Swift module does not export <sys/epoll.h>.
#ifndef C_EPOLL_H
#define C_EPOLL_H
#ifdef __linux__
#include <sys/epoll.h>
#endif
#endif
