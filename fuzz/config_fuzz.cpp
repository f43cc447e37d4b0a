// libFuzzer target: the TOML config loader and the checks on what it loaded.
// Invariants checked: never throws or crashes; an error is one line naming the source; and no
// message (parse error or check_config line) ever shows a resolved key value.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <harness/config.h>

namespace {

// Every variable resolves to this value, so any key_env the input names gets a "secret".
constexpr std::string_view secret = "fz-SECRET-0x5eed-value";

bool shows_secret(std::string_view text) { return text.find(secret) != std::string_view::npos; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The input itself may spell the value; then finding it proves nothing.
  const bool input_has_secret = shows_secret(text);
  const harness::env_lookup env = [](std::string_view name) -> std::optional<std::string> {
    if (name.empty() || name.front() == 'U') return std::nullopt;  // some variables are unset
    return std::string(secret);
  };
  auto loaded = harness::parse_config(text, "fuzz.toml", env);
  if (!loaded) {
    const harness::error& err = loaded.error_value();
    if (err.code != harness::errc::config) __builtin_trap();
    if (err.message.rfind("fuzz.toml", 0) != 0) __builtin_trap();
    if (!input_has_secret && shows_secret(err.describe())) __builtin_trap();
    return 0;
  }
  const harness::config& cfg = *loaded;
  for (const std::string& line : harness::check_config(cfg)) {
    if (line.empty() || line.find('\n') != std::string::npos) __builtin_trap();
    if (!input_has_secret && shows_secret(line)) __builtin_trap();
  }
  // Routing on whatever was loaded: exact names, patterns, the default.
  for (const auto& m : cfg.models) {
    const harness::model_route* r = cfg.find_model(m.name);
    if (r == nullptr) __builtin_trap();  // every declared name routes somewhere
    (void)cfg.find_provider(r->provider);
  }
  (void)cfg.find_model("claude-x");
  (void)cfg.find_model("");
  return 0;
}
