# cw_warnings: the warning set for crosswalk's own targets (never for
# third-party code).
add_library(cw_warnings INTERFACE)
target_compile_options(cw_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -Wold-style-definition -Wformat=2 -Wcast-qual -Wvla -Wundef
  -Wimplicit-fallthrough -Wwrite-strings -Werror=implicit-function-declaration
  # implicit conversions that may change a value (in C also its sign): a
  # length into an int, a code point into a char, a count into a uint32_t
  # field is cast where it is known to fit, so the cast says it was checked
  -Wconversion -Wsign-conversion)
if(CW_WERROR)
  target_compile_options(cw_warnings INTERFACE -Werror)
endif()
