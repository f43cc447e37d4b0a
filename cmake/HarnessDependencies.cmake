# Finds every dependency once (Debian packages first) and gives each one internal target name.
find_package(simdjson 3 REQUIRED)
find_package(fmt 9 REQUIRED)
find_package(tomlplusplus 3.3 REQUIRED)

# RapidJSON: Debian's config sets only an include variable; Conan's defines a target.
find_package(RapidJSON REQUIRED)
if(NOT TARGET harness_rapidjson)
  add_library(harness_rapidjson INTERFACE)
  if(TARGET rapidjson)
    target_link_libraries(harness_rapidjson INTERFACE rapidjson)
  else()
    target_include_directories(harness_rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIRS})
  endif()
endif()

# libcurl: the harness::curl component (curl_multi_wakeup needs 7.68); the server needs it too.
if(HARNESS_WITH_CURL OR HARNESS_BUILD_SERVER OR HARNESS_BUILD_CLI OR HARNESS_BUILD_TESTS)
  find_package(CURL 7.68 REQUIRED)
endif()
if(HARNESS_BUILD_TESTS)
  # cpp-httplib: the tests' fake upstreams and HTTP clients (harness-server has its own epoll
  # front, server/front/). Debian ships a compiled library with only a pkg-config file, whose
  # -D flags are part of its ABI; newer packagings ship a CMake config.
  find_package(httplib CONFIG QUIET)
  if(NOT TARGET httplib::httplib)
    find_package(PkgConfig REQUIRED)
    pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib>=0.11)
    add_library(httplib::httplib ALIAS PkgConfig::HTTPLIB)
  endif()
endif()
if(HARNESS_BUILD_SERVER OR HARNESS_BUILD_CLI OR HARNESS_BUILD_TESTS)
  find_package(CLI11 QUIET CONFIG)
  if(NOT TARGET CLI11::CLI11)
    add_library(CLI11::CLI11 INTERFACE IMPORTED)
  endif()
endif()

if(HARNESS_BUILD_TESTS)
  find_package(Catch2 2.13 REQUIRED)
  include(Catch)
endif()
