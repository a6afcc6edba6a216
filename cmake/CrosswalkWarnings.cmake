# cw_warnings: the warning set for crosswalk's own targets (never for
# third-party code).
add_library(cw_warnings INTERFACE)
target_compile_options(cw_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -Wold-style-definition -Wformat=2 -Wcast-qual -Wvla -Wundef
  -Wimplicit-fallthrough -Wwrite-strings -Werror=implicit-function-declaration)
if(CW_WERROR)
  target_compile_options(cw_warnings INTERFACE -Werror)
endif()
