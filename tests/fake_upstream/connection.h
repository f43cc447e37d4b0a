// The socket under an httplib request, so a stalled stream notices a client that left and a
// reset fault can end the connection with a real RST.
#pragma once

#include <string>

namespace fake {

/// The connected socket with these endpoints (found through /proc/self/fd), or -1.
int find_socket(const std::string &remote_addr, int remote_port, int local_port);

/// The peer closed or reset the connection (never blocks).
bool peer_gone(int fd);

/// Resets the connection now (RST); the descriptor stays valid (it then refers to /dev/null).
void reset_connection(int fd);

}  // namespace fake
