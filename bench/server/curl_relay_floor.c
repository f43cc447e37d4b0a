// curl_relay_floor.c: the cheapest HTTP relay built on libcurl, as the floor for what a gateway
// that reaches its upstream through libcurl (the design card's choice) adds to a stream's first
// byte.
//
// One thread, one epoll set, libcurl's socket interface (curl_multi_socket_action: the cheapest way
// to drive many transfers). Reads each HTTP/1.1 request (Content-Length body) from keep-alive
// clients, POSTs the body unchanged to UPSTREAM + the request's path (one easy handle per client
// connection, reused, so the upstream connection is reused too), and relays the answer:
// the head and the first piece of body in one send as soon as libcurl hands over body bytes, then
// every piece as a chunk. No JSON, no translation, no logging: what is left is libcurl's own
// request and response path, the two extra hops and the wake-ups, all of which any libcurl-based
// gateway pays. bench/server/run.sh measures it as target "curl-relay".
//
// Usage: curl_relay_floor LISTEN_PORT UPSTREAM_BASE_URL   (e.g. 8083 http://127.0.0.1:18000)
// Build: cc -O2 -o curl_relay_floor curl_relay_floor.c -lcurl
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum { max_clients = 1024, in_size = 1 << 20 };

typedef struct {
  int fd;               // -1: free slot
  char* in;             // request bytes read so far
  size_t in_len;
  CURL* easy;           // reused for every request on this connection
  int busy;             // a transfer is running for it
  int head_sent;
  long status;
  char url[512];
} client;

static client clients[max_clients];
static const char* upstream;
static CURLM* multi;
static struct curl_slist* headers;
static int ep;
static long curl_timeout_ms = -1;
enum { curl_tag = 1 << 30, listen_tag = 1 << 29 };  // epoll data: fd | tag (clients: slot index)

static int send_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static void drop(client* c) {
  if (c->busy) curl_multi_remove_handle(multi, c->easy);
  c->busy = 0;
  epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  c->fd = -1;
  c->in_len = 0;
}

// Sends one body piece as a chunk; the first one goes out with the response head.
static size_t on_body(char* data, size_t size, size_t n, void* user) {
  client* c = user;
  size_t len = size * n;
  char buf[16384 + 256];
  size_t at = 0;
  if (!c->head_sent) {
    at = (size_t)snprintf(buf, sizeof buf,
                          "HTTP/1.1 %ld OK\r\nContent-Type: text/event-stream\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n",
                          c->status ? c->status : 200);
    c->head_sent = 1;
  }
  at += (size_t)snprintf(buf + at, sizeof buf - at, "%zx\r\n", len);
  if (len + at + 2 <= sizeof buf) {
    memcpy(buf + at, data, len);
    memcpy(buf + at + len, "\r\n", 2);
    return send_all(c->fd, buf, at + len + 2) == 0 ? len : 0;
  }
  if (send_all(c->fd, buf, at) || send_all(c->fd, data, len) || send_all(c->fd, "\r\n", 2)) return 0;
  return len;
}

static size_t on_header(char* data, size_t size, size_t n, void* user) {
  client* c = user;
  if (size * n > 12 && strncmp(data, "HTTP/", 5) == 0) c->status = strtol(data + 9, NULL, 10);
  return size * n;
}

// Starts the upstream transfer when a whole request has arrived.
static void maybe_start(client* c) {
  char* end = memmem(c->in, c->in_len, "\r\n\r\n", 4);
  if (!end) return;
  size_t head_len = (size_t)(end - c->in) + 4;
  size_t body_len = 0;
  for (char* p = c->in; p < end; p = strstr(p, "\r\n") + 2) {
    if (strncasecmp(p, "content-length:", 15) == 0) body_len = strtoul(p + 15, NULL, 10);
  }
  if (c->in_len < head_len + body_len) return;
  char* path = strchr(c->in, ' ');
  char* path_end = path ? strchr(path + 1, ' ') : NULL;
  if (!path || !path_end) { drop(c); return; }
  snprintf(c->url, sizeof c->url, "%s%.*s", upstream, (int)(path_end - path - 1), path + 1);
  curl_easy_setopt(c->easy, CURLOPT_URL, c->url);
  curl_easy_setopt(c->easy, CURLOPT_POSTFIELDS, c->in + head_len);
  curl_easy_setopt(c->easy, CURLOPT_POSTFIELDSIZE, (long)body_len);
  c->head_sent = 0;
  c->status = 0;
  c->busy = 1;
  curl_multi_add_handle(multi, c->easy);
}

static void finish(CURL* easy) {
  client* c = NULL;
  curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char**)&c);
  curl_multi_remove_handle(multi, easy);
  c->busy = 0;
  if (!c->head_sent) {
    static const char bad[] = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n";
    if (send_all(c->fd, bad, sizeof bad - 1)) { drop(c); return; }
  } else if (send_all(c->fd, "0\r\n\r\n", 5)) {
    drop(c);
    return;
  }
  c->in_len = 0;  // lg sends one request at a time per connection
}

// libcurl tells which sockets to watch; they go into the same epoll set as the clients.
static int on_socket(CURL* easy, curl_socket_t fd, int what, void* u, void* sp) {
  (void)easy, (void)u, (void)sp;
  struct epoll_event ev = {.data.u64 = (uint64_t)fd | curl_tag};
  if (what == CURL_POLL_REMOVE) {
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
    return 0;
  }
  ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0) | (what & CURL_POLL_OUT ? EPOLLOUT : 0);
  if (epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) && errno == ENOENT) epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  return 0;
}

static int on_timer(CURLM* m, long timeout_ms, void* u) {
  (void)m, (void)u;
  curl_timeout_ms = timeout_ms;
  return 0;
}

static void reap(void) {
  CURLMsg* m;
  int left;
  while ((m = curl_multi_info_read(multi, &left)))
    if (m->msg == CURLMSG_DONE) finish(m->easy_handle);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s LISTEN_PORT UPSTREAM_BASE_URL\n", argv[0]);
    return 2;
  }
  upstream = argv[2];
  curl_global_init(CURL_GLOBAL_DEFAULT);
  multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
  curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer);
  headers = curl_slist_append(NULL, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");
  ep = epoll_create1(0);
  int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1])),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(lfd, (struct sockaddr*)&a, sizeof a) || listen(lfd, 1024)) {
    perror("listen");
    return 1;
  }
  struct epoll_event lev = {.events = EPOLLIN, .data.u64 = (uint64_t)lfd | listen_tag};
  epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev);
  for (int i = 0; i < max_clients; i++) clients[i].fd = -1;
  int running = 0;
  for (;;) {
    struct epoll_event evs[64];
    int n = epoll_wait(ep, evs, 64, (int)(curl_timeout_ms < 0 ? 1000 : curl_timeout_ms));
    if (n == 0 && curl_timeout_ms >= 0) {
      curl_timeout_ms = -1;
      curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
    }
    for (int i = 0; i < n; i++) {
      uint64_t d = evs[i].data.u64;
      if (d & curl_tag) {
        int mask = (evs[i].events & EPOLLIN ? CURL_CSELECT_IN : 0) |
                   (evs[i].events & EPOLLOUT ? CURL_CSELECT_OUT : 0) |
                   (evs[i].events & (EPOLLERR | EPOLLHUP) ? CURL_CSELECT_ERR : 0);
        curl_multi_socket_action(multi, (curl_socket_t)(d & 0xffffff), mask, &running);
      } else if (d & listen_tag) {
        int fd = accept(lfd, NULL, NULL);
        int slot = 0;
        while (fd >= 0 && slot < max_clients && clients[slot].fd >= 0) slot++;
        if (fd >= 0 && slot == max_clients) close(fd);
        else if (fd >= 0) {
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          client* c = &clients[slot];
          c->fd = fd;
          c->in_len = 0;
          if (!c->in) c->in = malloc(in_size);
          if (!c->easy) {
            c->easy = curl_easy_init();
            curl_easy_setopt(c->easy, CURLOPT_PRIVATE, c);
            curl_easy_setopt(c->easy, CURLOPT_TCP_NODELAY, 1L);
            // What stays the same for every request of the connection is set once.
            curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, headers);
            curl_easy_setopt(c->easy, CURLOPT_WRITEFUNCTION, on_body);
            curl_easy_setopt(c->easy, CURLOPT_WRITEDATA, c);
            curl_easy_setopt(c->easy, CURLOPT_HEADERFUNCTION, on_header);
            curl_easy_setopt(c->easy, CURLOPT_HEADERDATA, c);
          }
          struct epoll_event cev = {.events = EPOLLIN, .data.u64 = (uint64_t)slot};
          epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
        }
      } else {
        client* c = &clients[d];
        if (c->fd < 0 || c->busy) continue;  // no pipelining: the next request waits
        ssize_t r = recv(c->fd, c->in + c->in_len, in_size - c->in_len - 1, MSG_DONTWAIT);
        if (r <= 0) {
          if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
          drop(c);
          continue;
        }
        c->in_len += (size_t)r;
        c->in[c->in_len] = 0;
        maybe_start(c);
        // A new transfer sets a 0 ms timer: start it now instead of after another epoll_wait.
        if (c->busy && curl_timeout_ms == 0) {
          curl_timeout_ms = -1;
          curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
        }
      }
    }
    if (curl_timeout_ms == 0) {
      curl_timeout_ms = -1;
      curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
    }
    reap();
  }
}
