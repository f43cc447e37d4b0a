// harness.h: the umbrella header of the core library (types, codecs, translation).
//
// Conventions of every public header (docs/api.md has the long form):
// - Errors are values: a fallible function returns harness::result<T>; no exception crosses
//   the API on bad input (std::bad_alloc can still escape, as from the standard library).
// - Ownership: public types are regular values that own their data; inputs taken as
//   std::string_view or const& are read during the call and never kept.
// - Thread-safety: free functions are reentrant (no global mutable state); one value or one
//   stateful object (stream decoder/encoder, stream_rescuer, stream_fixer) is used from one
//   thread at a time; gateway and transports say so where they are shared.
// - Versioning: everything is in the inline namespace harness::v0; see version.h.
//
// This header covers the core (harness::harness) entry points. Include the others directly:
// stream.h, rescue.h, repair.h, fixer.h, config.h (core); gateway.h, transport.h
// (harness::gateway); curl_transport.h (harness::curl).
#pragma once

#include <harness/codec.h>
#include <harness/dialect.h>
#include <harness/json_fields.h>
#include <harness/message.h>
#include <harness/request.h>
#include <harness/response.h>
#include <harness/result.h>
#include <harness/tool.h>
#include <harness/translate.h>
#include <harness/translator.h>
#include <harness/version.h>
