// recording_input.h: `harness-cli translate --in` on files of a recording (harness-server
// --record): the dialect and the kind of input come from the recording's meta.json.
#pragma once

#include <optional>
#include <string>

#include <harness/dialect.h>

namespace harness_cli {

struct recorded_input {
  std::string path;                       ///< the file to read
  std::optional<harness::dialect> from;   ///< from meta.json; empty when there is none
  std::optional<std::string> kind;        ///< "request", "response" or "stream", from the name
};

/// `in` is a file or a recording directory (then its upstream response). The dialect is the
/// provider's for upstream-* files, the client's for client-* files, when meta.json is beside
/// them. False with `error` set when `in` is a directory that is not a readable recording.
bool resolve_recorded_input(const std::string& in, recorded_input& out, std::string& error);

}  // namespace harness_cli
