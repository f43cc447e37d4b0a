// The fault-* model profiles, for reliability tests.
#pragma once

#include <optional>

#include "model_spec.h"
#include "plan.h"
#include "reply.h"

namespace fake {

/// An HTTP error answer in the dialect's shape.
Plan error_plan(Dialect dialect, const Failure &failure);

/// Faults that replace the answer before the model runs: fault-500, fault-429, fault-flaky
/// (first request), fault-200-error, fault-garbage, missing*, fault-error-event without stream.
std::optional<Plan> fault_instead(const Request &req, Fault fault, FaultState &state);

/// Faults that change what the model says (fault-huge: 8 MiB of text in one delta).
void fault_on_reply(Fault fault, Reply &reply);

/// Faults that change how a rendered answer is sent: fault-slow, fault-stall, fault-reset,
/// fault-error-event.
void fault_on_plan(const Request &req, Fault fault, Plan &plan);

}  // namespace fake
