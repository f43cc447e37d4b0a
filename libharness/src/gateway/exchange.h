// exchange.h: one client request on its way through the gateway (a state machine driven by
// the transport's callbacks).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include <harness/fixer.h>
#include <harness/gateway.h>
#include <harness/stream.h>

#include "gateway/core.h"
#include "gateway/routes.h"
#include "gateway/recording_tap.h"

namespace harness::detail {

class exchange : public response_sink, public std::enable_shared_from_this<exchange> {
 public:
  exchange(std::shared_ptr<gateway_core> core, dialect client, chat_request request,
           std::shared_ptr<client_sink> sink, std::stop_token stop);

  /// Takes the client's request headers that matter upstream (before begin()): `anthropic-beta`
  /// goes on to an Anthropic upstream when the client speaks Anthropic.
  void use_client_headers(const header_list& headers);

  /// Routes the request and starts the first attempt, or answers the error.
  void begin();

  void on_head(int status, const header_list& headers) override;
  bool on_body(std::string_view bytes) override;
  /// A stream relays only as fast as the client reads; a whole answer is always taken.
  bool ready_for_body() override { return !committed_ || sink_->ready_for_body(); }
  void on_complete(result<void> outcome) override;

  /// Answers `err` in the client's dialect (only before anything was sent).
  void fail_before_head(const error& err, const header_list& headers = {});

  /// Records this exchange's upstream attempts and its end (gateway_options::recorder).
  void use_recording(std::shared_ptr<recording_tap> tap) { recording_ = std::move(tap); }

 private:
  void start_attempt();
  result<std::string> encode_attempt(const model_route& route, const resolved_policy& policy,
                                     const std::string& upstream_model);
  void retry_or_fail(const error& err, const header_list& headers);
  void finish_non_stream();
  void emit_events();
  void answer_stream_from(const chat_response& response);
  void end_stream();
  void finish_record(int status, std::string error_text);
  /// Automatic routes: the facts for this attempt, or false when a discovery was started and
  /// the attempt resumes when it ends (policy resolution, gateway/routes.h).
  bool facts_ready(const model_route& route, const std::string& upstream_model);
  /// An upstream 4xx saying the model cannot take tools / thinking: learn it and retry once
  /// on the same route. True when the retry was started.
  bool retry_learned(const error& err);

  std::shared_ptr<gateway_core> core_;
  dialect client_;
  chat_request request_;
  std::shared_ptr<client_sink> sink_;
  std::stop_token stop_;

  // Policy of the current attempt (automatic routes: discovery / learning).
  std::string facts_key_;                ///< provider + upstream model of the current attempt
  std::optional<model_facts> facts_;     ///< what is known for facts_key_ (nullopt: nothing)
  bool automatic_ = false;
  bool sent_tools_ = false;              ///< the attempt offered tools natively
  bool sent_thinking_ = false;           ///< the attempt asked for thinking
  bool learned_retry_ = false;           ///< the one learned retry was made

  std::vector<const model_route*> candidates_;
  std::size_t candidate_ = 0;
  int tries_on_candidate_ = 0;
  const provider_config* provider_ = nullptr;
  std::string anthropic_beta_;  ///< the client's anthropic-beta header; empty: none
  std::shared_ptr<recording_tap> recording_;  ///< null: not recorded
  header_list client_headers_;  ///< extra headers of a successful answer (x-harness-dropped-tools)

  // The fixer, per attempt (the route decides it).
  std::vector<tool_spec> rescue_tools_;
  bool emulated_ = false;
  bool upstream_stream_ = false;
  std::unique_ptr<stream_fixer> fixer_;
  std::unique_ptr<stream_guard> guard_;  ///< checks native calls where the fixer is on
  int calls_out_ = 0;            ///< tool calls sent to the client (native and rescued)
  bool stream_failed_ = false;   ///< an error event went to the client

  // Per attempt.
  int status_ = 0;
  header_list headers_;
  std::string body_;
  bool committed_ = false;  ///< the client's head was sent: no retry possible any more
  bool ended_ = false;
  std::unique_ptr<stream_decoder> decoder_;
  std::unique_ptr<stream_encoder> encoder_;
  std::vector<stream_event> events_;
  std::string out_;

  exchange_record record_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point attempt_started_;
};

}  // namespace harness::detail
