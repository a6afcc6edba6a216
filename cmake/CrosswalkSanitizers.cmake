# CW_SANITIZE=ON builds the library, CLI, plugins and tests with ASan+UBSan.
if(CW_SANITIZE)
  set(CW_SANITIZE_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_compile_options(${CW_SANITIZE_FLAGS})
  add_link_options(${CW_SANITIZE_FLAGS})
  # Keep plugins mapped so ASan stack traces inside them stay symbolised.
  add_compile_definitions(CW_KEEP_PLUGINS_LOADED=1)
endif()

# CW_FUZZ=ON instruments everything for libFuzzer's coverage feedback; the
# fuzz targets themselves link -fsanitize=fuzzer (tests/fuzz).
if(CW_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CW_FUZZ=ON needs clang: configure with CC=clang")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# Shared objects are linked with -z defs so a missing symbol is a link error,
# except where clang leaves sanitizer/coverage runtime symbols for the
# executable to provide.
set(CW_LINK_NO_UNDEFINED -Wl,-z,defs)
if(CMAKE_C_COMPILER_ID MATCHES "Clang" AND (CW_SANITIZE OR CW_FUZZ))
  set(CW_LINK_NO_UNDEFINED "")
endif()
