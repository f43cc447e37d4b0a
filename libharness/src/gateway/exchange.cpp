#include "gateway/exchange.h"

#include <algorithm>

#include <harness/codec.h>

#include "core/ascii.h"
#include "gateway/exchange_outcome.h"
#include "gateway/discovery.h"
#include "gateway/request_edit.h"
#include "gateway/upstream_refusals.h"
#include "gateway/upstream_request.h"

namespace harness::detail {
namespace {

using clock = std::chrono::steady_clock;

std::int64_t micros_since(clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - t).count();
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool is_success(int status) { return status >= 200 && status < 300; }

// Statuses worth another attempt: rate limits and server-side trouble, never client errors.
bool retryable_status(int status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
         status == 504 || status == 529;
}

bool retryable_error(const error& err) {
  return err.code == errc::upstream_transport || err.code == errc::timeout ||
         (err.code == errc::upstream_http && retryable_status(err.http_status));
}

const std::string* find_header(const header_list& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

// Upper bound of an upstream error body we keep (the rest is irrelevant for the message).
constexpr std::size_t max_error_body = 64 * 1024;

}  // namespace

exchange::exchange(std::shared_ptr<gateway_core> core, dialect client, chat_request request,
                   std::shared_ptr<client_sink> sink, std::stop_token stop)
    : core_(std::move(core)),
      client_(client),
      request_(std::move(request)),
      sink_(std::move(sink)),
      stop_(std::move(stop)),
      started_(clock::now()) {
  record_.client = client_;
  record_.model = request_.model;
  record_.stream = request_.stream;
}

void exchange::use_client_headers(const header_list& headers) {
  for (const auto& [name, value] : headers) {
    if (ascii_iequals(name, "anthropic-beta")) anthropic_beta_ = value;
  }
}

void exchange::begin() {
  const config& cfg = *core_->cfg;
  const model_route* route = cfg.find_model(request_.model);
  if (route == nullptr) {
    std::string known;
    for (const auto& m : cfg.models) {
      if (!known.empty()) known += ", ";
      known += m.name;
    }
    error err = make_error(errc::invalid_request,
                           "unknown model '" + request_.model + "'; known models: " +
                               (known.empty() ? "(none configured)" : known),
                           "$.model");
    err.http_status = 404;
    fail_before_head(err);
    return;
  }
  candidates_.push_back(route);
  for (const auto& name : route->policy.fallbacks) {
    if (const model_route* fb = cfg.find_model(name); fb != nullptr) candidates_.push_back(fb);
  }
  start_attempt();
}

// Encodes this attempt's upstream body: the client's request as the route and its policy want
// it (upstream model id, limits, the fixer). The request is edited in place and put back before
// this returns, so nothing else ever sees the edit: copying it per attempt (every message, every
// tool schema) was 7-13 % of the proxy's CPU. Messages and tools are saved first only when the
// attempt rewrites them. Nothing in here calls out (no transport, no sink, no callback).
result<std::string> exchange::encode_attempt(const model_route& route,
                                             const resolved_policy& policy,
                                             const std::string& upstream_model) {
  request_edit edit(request_);
  chat_request& upstream = request_;
  upstream.model = upstream_model;
  // A model that cannot think answers 400 to thinking (Claude Code always asks for it).
  if (policy.drop_thinking) upstream.reasoning = {};
  if (!upstream.max_tokens && route.policy.max_tokens) upstream.max_tokens = route.policy.max_tokens;
  // Server tools this backend cannot run are dropped, and the client is told which.
  if (has_hosted_tools(upstream, provider_->kind)) edit.save_tools();
  record_.dropped_tools = drop_hosted_tools(upstream, provider_->kind);
  client_headers_.clear();
  if (!record_.dropped_tools.empty()) {
    std::string names;
    for (const auto& name : record_.dropped_tools) names += (names.empty() ? "" : ", ") + name;
    client_headers_.emplace_back("x-harness-dropped-tools", std::move(names));
  }

  // The fixer, as the route's policy says.
  rescue_tools_.clear();
  emulated_ = false;
  record_.tools_stripped = false;
  record_.tools_emulated = false;
  const bool emulate = policy.emulate_tools && !upstream.tools.empty();
  if (emulate || policy.strip_tools) {
    edit.save_tools();
    edit.save_messages();
  }
  if (emulate) {
    rescue_tools_ = emulate_tools(upstream, provider_->kind == dialect::ollama);
    emulated_ = !rescue_tools_.empty();
    record_.tools_emulated = emulated_;
  } else if (policy.strip_tools) {
    record_.tools_stripped = !upstream.tools.empty();
    strip_tools(upstream);
  } else if (policy.rescue) {
    rescue_tools_ = upstream.tools;
  }
  sent_tools_ = !emulated_ && !upstream.tools.empty();
  sent_thinking_ = upstream.reasoning.kind == reasoning_config::mode::enabled ||
                   upstream.reasoning.kind == reasoning_config::mode::adaptive ||
                   !upstream.reasoning.effort.empty();
  // An emulated reply must be seen whole before it can be unwrapped: ask for it in one piece
  // and replay it as a stream to a streaming client.
  upstream.stream = upstream.stream && !emulated_;
  upstream_stream_ = upstream.stream;
  // Always ask for usage upstream: logs and Anthropic clients need it (translation.md A.2).
  if (upstream.stream) upstream.include_usage = true;

  encode_options options;
  if (route.policy.num_ctx) options.num_ctx = *route.policy.num_ctx;
  auto translator = core_->translators.take();
  auto body = translator->encode_request(provider_->kind, upstream, options);
  if (body && !route.policy.num_ctx && provider_->kind == dialect::ollama &&
      policy.context_length > 0) {
    // Ollama's small default context silently truncates coding-tool prompts: size it.
    options.num_ctx = pick_num_ctx(policy.context_length, body->size(),
                                   upstream.max_tokens.value_or(0));
    body = translator->encode_request(provider_->kind, upstream, options);
  }
  return body;
}

void exchange::start_attempt() {
  if (stop_.stop_requested()) {
    finish_record(499, "client went away");
    return;
  }
  const config& cfg = *core_->cfg;
  const model_route& route = *candidates_[candidate_];
  provider_ = cfg.find_provider(route.provider);
  if (provider_ == nullptr) {
    fail_before_head(make_error(errc::config, "model '" + route.name +
                                                  "' names unknown provider '" + route.provider +
                                                  "'"));
    return;
  }
  if (!provider_->api_key_env.empty() && !provider_->key_present()) {
    error err = make_error(errc::config, "no API key for provider '" + provider_->name +
                                             "': " + missing_key_hint(cfg, *provider_));
    err.http_status = 401;
    retry_or_fail(err, {});
    return;
  }

  // A prefix route without an upstream id passes the rest of the client's name through; a
  // name reached another way (default_model, a fallback) goes through as the client sent it.
  std::string upstream_model = request_.model;
  if (!route.model.empty()) {
    upstream_model = route.model;
  } else if (!route.name.empty() && route.name.back() == '*') {
    const std::string_view prefix(route.name.data(), route.name.size() - 1);
    if (request_.model.size() > prefix.size() && request_.model.compare(0, prefix.size(), prefix) == 0) {
      upstream_model = request_.model.substr(prefix.size());
    }
  }
  if (!facts_ready(route, upstream_model)) return;  // resumes when discovery ends
  const resolved_policy policy = resolve_policy(cfg, route, facts_ ? &*facts_ : nullptr);
  record_.policy_source = policy.source;
  result<std::string> body = encode_attempt(route, policy, upstream_model);
  if (!body) {
    fail_before_head(body.error_value());
    return;
  }

  status_ = 0;
  headers_.clear();
  body_.clear();
  decoder_.reset();
  encoder_.reset();
  ++tries_on_candidate_;
  ++record_.attempts;
  record_.provider = provider_->name;
  record_.upstream_model = upstream_model;
  attempt_started_ = clock::now();
  http_request outgoing =
      make_upstream_request(*provider_, cfg.server, std::move(*body), upstream_stream_);
  // The betas unlock fields an Anthropic client's body carries through (context_management,
  // defer_loading, ...); only the real Anthropic API knows them (translation.md A.1 headers).
  if (provider_->kind == dialect::anthropic && client_ == dialect::anthropic &&
      !anthropic_beta_.empty()) {
    outgoing.headers.emplace_back("anthropic-beta", anthropic_beta_);
  }
  std::shared_ptr<response_sink> target = shared_from_this();
  if (recording_) {
    // The policy as applied to this attempt (an automatic one resolved), for replay.
    model_policy applied = route.policy;
    applied.strip_tools = policy.strip_tools;
    applied.emulate_tools = policy.emulate_tools;
    applied.rescue = policy.rescue;
    recorded_attempt attempt{record_.attempts, route.name, provider_->name, provider_->kind,
                             upstream_model, {}, upstream_stream_, std::move(applied)};
    target = recording_->upstream_attempt(std::move(attempt), outgoing, std::move(target));
  }
  core_->upstream->start(std::move(outgoing), std::move(target), stop_);
}

void exchange::on_head(int status, const header_list& headers) {
  status_ = status;
  headers_ = headers;
  const auto latency = static_cast<std::uint64_t>(micros_since(attempt_started_));
  core_->latency_us_sum += latency;
  ++core_->latency_count;
  if (!upstream_stream_ || !is_success(status)) return;
  // A JSON answer to a stream request (an error body behind a 200, or a server that ignored
  // "stream"): take it whole, as nothing reached the client yet it can still get a status.
  if (const auto* type = find_header(headers, "content-type");
      type != nullptr && type->rfind("application/json", 0) == 0) {
    upstream_stream_ = false;
    return;
  }

  // Commit: from here on the client sees this attempt; failures become error events.
  if (!rescue_tools_.empty()) {
    guard_ = std::make_unique<stream_guard>(request_.tools);
    fixer_ = std::make_unique<stream_fixer>(std::move(rescue_tools_));  // no attempt follows
  }
  stream_encoder_options options;
  options.model = request_.model;
  options.include_usage = request_.include_usage;
  options.freeform_tools = freeform_tools(request_);
  options.tool_namespaces = tool_namespaces(request_);
  options.created = unix_now();
  decoder_ = make_stream_decoder(provider_->kind);
  encoder_ = make_stream_encoder(client_, std::move(options));
  committed_ = true;
  // No other attempt can follow a committed one: the conversation (most of a coding tool's
  // request, often 100 KB and more) is not needed for the minutes a stream may last.
  std::vector<message>().swap(request_.messages);
  ++core_->open_streams;
  record_.first_byte_us = micros_since(started_);
  sink_->on_head(200, stream_content_type(client_), client_headers_);
}

bool exchange::on_body(std::string_view bytes) {
  if (stop_.stop_requested()) return false;
  if (!committed_) {
    // A whole JSON answer, or an error body: keep it (error bodies only up to a bound).
    if (is_success(status_) || body_.size() < max_error_body) body_.append(bytes);
    return true;
  }
  decoder_->feed(bytes, events_);
  emit_events();
  if (out_.empty()) return true;
  const bool ok = sink_->on_body(out_);
  out_.clear();
  return ok;
}

void exchange::emit_events() {
  if (guard_) guard_->process(events_);
  if (fixer_) fixer_->process(events_);
  for (const auto& ev : events_) {
    if (ev.type == stream_event::kind::usage) record_.usage = ev.usage;
    if (ev.type == stream_event::kind::block_start && ev.block == block_type::tool_call) {
      ++calls_out_;
    }
    if (ev.type == stream_event::kind::error && !stream_failed_) {
      stream_failed_ = true;
      record_.error = ev.err.message;  // kept by on_complete when the transport ended well
    }
    encoder_->encode(ev, out_);
  }
  events_.clear();
}

void exchange::on_complete(result<void> outcome) {
  if (committed_) {
    if (outcome) {
      decoder_->finish(events_);
    } else {
      stream_event ev;
      ev.type = stream_event::kind::error;
      ev.err = outcome.error_value();
      events_.push_back(std::move(ev));
    }
    emit_events();
    // A stream that ended without closing (decoder said nothing more) still gets an end.
    if (!encoder_->closed()) {
      stream_event ev;
      ev.type = stream_event::kind::error;
      ev.err = make_error(errc::upstream_transport, "upstream stream ended early");
      events_.push_back(std::move(ev));
      emit_events();
    }
    if (!out_.empty()) (void)sink_->on_body(out_);
    out_.clear();
    --core_->open_streams;
    if (fixer_) {
      record_.calls_rescued = fixer_->report().calls_rescued;
      record_.rescue_family = fixer_->report().rescue_family;
    }
    if (guard_) record_guard(record_, guard_->report());
    record_calls(record_, !request_.tools.empty(), calls_out_);
    if (!outcome || stream_failed_) {
      // A turn that failed counts as an error, not as a text-only turn.
      record_.text_only_with_tools = false;
      record_.error_kind = outcome ? "stream_error" : stream_error_kind(outcome.error_value());
    }
    end_stream();
    finish_record(200, outcome ? std::move(record_.error) : outcome.error_value().message);
    return;
  }
  if (!outcome) {
    if (outcome.error_value().code == errc::canceled) {
      end_stream();
      finish_record(499, "client went away");
      return;
    }
    retry_or_fail(outcome.error_value(), {});
    return;
  }
  if (is_success(status_)) {
    finish_non_stream();
    return;
  }
  error err = decode_error(provider_->kind, status_, body_);
  if (retry_learned(err)) return;
  header_list extra;
  if (const auto* ra = find_header(headers_, "retry-after")) extra.emplace_back("retry-after", *ra);
  retry_or_fail(err, extra);
}

bool exchange::facts_ready(const model_route& route, const std::string& upstream_model) {
  std::string key = facts_key(provider_->name, upstream_model);
  automatic_ = is_automatic(*core_->cfg, route);
  if (key == facts_key_ && facts_) return true;  // handed over by discovery, or a retry
  facts_key_ = key;
  facts_.reset();
  capability_cache& cache = *core_->capabilities;
  if (!automatic_) {
    // A context length someone probed still sizes num_ctx when the config does not.
    if (provider_->kind == dialect::ollama && !route.policy.num_ctx) facts_ = cache.peek(key);
    return true;
  }
  bool start = false;
  auto self = shared_from_this();
  facts_ = cache.get_or_wait(
      key,
      [self, key](const model_facts& facts) {
        self->facts_key_ = key;
        self->facts_ = facts;
        self->start_attempt();
      },
      start);
  if (facts_) return true;
  if (start) {
    // Shared by every request waiting for this model; a client leaving does not cancel it.
    auto core = core_;
    discover(*core_->upstream, *provider_, core_->cfg->server, upstream_model, discovery_timeout,
             [core, key](model_facts facts) { core->capabilities->complete(key, std::move(facts)); });
  }
  return false;
}

bool exchange::retry_learned(const error& err) {
  if (!automatic_ || learned_retry_ || committed_ || stop_.stop_requested()) return false;
  if (err.http_status < 400 || err.http_status >= 500) return false;
  const bool no_tools = sent_tools_ && says_no_tools(err.message);
  const bool no_thinking = !no_tools && sent_thinking_ && says_no_thinking(err.message);
  if (!no_tools && !no_thinking) return false;
  learned_retry_ = true;  // once: never loop
  core_->capabilities->learn(facts_key_, no_tools, no_thinking);
  if (!facts_) facts_.emplace();
  facts_->learned_no_tools = facts_->learned_no_tools || no_tools;
  facts_->learned_no_thinking = facts_->learned_no_thinking || no_thinking;
  --tries_on_candidate_;  // not one of the configured retries
  start_attempt();
  return true;
}

void exchange::retry_or_fail(const error& err, const header_list& headers) {
  const config& cfg = *core_->cfg;
  if (retryable_error(err) && !stop_.stop_requested()) {
    if (tries_on_candidate_ <= cfg.server.retries) {
      // Exponential backoff, or the upstream's retry-after when it asked (bounded).
      auto delay = std::chrono::milliseconds(cfg.server.retry_backoff_ms
                                             << std::min(tries_on_candidate_ - 1, 6));
      if (const auto* ra = find_header(headers_, "retry-after")) {
        const long seconds = std::strtol(ra->c_str(), nullptr, 10);
        if (seconds > 0 && seconds <= 10) delay = std::chrono::milliseconds(seconds * 1000);
      }
      auto self = shared_from_this();
      core_->timers.after(delay, [self] { self->start_attempt(); });
      return;
    }
    if (candidate_ + 1 < candidates_.size()) {
      ++candidate_;
      tries_on_candidate_ = 0;
      start_attempt();
      return;
    }
  }
  fail_before_head(err, headers);
}

void exchange::finish_non_stream() {
  auto response = core_->translators.normalize_response(provider_->kind, body_);
  if (!response && response.error_value().code == errc::upstream_http) {
    // An error body behind a 2xx: the upstream failed (a bad gateway), retried like a 502.
    error err = response.error_value();
    err.http_status = 502;
    retry_or_fail(err, {});
    return;
  }
  if (!response) {
    error err = make_error(errc::upstream_http, "upstream sent an invalid response: " +
                                                    response.error_value().describe());
    err.http_status = 502;
    fail_before_head(err);
    return;
  }
  response->model = request_.model;
  if (response->created == 0) response->created = unix_now();
  record_.usage = response->usage;
  if (!rescue_tools_.empty()) {
    // Native calls are checked before text is rescued (rescued calls are valid by construction).
    record_guard(record_, guard_calls(*response, request_.tools));
    const fix_report fixed = emulated_ ? unwrap_emulated(*response, rescue_tools_)
                                       : rescue_response(*response, rescue_tools_);
    record_.calls_rescued = fixed.calls_rescued;
    record_.rescue_family = fixed.rescue_family;
  }
  record_calls(record_, !request_.tools.empty(),
               static_cast<int>(response->message.tool_calls().size()));
  if (request_.stream) {
    answer_stream_from(*response);
    return;
  }
  auto encoded = encode_response(client_, *response,
                                  {freeform_tools(request_), tool_namespaces(request_)});
  if (!encoded) {
    fail_before_head(encoded.error_value());
    return;
  }
  record_.first_byte_us = micros_since(started_);
  sink_->on_head(200, "application/json", client_headers_);
  (void)sink_->on_body(*encoded);
  end_stream();
  finish_record(200, {});
}

void exchange::answer_stream_from(const chat_response& response) {
  stream_encoder_options options;
  options.model = request_.model;
  options.include_usage = request_.include_usage;
  options.freeform_tools = freeform_tools(request_);
  options.tool_namespaces = tool_namespaces(request_);
  options.created = response.created;
  encoder_ = make_stream_encoder(client_, std::move(options));
  events_ = response_events(response);
  record_.first_byte_us = micros_since(started_);
  sink_->on_head(200, stream_content_type(client_), client_headers_);
  out_.clear();
  for (const auto& ev : events_) encoder_->encode(ev, out_);
  events_.clear();
  (void)sink_->on_body(out_);
  out_.clear();
  end_stream();
  finish_record(200, {});
}

void exchange::fail_before_head(const error& err, const header_list& headers) {
  if (ended_) return;
  record_.error_kind = error_kind_of(err, !candidates_.empty());
  sink_->on_head(err.http_status, "application/json", headers);
  (void)sink_->on_body(encode_error(client_, err));
  end_stream();
  finish_record(err.http_status, err.message);
}

void exchange::end_stream() {
  if (ended_) return;
  ended_ = true;
  sink_->on_end();
}

void exchange::finish_record(int status, std::string error_text) {
  if (!ended_) end_stream();
  record_.status = status;
  record_.error = std::move(error_text);
  if (status == 499) record_.error_kind = "canceled";
  record_.total_us = micros_since(started_);
  if (recording_) recording_->finish(record_);
  core_->record(record_);
}

}  // namespace harness::detail
