// relay_floor.c: the cheapest relay we know how to write, as the floor for "added latency".
//
// One thread, one epoll set; every accepted client connection gets its own upstream connection
// and bytes are copied both ways as soon as they are readable (no HTTP parsing, no buffering
// beyond one read). A gateway on the same CPU pinning cannot add less latency than this without
// busy-polling, so bench/server/run.sh measures it beside harness-server (target "relay").
//
// Usage: relay_floor LISTEN_PORT UPSTREAM_PORT [spin]   (both ports on 127.0.0.1)
//   spin: poll without sleeping (one core at 100 %), to see what idle wake-ups cost
// Build: cc -O2 -o relay_floor relay_floor.c
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum { max_fd = 65536, buf_size = 65536 };
static int peer_of[max_fd];

static int tcp_socket(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static struct sockaddr_in loopback(int port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

static void close_pair(int ep, int fd) {
  int peer = peer_of[fd];
  epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
  close(fd);
  if (peer > 0) {
    epoll_ctl(ep, EPOLL_CTL_DEL, peer, NULL);
    close(peer);
    peer_of[peer] = 0;
  }
  peer_of[fd] = 0;
}

// Writes all of buf (blocking sockets: a relay this simple has no write queue).
static int write_all(int fd, const char* buf, ssize_t n) {
  while (n > 0) {
    ssize_t w = send(fd, buf, (size_t)n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    buf += w;
    n -= w;
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc != 3 && !(argc == 4 && strcmp(argv[3], "spin") == 0)) {
    fprintf(stderr, "usage: %s LISTEN_PORT UPSTREAM_PORT [spin]\n", argv[0]);
    return 2;
  }
  struct sockaddr_in listen_addr = loopback(atoi(argv[1]));
  struct sockaddr_in upstream_addr = loopback(atoi(argv[2]));
  int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(lfd, (struct sockaddr*)&listen_addr, sizeof listen_addr) != 0 || listen(lfd, 1024) != 0) {
    perror("listen");
    return 1;
  }
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = lfd};
  epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
  const int wait_ms = argc == 4 ? 0 : -1;
  static char buf[buf_size];
  struct epoll_event events[256];
  for (;;) {
    int n = epoll_wait(ep, events, 256, wait_ms);
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == lfd) {
        int c = accept(lfd, NULL, NULL);
        if (c < 0 || c >= max_fd) { if (c >= 0) close(c); continue; }
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        int u = tcp_socket();
        if (u >= max_fd || connect(u, (struct sockaddr*)&upstream_addr, sizeof upstream_addr) != 0) {
          close(c);
          close(u);
          continue;
        }
        peer_of[c] = u;
        peer_of[u] = c;
        struct epoll_event e1 = {.events = EPOLLIN, .data.fd = c};
        struct epoll_event e2 = {.events = EPOLLIN, .data.fd = u};
        epoll_ctl(ep, EPOLL_CTL_ADD, c, &e1);
        epoll_ctl(ep, EPOLL_CTL_ADD, u, &e2);
        continue;
      }
      if (peer_of[fd] == 0) continue;  // closed earlier in this batch
      ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (r <= 0 || write_all(peer_of[fd], buf, r) != 0) close_pair(ep, fd);
    }
  }
}
