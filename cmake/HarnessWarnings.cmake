# One warning set and sanitizer switch for every target of the project.
function(harness_setup_target target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Werror=unused-result)
  if(HARNESS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(HARNESS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
