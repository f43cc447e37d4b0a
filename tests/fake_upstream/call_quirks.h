// Native tool calls that go wrong the way real models' do, chosen by model-name prefix on top
// of the frontier profile: `cutcall*` (cut by the output limit), `wrongtool*` (a tool the
// client never offered).
#pragma once

#include "reply.h"

namespace fake {

/// Spoils the calls of `r` as `req.model`'s prefix asks; other models are left alone.
void apply_call_quirks(const Request &req, Reply &r);

}  // namespace fake
