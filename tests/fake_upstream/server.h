// The HTTP side: routes, request logging, and sending a Plan (with its faults) to the client.
#pragma once

#include <string>

#include <httplib.h>

#include "plan.h"
#include "request_log.h"

namespace fake {

class FakeServer {
public:
  FakeServer(RequestLog &request_log, std::size_t threads);

  /// Binds and listens; returns the bound port, or -1.
  int bind(const std::string &host, int port);
  /// Serves until stop(); false when the server could not run.
  bool serve();
  void stop();

private:
  void chat(Dialect dialect, const httplib::Request &req, httplib::Response &res);
  void log(const httplib::Request &req, const Received &received, int status);

  httplib::Server svr_;
  RequestLog &log_;
  FaultState faults_;
};

}  // namespace fake
