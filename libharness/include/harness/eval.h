// eval.h: the evaluator (library harness::eval). It sends the same coding-agent tests to every
// model a gateway can reach, through the gateway, and grades what a client would receive.
//
//   endpoint (HTTP proxy, or an in-process gateway)  <-  runner  ->  grader  ->  report
//
// The grader is a set of pure functions over recorded exchanges (request body + reply bytes),
// so each verdict can be reproduced from a stored exchange. The runner builds each test's
// requests from a client profile (the tool array a real client sends) and records exchanges
// through an injected endpoint; it keeps no global state. Catalogue and grading rules:
// docs/evaluator.md (T1-T14).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include <harness/config.h>
#include <harness/result.h>
#include <harness/tool.h>
#include <harness/transport.h>

namespace harness {
inline namespace v0 {
namespace eval {

// ---- tests and verdicts -------------------------------------------------------------------

/// The implemented tests of the catalogue.
enum class test_id {
  t1_tool_call,      ///< "create hello.py": a well-formed call to an offered tool
  t2_code,           ///< T1's arguments validate against the schema; the code parses
  t3_continue,       ///< T1's call answered under its id: a final answer or a new call
  t4_read_edit,      ///< fix a bug in a file shown in the client's read format, exact edit
  t5_parallel,       ///< "read a.py and b.py": two calls in one turn, distinct ids
  t6_restraint,      ///< a plain question with every tool offered: no call
  t7_clarify,        ///< an edit request naming no file: discover or ask, never invent a path
  t8_selection,      ///< "find every *.toml" among all the profile's tools: glob
  t9_long_session,   ///< 9 scripted user turns on a virtual FS, edit tools added mid-way
  t10_recovery,      ///< after a client error result: re-read / correct, never repeat the call
  t11_streaming,     ///< T1 streamed: deltas reassemble, finish tool_calls, proper end
  t12_param_names,   ///< one edit on crush, opencode and opencode-v2 tools: each exact name
  t13_large_content, ///< a 240-line file with quotes, backslashes, tabs, unicode: byte-exact
  t14_patch,         ///< a fix through apply_patch: the envelope parses and applies
};

/// "T1", "T2", ... and a short name ("tool-call structure").
const char* code_of(test_id id) noexcept;
const char* name_of(test_id id) noexcept;
/// Every test but T1 and T11 (docs/evaluator.md C.7): skipped ("—") when T1 fails in the same
/// repeat, and scored 0.
bool gated_by_t1(test_id id) noexcept;
/// Every implemented test, in catalogue order.
const std::vector<test_id>& all_tests();
/// "T1" / "t1" -> test_id; nullopt for an unknown or unimplemented code.
std::optional<test_id> parse_test_code(std::string_view code);

enum class verdict { pass, warn, fail, skipped };
/// "pass", "warn", "fail", "—".
const char* to_string(verdict v) noexcept;

/// One test's verdict. `code` is stable ("T1.no_call", "infra.timeout"); `reason` is one
/// human line; `excerpt` is the part of the request/reply that decided a non-pass.
struct grade {
  verdict outcome = verdict::fail;
  std::string code;
  std::string reason;
  std::string excerpt;
};

// ---- what a model was sent and what came back ---------------------------------------------

/// What the gateway's tool fixer did for one exchange (known only in-process).
enum class tools_via { unknown, native, rescued, emulated, stripped, none };
/// "?", "native", "rescue", "emulate", "strip", "—".
const char* to_string(tools_via v) noexcept;

/// The client API the evaluator speaks to the proxy with (as a client of that kind would).
enum class client_api {
  chat,       ///< POST /v1/chat/completions (Crush, OpenCode)
  messages,   ///< POST /v1/messages (Claude Code)
  responses,  ///< POST /v1/responses (Codex)
};
/// "chat", "messages", "responses".
const char* to_string(client_api api) noexcept;
/// "chat" / "messages" / "responses" -> the API; nullopt otherwise.
std::optional<client_api> parse_client_api(std::string_view name);
/// The API the profile's client speaks: claude-code -> messages, codex -> responses, else chat.
client_api default_client_api(std::string_view profile_name) noexcept;

/// One request/response pair as recorded. `request` is always the Chat Completions form of what
/// was asked (the evaluator's canonical form; the endpoint re-encodes it for `api`); `reply` is
/// the body as the proxy sent it in `api`'s format. `status` 0 means no HTTP answer (see
/// `transport_error`).
struct exchange {
  std::string request;        ///< the request (Chat Completions body)
  int status = 0;
  std::string reply;          ///< the reply body (JSON, or the raw SSE bytes of a stream)
  bool stream = false;
  std::string transport_error;  ///< "timeout after 30 s", "connection refused", ...
  std::int64_t latency_us = 0;  ///< whole exchange
  std::int64_t ttft_us = 0;     ///< first body byte (streams); 0 when none
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  tools_via via = tools_via::unknown;
  int args_repaired = 0;  ///< calls whose arguments the gateway repaired (in-process only)
  client_api api = client_api::chat;  ///< the API that carried it (decides how `reply` reads)
};

/// Where requests go. Implementations are thread-safe.
class endpoint {
 public:
  virtual ~endpoint() = default;
  /// Sends one Chat Completions body and records the answer; never throws. Gives up after the
  /// endpoint's timeout (exchange.transport_error) or when `stop` is requested.
  virtual exchange send(const std::string& body, bool stream, std::stop_token stop) = 0;
  /// Public model names (GET /v1/models).
  virtual result<std::vector<std::string>> models() = 0;
};

/// A proxy over HTTP: `base_url` includes /v1 ("http://127.0.0.1:8081/v1"). `api_key`, when
/// set, is sent as a bearer token (never logged). The fixer is invisible over HTTP:
/// exchanges say tools_via::unknown unless the reply shows no call at all.
/// `api` picks the path and the body format (Messages: x-api-key + anthropic-version headers).
std::unique_ptr<endpoint> make_http_endpoint(std::shared_ptr<transport> http, std::string base_url,
                                             std::chrono::milliseconds timeout,
                                             std::string api_key = {},
                                             client_api api = client_api::chat);

/// An in-process gateway over `cfg` (no server). The gateway's exchange records tell what the
/// fixer did, so `via` is known. Requests for one model must not overlap (the runner runs a
/// model's tests one after another).
std::unique_ptr<endpoint> make_gateway_endpoint(std::shared_ptr<const config> cfg,
                                                std::shared_ptr<transport> http,
                                                std::chrono::milliseconds timeout,
                                                client_api api = client_api::chat);

/// `cfg` with every route's fixer turned off (strip_tools, rescue, emulate_tools): the "raw"
/// side of a raw-vs-fixed run. Everything else (routes, limits, fallbacks) is unchanged.
config without_fixer(const config& cfg);

// ---- client profiles ----------------------------------------------------------------------

/// How the client shows a file read to the model.
enum class read_format {
  crush,        ///< "<file>\n" + "%6d|line" + "\n</file>"
  opencode,     ///< "<path>..</path><type>file</type><content>\n1: line ... (End of file ...)"
  cat_n,        ///< Claude Code: "%6d\tline"
  shell_plain,  ///< Codex: shell output, "Exit code: 0 ... Output:\n" + the raw file
};

/// The tools a real client sends, and which of them play each role.
struct client_profile {
  std::string name;               ///< crush | opencode | opencode-v2 | claude-code | codex
  std::vector<tool_spec> tools;   ///< the whole array, sent with every test
  std::string tools_hash;         ///< FNV-1a 64 of the JSON array (hex), for the report
  read_format reads = read_format::crush;
  std::string read_tool, read_path;        ///< empty: the client reads through its shell
  std::string write_tool, write_path, write_content;
  std::string edit_tool, edit_path, edit_old, edit_new;  ///< empty: edits through a patch
  std::string patch_tool, patch_text;
  std::string shell_tool, shell_command;
  bool shell_argv = false;        ///< the shell's command is an argv array (Codex `shell`)
};

/// The built-in profile called `name` (tool arrays from docs/evaluator.md A.1-A.5);
/// errc::invalid_request naming the known profiles otherwise.
result<client_profile> builtin_profile(std::string_view name);
/// "crush", "opencode", "opencode-v2", "claude-code", "codex".
const std::vector<std::string>& profile_names();

/// The read tool's output for `path` with `text`, as the profile's client writes it.
std::string format_read_output(const client_profile& profile, std::string_view path,
                               std::string_view text);

// ---- grading ------------------------------------------------------------------------------

/// Checks that source code parses; returns nullopt when it does, else the parser's message.
/// The CLI runs `python3 -c "import ast,sys; ast.parse(sys.stdin.read())"`; tests inject one.
using syntax_checker = std::function<std::optional<std::string>(std::string_view python_source)>;

/// Grades one test from its recorded exchanges (in the order sent; T3 and T4 hold the whole
/// conversation in the last request; T9 and T10 replay every reply on the virtual file system;
/// T12 holds one exchange per profile, crush, opencode, opencode-v2). An empty `check_python` leaves the syntax check out:
/// T2 is then at best a warn ("T2.unchecked") and T4's reason says the file was not parsed.
/// Pure: the same exchanges always give the same grade.
grade grade_test(test_id id, const client_profile& profile, const std::vector<exchange>& exchanges,
                 const syntax_checker& check_python);

/// The file T4 shows the model (calc.py with a failing test) and whether `fixed` fixes it.
std::string_view t4_fixture();
bool t4_is_fixed(std::string_view fixed_text);

// ---- running ------------------------------------------------------------------------------

/// One model to evaluate (a public name of the proxy), and how.
struct model_target {
  std::string public_name;
  std::string upstream_model;  ///< for the "Model" column; empty: same as the public name
  std::string fixer;           ///< "off" (raw side), or the route's policy ("rescue", "—", ...)
  endpoint* target = nullptr;  ///< not owned
};

/// One test of one model over `repeats` runs.
struct test_result {
  test_id id = test_id::t1_tool_call;
  std::vector<grade> runs;             ///< one per repeat
  std::vector<exchange> exchanges;     ///< every exchange of every run (in order)
  std::int64_t median_latency_us = 0;  ///< median over the runs' exchanges
  std::int64_t median_ttft_us = 0;     ///< streams only
  int passes() const noexcept;
  /// tau-bench: pass^k = every one of the k runs passed; pass@k = at least one did.
  bool pass_hat_k() const noexcept;
  bool pass_at_k() const noexcept;
  /// The verdict shown in the table: the worst of the runs (fail < warn < pass; all
  /// skipped: skipped).
  verdict summary() const noexcept;
  /// The first run that did not pass (for the failures section); nullptr when all passed.
  const grade* first_problem() const noexcept;
};

struct model_result {
  model_target model;
  std::vector<test_result> tests;
  std::int64_t median_latency_us = 0;  ///< p50 over every exchange of the model
  std::int64_t p95_latency_us = 0;     ///< p95 (nearest rank) over every exchange of the model
  /// Score over a fixed denominator: pass 2, warn 1, anything else 0 (skipped, fail, infra),
  /// out of 2 x tests x repeats, so a gated or missing run lowers it (docs/evaluator.md C.7).
  int points = 0;
  int max_points = 0;
  double score() const noexcept { return max_points ? static_cast<double>(points) / max_points : 0.0; }
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  tools_via via = tools_via::unknown;  ///< how T1's calls reached the client (first run)
  bool complete = false;               ///< false when the run was interrupted
};

struct run_options {
  client_profile profile;
  std::vector<test_id> tests = all_tests();
  int repeats = 1;
  int concurrency = 1;          ///< models evaluated at once (a model's tests run in order)
  syntax_checker check_python;  ///< empty: no syntax check
  bool simulated = false;       ///< figures come from a simulated upstream: say so
};

/// Progress of a running evaluation (called from worker threads, serialised).
struct progress_event {
  std::string model;
  std::string fixer;
  test_id id = test_id::t1_tool_call;
  int run = 0;  ///< 0-based repeat
  grade result;
  std::int64_t latency_us = 0;
  int done = 0, total = 0;  ///< test runs finished / planned over the whole evaluation
};

struct report {
  std::vector<model_result> models;  ///< in the order given
  std::vector<test_id> tests;
  std::string profile;
  std::string tools_hash;
  client_api api = client_api::chat;
  int repeats = 1;
  bool simulated = false;
  bool partial = false;  ///< interrupted (Ctrl-C): some results are missing
  std::string started_at;  ///< UTC, ISO 8601
  std::string command;     ///< how it was run (for the report header)
};

/// Runs every test of `options` for every target; stops early (partial report) when `stop`
/// is requested. Infrastructure failures (timeout, 5xx, garbage) fail the test with an
/// "infra." code and the run goes on.
report run_evaluation(const std::vector<model_target>& targets, const run_options& options,
                      const std::function<void(const progress_event&)>& on_progress,
                      std::stop_token stop);

// ---- reports ------------------------------------------------------------------------------

/// The comparison table for a terminal (aligned columns): Model, Proxy name, Fixer, T1.., Latency,
/// Tokens, Tools via.
std::string render_table(const report& r);
/// Markdown: a header block, the comparison table, pass^k / pass@k when repeated, and every
/// non-pass with its code, reason and the request/reply excerpt that decided it.
std::string render_markdown(const report& r);
/// The whole report as one JSON object (grades, latencies, tokens, exchanges' excerpts).
std::string render_json(const report& r);

/// `--suggest-config`: for each evaluated public name of `cfg`, the `[[models]]` entry whose
/// fixer made it pass (every test pass or warn): the raw run passing -> native (no fixer);
/// only the fixed run passing -> the route's fixer as configured; nothing passing -> a
/// "# nothing passed: ..." comment. TOML ready to paste under the config's providers.
std::string render_suggested_config(const report& r, const config& cfg);

}  // namespace eval
}  // namespace v0
}  // namespace harness
