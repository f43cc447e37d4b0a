// context.h: the rescuer's view of the request (offered names, parameter types), name
// validation with the normalisations of policy 1, and turning drafts into rescued calls.
//
// Names are validated in exactly one place (finalize_calls), after every format parser
// (rescue-formats.md D.14).
#pragma once

#include <harness/repair.h>
#include <harness/rescue.h>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rescue/jvalue.h"

namespace harness::detail::rescue {

/// parameter -> accepted JSON Schema types, in schema order.
using param_types = std::map<std::string, std::vector<std::string>, std::less<>>;

/// Reads the `properties` of a JSON Schema object into `out` (existing entries are kept).
void read_schema_types(const jvalue& schema, param_types& out);

/// Types the members of `obj` (an object) per `types`.
void coerce_object(jvalue& obj, const param_types& types, coerce_scope scope);

/// Policy 5: arguments end up as an object. A string holding JSON (possibly fenced) is decoded
/// once; "" and null become {}; a one-element array holding an object is unwrapped. False when
/// the value cannot be arguments.
bool normalize_arguments(jvalue& args);

/// Removes a surrounding ``` fence (with its info string) from `text`, if any.
std::string_view strip_fence(std::string_view text) noexcept;
std::string_view trim(std::string_view s) noexcept;
bool is_space(char c) noexcept;
bool is_hspace(char c) noexcept;
bool is_name_char(char c) noexcept;
bool is_ident_start(char c) noexcept;

/// How a written name may be normalised before validation.
enum name_rule : unsigned {
  name_plain = 0,
  name_harmony = 1,  ///< "functions." prefix, "json" glued to the end
  name_kimi = 2,     ///< ids "functions.NAME:IDX", "functionsNAME5"
};

class context {
 public:
  /// `options` must outlive the context: parameter types are read from its schemas on first
  /// use, so a reply with no tool-call text never parses a schema.
  explicit context(const rescue_options& options);

  bool any_tools() const noexcept { return !names_.empty(); }
  bool offered(std::string_view name) const noexcept;
  /// True when some offered name starts with `prefix` (or `prefix` starts with "functions."
  /// and the rest is such a prefix).
  bool name_prefix(std::string_view prefix) const noexcept;
  /// The offered name that `written` denotes, or nullopt.
  std::optional<std::string> resolve(std::string_view written, unsigned rules) const;
  const param_types* types_for(std::string_view tool) const;
  reasoning_start start() const noexcept { return start_; }

 private:
  void read_types() const;

  const rescue_options& options_;
  std::vector<std::string> names_;  // sorted, unique
  mutable std::map<std::string, param_types, std::less<>> types_;
  mutable bool types_read_ = false;
  reasoning_start start_;
};

/// One call as a format parser read it, before validation.
struct call_draft {
  std::string name;    ///< as written
  jvalue args;         ///< any kind; normalised by finalize_calls
  bool typed = false;  ///< values came from untyped text tags: coerce every scalar
  unsigned rules = name_plain;
  std::string native_id;
  std::string family;
};

/// Validates and serialises `drafts` (all or nothing): every name must resolve to an offered
/// tool and every argument value must normalise to an object. `raw` is the span's text.
std::optional<std::vector<rescued_call>> finalize_calls(std::vector<call_draft>& drafts,
                                                        const context& ctx, std::string_view raw);

}  // namespace harness::detail::rescue
