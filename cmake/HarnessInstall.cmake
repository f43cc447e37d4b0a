# Installs libharness: headers (with the generated version.h), the static libraries, the CMake
# package (harnessConfig.cmake, harnessConfigVersion.cmake, one targets file per component) and
# one pkg-config file per library. Generic over the components that libharness/CMakeLists.txt
# created with harness_component() (recorded in the global property HARNESS_COMPONENTS), so a
# new component is installed and exported without touching this file, as long as every link
# dependency it has is known to harness_describe_dependency() below.
include(CMakePackageConfigHelpers)

set(HARNESS_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/harness)
set(HARNESS_INSTALL_PKGCONFIGDIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# How a consumer finds one link dependency again. Sets, in the caller's scope:
#   dep_find  the find_dependency() arguments ("" when none is needed)
#   dep_pc    pkg-config module to require ("" when none)
#   dep_flags pkg-config Libs flags (for what has no .pc, e.g. -pthread)
#   dep_component  the harness component it is, when it is one ("core" for harness::harness)
#   dep_known FALSE when the dependency is not in the table (the caller refuses to export)
function(harness_describe_dependency lib)
  set(find "")
  set(pc "")
  set(flags "")
  set(component "")
  set(known TRUE)
  if(TARGET ${lib})
    get_target_property(aliased ${lib} ALIASED_TARGET)
    if(aliased)
      set(lib ${aliased})
    endif()
  endif()
  if(lib STREQUAL "harness")
    set(component core)
    set(pc harness)
  elseif(lib MATCHES "^harness_(.+)_lib$")
    set(component ${CMAKE_MATCH_1})
    set(pc harness-${CMAKE_MATCH_1})
  elseif(lib STREQUAL "simdjson::simdjson")
    set(find "simdjson 3")
    set(pc simdjson)
  elseif(lib STREQUAL "fmt::fmt")
    set(find "fmt 9")
    set(pc fmt)
  elseif(lib STREQUAL "tomlplusplus::tomlplusplus")
    set(find "tomlplusplus 3.3")
    set(pc tomlplusplus)
  elseif(lib STREQUAL "CURL::libcurl")
    set(find "CURL 7.68")
    set(pc libcurl)
  elseif(lib STREQUAL "Threads::Threads")
    set(find "Threads")
    set(flags -pthread)
  else()
    set(known FALSE)
  endif()
  set(dep_find "${find}" PARENT_SCOPE)
  set(dep_pc "${pc}" PARENT_SCOPE)
  set(dep_flags "${flags}" PARENT_SCOPE)
  set(dep_component "${component}" PARENT_SCOPE)
  set(dep_known ${known} PARENT_SCOPE)
endfunction()

# Reads the link dependencies of `target` into <prefix>_find (list of find_dependency argument
# strings, ';'-joined with '|' inside), <prefix>_pc, <prefix>_flags, <prefix>_components and
# <prefix>_ok (FALSE when one is unknown).
function(harness_collect_dependencies target prefix)
  get_target_property(libs ${target} LINK_LIBRARIES)
  set(finds)
  set(pcs)
  set(flags)
  set(components)
  set(ok TRUE)
  foreach(lib IN LISTS libs)
    if(lib MATCHES "^\\$<BUILD_INTERFACE:" OR NOT lib)
      continue()  # build-tree only, never exported
    endif()
    string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" lib "${lib}")
    harness_describe_dependency(${lib})
    if(NOT dep_known)
      message(WARNING "harness: ${target} links ${lib}, which cmake/HarnessInstall.cmake does not "
                      "know how to find again; ${target} is not installed. Add it to "
                      "harness_describe_dependency().")
      set(ok FALSE)
    endif()
    if(dep_find)
      string(REPLACE " " "|" dep_find "${dep_find}")
      list(APPEND finds ${dep_find})
    endif()
    list(APPEND pcs ${dep_pc})
    list(APPEND flags ${dep_flags})
    list(APPEND components ${dep_component})
  endforeach()
  list(REMOVE_DUPLICATES finds)
  list(REMOVE_DUPLICATES pcs)
  list(REMOVE_DUPLICATES flags)
  list(REMOVE_DUPLICATES components)
  list(REMOVE_ITEM components core)
  set(${prefix}_find "${finds}" PARENT_SCOPE)
  set(${prefix}_pc "${pcs}" PARENT_SCOPE)
  set(${prefix}_flags "${flags}" PARENT_SCOPE)
  set(${prefix}_components "${components}" PARENT_SCOPE)
  set(${prefix}_ok ${ok} PARENT_SCOPE)
endfunction()

# pkg-config files locate the prefix from their own directory, so the tree can be moved (and
# `cmake --install --prefix` works whatever CMAKE_INSTALL_PREFIX was at configure time).
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(HARNESS_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(HARNESS_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH _up "/prefix/${HARNESS_INSTALL_PKGCONFIGDIR}" "/prefix")
  string(REGEX REPLACE "/$" "" _up "${_up}")
  set(HARNESS_PC_PREFIX "\${pcfiledir}/${_up}")
  set(HARNESS_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(HARNESS_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(HARNESS_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()

# Writes and installs <pc_name>.pc.
function(harness_install_pkgconfig pc_name description library requires flags)
  set(PC_NAME ${pc_name})
  set(PC_DESCRIPTION "${description}")
  list(JOIN requires " " PC_REQUIRES)
  list(JOIN flags " " PC_FLAGS)
  set(PC_LIBRARY ${library})
  configure_file(${PROJECT_SOURCE_DIR}/cmake/harness.pc.in
                 ${PROJECT_BINARY_DIR}/pkgconfig/${pc_name}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/pkgconfig/${pc_name}.pc
          DESTINATION ${HARNESS_INSTALL_PKGCONFIGDIR})
endfunction()

# Headers: every public header (a component's too: they are std-only) and the generated one.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/libharness/include/harness
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/libharness/include/harness/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/harness)

# The core.
harness_collect_dependencies(harness core)
install(TARGETS harness EXPORT harness-targets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT harness-targets NAMESPACE harness:: FILE harness-targets.cmake
        DESTINATION ${HARNESS_INSTALL_CMAKEDIR})
harness_install_pkgconfig(harness "${PROJECT_DESCRIPTION} (core: types, codecs, fixer, rescue)"
                          harness "${core_pc}" "${core_flags}")
set(_core_block "")
foreach(f IN LISTS core_find)
  string(REPLACE "|" " " f "${f}")
  string(APPEND _core_block "find_dependency(${f})\n")
endforeach()

# Components, in creation order (a component only links components created before it).
get_property(_components GLOBAL PROPERTY HARNESS_COMPONENTS)
set(HARNESS_INSTALLED_COMPONENTS)
set(_component_blocks "")
set(_closure_lines "")
foreach(c IN LISTS _components)
  harness_collect_dependencies(harness_${c}_lib comp)
  if(NOT comp_ok)
    continue()
  endif()
  list(APPEND HARNESS_INSTALLED_COMPONENTS ${c})
  install(TARGETS harness_${c}_lib EXPORT harness-${c}-targets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(EXPORT harness-${c}-targets NAMESPACE harness:: FILE harness-${c}-targets.cmake
          DESTINATION ${HARNESS_INSTALL_CMAKEDIR})
  harness_install_pkgconfig(harness-${c} "libharness component ${c}" harness_${c}
                            "${comp_pc}" "${comp_flags}")
  # The components it needs, transitively (theirs were computed first).
  set(_needs ${comp_components})
  foreach(n IN LISTS comp_components)
    list(APPEND _needs ${_needs_${n}})
  endforeach()
  list(REMOVE_DUPLICATES _needs)
  set(_needs_${c} ${_needs})
  if(_needs)
    string(APPEND _closure_lines
           "if(\"${c}\" IN_LIST _harness_load)\n  list(APPEND _harness_load ${_needs})\nendif()\n")
  endif()
  string(APPEND _component_blocks "if(\"${c}\" IN_LIST _harness_load)\n")
  foreach(f IN LISTS comp_find)
    string(REPLACE "|" " " f "${f}")
    string(APPEND _component_blocks "  find_dependency(${f})\n")
  endforeach()
  string(APPEND _component_blocks
         "  include(\"\${CMAKE_CURRENT_LIST_DIR}/harness-${c}-targets.cmake\")\n"
         "  set(harness_${c}_FOUND TRUE)\nendif()\n")
endforeach()

# The package config: the core always, then the components asked for (all when none is named).
# Generated text goes through configure_package_config_file's @VAR@ substitution.
set(HARNESS_CONFIG_CORE "${_core_block}")
set(HARNESS_CONFIG_CLOSURE "${_closure_lines}")
set(HARNESS_CONFIG_COMPONENTS "${_component_blocks}")
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/harnessConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/harnessConfig.cmake
                              INSTALL_DESTINATION ${HARNESS_INSTALL_CMAKEDIR})
# 0.x: a minor release may change the public headers (README, Versioning), so only the same
# minor version is compatible; from 1.0 on this becomes SameMajorVersion.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(_compat SameMinorVersion)
else()
  set(_compat SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/harnessConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY ${_compat})
install(FILES ${PROJECT_BINARY_DIR}/harnessConfig.cmake
              ${PROJECT_BINARY_DIR}/harnessConfigVersion.cmake
        DESTINATION ${HARNESS_INSTALL_CMAKEDIR})

# The programs, when built.
foreach(program harness-server harness-cli)
  if(TARGET ${program})
    install(TARGETS ${program} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/README.md
              ${PROJECT_SOURCE_DIR}/CHANGELOG.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
