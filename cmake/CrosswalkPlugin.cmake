# crosswalk_add_plugin(<name> SOURCES src... [LIBS lib...] [TABLES formats/x.yaml...])
#
# Builds plugin <name> as a MODULE <build>/plugins/<name>.so, linked against
# libcrosswalk only through its public headers, and installs it into
# <libdir>/crosswalk/plugins. The same objects also form the OBJECT library
# cwp_<name>_obj, so tests and fuzzers can link the plugin statically and
# call cw_plugin_<name>_entry.
#
# Each TABLES file is embedded as `const char <name>_<stem>_yaml[]` with
# `<name>_<stem>_yaml_len` (stem: the file name without .yaml, '-' -> '_').
function(crosswalk_add_plugin name)
  cmake_parse_arguments(P "" "" "SOURCES;LIBS;TABLES" ${ARGN})
  set(generated)
  foreach(table ${P_TABLES})
    get_filename_component(stem ${table} NAME_WE)
    string(REPLACE "-" "_" stem ${stem})
    set(sym ${name}_${stem}_yaml)
    set(out ${CMAKE_CURRENT_BINARY_DIR}/${sym}.c)
    add_custom_command(OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -DIN=${table} -DOUT=${out} -DSYMBOL=${sym}
              -P ${PROJECT_SOURCE_DIR}/cmake/EmbedFile.cmake
      DEPENDS ${table} ${PROJECT_SOURCE_DIR}/cmake/EmbedFile.cmake
      COMMENT "Embedding ${table}")
    list(APPEND generated ${out})
  endforeach()
  add_library(cwp_${name}_obj OBJECT ${P_SOURCES} ${generated})
  target_link_libraries(cwp_${name}_obj PUBLIC crosswalk ${P_LIBS} PRIVATE cw_warnings)
  target_include_directories(cwp_${name}_obj PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  add_library(cwp_${name} MODULE $<TARGET_OBJECTS:cwp_${name}_obj>)
  target_link_libraries(cwp_${name} PRIVATE crosswalk ${P_LIBS})
  target_link_options(cwp_${name} PRIVATE ${CW_LINK_NO_UNDEFINED})
  set_target_properties(cwp_${name} PROPERTIES
    PREFIX "" OUTPUT_NAME ${name}
    LIBRARY_OUTPUT_DIRECTORY ${CW_PLUGIN_BUILD_DIR}
    INSTALL_RPATH "$ORIGIN/../..")
  install(TARGETS cwp_${name} LIBRARY DESTINATION ${CW_PLUGIN_INSTALL_DIR})
  set_property(GLOBAL APPEND PROPERTY CW_PLUGINS ${name})
endfunction()
