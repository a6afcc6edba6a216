# CW_SANITIZE=ON builds the library, CLI, plugins and tests with ASan+UBSan.
if(CW_SANITIZE)
  set(CW_SANITIZE_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_compile_options(${CW_SANITIZE_FLAGS})
  add_link_options(${CW_SANITIZE_FLAGS})
  # Keep plugins mapped so ASan stack traces inside them stay symbolised.
  add_compile_definitions(CW_KEEP_PLUGINS_LOADED=1)
endif()
