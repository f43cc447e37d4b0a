// parse_context.h: the reusable parse state a caller-owned harness::translator threads through
// the codecs' decode and encode entry points.
//
// Internal to the library. One context serves one call at a time: a decoder parses the body into
// `parser`, copies what it needs into the canonical structs, and is done with the document before
// the encoder reuses the same parser as scratch (tool-call arguments, raw fields). The buffers
// only grow, so a context that has parsed a body of N bytes parses the next one of up to N bytes
// without allocating or page-faulting.
#pragma once

#include <simdjson.h>

namespace harness::detail {

struct parse_context {
  simdjson::dom::parser parser;
};

}  // namespace harness::detail
