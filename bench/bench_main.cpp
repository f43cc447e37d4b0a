// bench_main.cpp: harness-bench entry point (Google Benchmark 1.7.x).
#include <benchmark/benchmark.h>

#include <harness/version.h>

int main(int argc, char** argv) {
  benchmark::AddCustomContext("harness_version", harness::version());
  benchmark::AddCustomContext("harness_data_dir", HARNESS_BENCH_DATA_DIR);
  benchmark::AddCustomContext("alloc_counter", "global operator new/delete replaced (counted)");
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
